-- A primary's first start (docker-entrypoint-initdb.d). Starts the binary log afresh, so its replica replays
-- nothing of the image's own set-up, then creates the accounts. Accounts stay out of the binary log: every server
-- creates its own, so replicas never replay (and fail on) a CREATE USER.
RESET BINARY LOGS AND GTIDS;

SET SESSION sql_log_bin = 0;
CREATE USER 'ddm'@'%' IDENTIFIED BY 'ddm';
GRANT ALL PRIVILEGES ON *.* TO 'ddm'@'%' WITH GRANT OPTION;
CREATE USER 'repl'@'%' IDENTIFIED BY 'repl';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
SET SESSION sql_log_bin = 1;
