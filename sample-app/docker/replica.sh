#!/bin/bash
# A replica's first start (docker-entrypoint-initdb.d, which sources this file): creates the application account
# locally, then replicates everything from the primary named by SOURCE_HOST, positioned by GTID. The replica is
# started after its primary is healthy (depends_on in docker-compose.yml), so the primary's accounts exist.
MYSQL_PWD="${MYSQL_ROOT_PASSWORD}" mysql --protocol=socket --user=root <<SQL
SET SESSION sql_log_bin = 0;
CREATE USER 'ddm'@'%' IDENTIFIED BY 'ddm';
GRANT ALL PRIVILEGES ON *.* TO 'ddm'@'%' WITH GRANT OPTION;
SET SESSION sql_log_bin = 1;
RESET BINARY LOGS AND GTIDS;
CHANGE REPLICATION SOURCE TO
    SOURCE_HOST = '${SOURCE_HOST}',
    SOURCE_PORT = 3306,
    SOURCE_USER = 'repl',
    SOURCE_PASSWORD = 'repl',
    SOURCE_AUTO_POSITION = 1,
    GET_SOURCE_PUBLIC_KEY = 1;
START REPLICA;
SQL
