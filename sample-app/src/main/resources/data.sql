-- Seed data: the regions. t_region is a broadcast table, so this writes the same rows into every shard database.
INSERT IGNORE INTO t_region (region_id, code, name) VALUES
    (1, 'EU', 'Europe'),
    (2, 'NA', 'North America'),
    (3, 'APAC', 'Asia Pacific');
