package io.ddm.integration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddm.algorithm.DocumentedExamples;
import io.ddm.algorithm.DocumentedExamples.Example;
import io.ddm.algorithm.ShardingFunction;
import io.ddm.config.DdmProperties;
import io.ddm.config.DdmProperties.KeyRange;
import io.ddm.datasource.DdmDataSource;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Huawei DDM's worked examples ({@link DocumentedExamples}) end to end on real servers: 8 shards over two nodes, 3
 * tables per shard as the pages use, each example's row inserted through DDM and found, read directly from the
 * server, in the physical table of the shard the page names (and nowhere else). Each distinct configuration of
 * the examples is one logical table {@code ex_<n>}. The date table algorithms (MM, DD, MMDD, WEEK) use 4 or 16
 * tables per shard instead of their documented 12, 31, 366 and 7, which give the same table for the pages' date
 * and spare creating thousands of tables.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocumentedExamplesIntegrationTests {

    private static final String SCHEMA = "it_doc";

    private final Map<Example, String> tables = new LinkedHashMap<>();

    private DdmOnServers ddm;

    private DdmDataSource dataSource;

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        topology.resetData(SCHEMA);
        this.ddm = new DdmOnServers(topology, SCHEMA, Example.SHARDS);
        Map<String, String> tableByConfiguration = new LinkedHashMap<>();
        List<String> ddl = new ArrayList<>();
        for (Example example : DocumentedExamples.ALL) {
            String configuration = example.function() + " " + example.parameters() + " " + example.sameKey() + " "
                    + example.tablesPerShard() + " " + example.columnKind();
            String table = tableByConfiguration.get(configuration);
            if (table == null) {
                table = "ex_" + tableByConfiguration.size();
                tableByConfiguration.put(configuration, table);
                configure(table, example);
                ddl.add(createTable(table, example));
            }
            this.tables.put(example, table);
        }
        this.dataSource = this.ddm.open();
        DdmOnServers.execute(this.dataSource, ddl.toArray(String[]::new));
        int n = 0;
        for (Example example : DocumentedExamples.ALL) {
            insert(this.tables.get(example), example, n++);
        }
    }

    @AfterAll
    void stop() {
        if (this.dataSource != null) {
            this.dataSource.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.ddm.algorithm.DocumentedExamples#ALL")
    void rowLandsInThePhysicalTableThePageNames(Example example) throws SQLException {
        String table = this.tables.get(example);
        int n = DocumentedExamples.ALL.indexOf(example);
        String physical = example.hasTables() ? table + "_" + physicalTable(example) : table;
        List<List<Object>> found = DdmOnServers.rows(this.ddm.primaryOfShard(example.shard()), this.ddm.database(example.shard()),
                "SELECT n FROM " + physical + " WHERE n = " + n);
        assertThat(found).as("row %d in %s.%s", n, this.ddm.database(example.shard()), physical).hasSize(1);
        assertThat(DdmOnServers.query(this.dataSource, "SELECT COUNT(*) FROM " + table + " WHERE n = ?", n))
            .as("copies of row %d in all physical tables of %s", n, table)
            .containsExactly(List.of(java.math.BigDecimal.ONE));
    }

    /** The global number of the example's table with the table count used here (see the class comment). */
    private static int physicalTable(Example example) {
        int tables = tablesHere(example);
        return example.shard() * tables + (example.table() - example.shard() * example.tablesPerShard());
    }

    private static int tablesHere(Example example) {
        return switch (example.function()) {
            case MM, WEEK -> 4;
            case DD, MMDD -> 16;
            default -> example.tablesPerShard();
        };
    }

    private void configure(String table, Example example) {
        String algorithm = example.function().propertyName();
        if (!example.shardsDatabases()) {
            this.ddm.table(table, "id", "mod-hash", "k", algorithm, tablesHere(example));
        }
        else if (!example.hasTables()) {
            this.ddm.table(table, "k", algorithm, null, null, null);
        }
        else if (example.sameKey()) {
            this.ddm.table(table, "k", algorithm, "k", algorithm, tablesHere(example));
        }
        else {
            this.ddm.table(table, "k_db", algorithm, "k_tb", algorithm, tablesHere(example));
        }
        DdmProperties.Table properties = this.ddm.table(table);
        if (example.shardsDatabases()) {
            parameters(properties.getDatabaseSharding(), example);
        }
        if (properties.getTableSharding() != null && example.function() != ShardingFunction.MM
                && example.function() != ShardingFunction.DD && example.function() != ShardingFunction.MMDD
                && example.function() != ShardingFunction.WEEK) {
            parameters(properties.getTableSharding(), example);
        }
    }

    private static void parameters(DdmProperties.Sharding sharding, Example example) {
        if (example.function() == ShardingFunction.RIGHT_SHIFT) {
            sharding.setShiftBits(example.parameters().shiftBits());
        }
        sharding.setDateFunction(example.parameters().dateFunction());
        example.parameters().ranges().forEach((range) -> {
            KeyRange keys = new KeyRange();
            keys.setFrom(range.from());
            keys.setTo(range.to());
            keys.setShard(range.target());
            sharding.getRanges().add(keys);
        });
        if (example.parameters().defaultTarget() != null) {
            KeyRange fallback = new KeyRange();
            fallback.setShard(example.parameters().defaultTarget());
            sharding.getRanges().add(fallback);
        }
    }

    private static String createTable(String table, Example example) {
        String type = switch (example.columnKind()) {
            case INTEGER -> "BIGINT";
            case STRING -> "VARCHAR(32)";
            case DATE -> "DATE";
        };
        String keys = (!example.shardsDatabases()) ? "id BIGINT NOT NULL, k " + type + " NOT NULL"
                : (!example.hasTables() || example.sameKey()) ? "k " + type + " NOT NULL"
                        : "k_db " + type + " NOT NULL, k_tb " + type + " NOT NULL";
        return "CREATE TABLE " + table + " (n INT NOT NULL, " + keys + ")";
    }

    private void insert(String table, Example example, int n) throws SQLException {
        boolean twoKeys = example.shardsDatabases() && example.hasTables() && !example.sameKey();
        String sql = (!example.shardsDatabases()) ? "INSERT INTO " + table + " (n, id, k) VALUES (?, 0, ?)"
                : twoKeys ? "INSERT INTO " + table + " (n, k_db, k_tb) VALUES (?, ?, ?)"
                        : "INSERT INTO " + table + " (n, k) VALUES (?, ?)";
        try (Connection connection = this.dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setInt(1, n);
            // As an application gives it: the '8' of "MOD_HASH('8')" is a string for an integer column.
            insert.setObject(2, example.key());
            if (twoKeys) {
                insert.setObject(3, example.key());
            }
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

}
