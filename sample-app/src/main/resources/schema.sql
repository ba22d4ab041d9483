-- Logical DDL, run through the DDM DataSource at every start (spring.sql.init.mode=always). DDM creates each table
-- in every shard database: t_user once per shard, t_order and t_order_item as t_order_0 .. t_order_7, t_region
-- (broadcast) once per shard. IF NOT EXISTS makes restarts harmless.

CREATE TABLE IF NOT EXISTS t_region (
    region_id INT NOT NULL PRIMARY KEY,
    code VARCHAR(8) NOT NULL,
    name VARCHAR(64) NOT NULL,
    UNIQUE KEY uk_region_code (code)
);

CREATE TABLE IF NOT EXISTS t_user (
    user_id BIGINT NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    region_id INT NOT NULL,
    created_at DATETIME NOT NULL
);

CREATE TABLE IF NOT EXISTS t_order (
    order_id BIGINT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL,
    region_id INT NOT NULL,
    status VARCHAR(16) NOT NULL,
    total DECIMAL(12, 2) NOT NULL,
    created_at DATETIME NOT NULL,
    KEY idx_order_user (user_id)
);

CREATE TABLE IF NOT EXISTS t_order_item (
    item_id BIGINT NOT NULL PRIMARY KEY,
    order_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    product VARCHAR(100) NOT NULL,
    quantity INT NOT NULL,
    unit_price DECIMAL(10, 2) NOT NULL,
    KEY idx_item_order (user_id, order_id)
);
