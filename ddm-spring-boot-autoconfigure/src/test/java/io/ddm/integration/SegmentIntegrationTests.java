package io.ddm.integration;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddm.config.DdmConfigurationException;
import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.endpoint.DdmEndpoint;
import io.ddm.endpoint.RouteDescriptor;
import io.ddm.endpoint.RoutePreview;
import io.ddm.endpoint.TableDescriptor.SegmentsDescriptor;
import io.ddm.metrics.DdmMetrics;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Range segments on real servers: {@code t_order} sharded by {@code mod-hash(user_id)} over 2 shards on 2 nodes
 * (each with a replica), and split inside each shard by {@code order_id} into segments {@code 1..100} and
 * {@code 101..300}. Rows land in {@code t_order_{shard}_{segment}}; range conditions prune to the segments they
 * overlap; a key beyond the last segment is refused with the segment to add; appending a segment and restarting
 * creates its tables on every primary and replica, routes new keys there and moves no row; the endpoint and the
 * gauge report how full the newest segment is; removing a segment that has tables, or a segment column that is
 * not an integer, fails the startup.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
class SegmentIntegrationTests {

    private static final String SCHEMA = "it_seg";

    private static DdmOnServers segmented(DatabaseTopology topology, Long... bounds) {
        DdmOnServers ddm = new DdmOnServers(topology, SCHEMA, 2).table("t_order", "user_id", "mod-hash", null, null, null);
        DdmProperties.TableSharding segments = new DdmProperties.TableSharding();
        segments.setColumn("order_id");
        segments.setSegments(List.of(bounds));
        ddm.table("t_order").setTableSharding(segments);
        return ddm;
    }

    @Test
    void rowsStayInTheirSegmentsAsSegmentsAreAdded(DatabaseTopology topology) throws SQLException {
        topology.resetData(SCHEMA);
        Map<String, List<Long>> before;
        try (DdmDataSource dataSource = segmented(topology, 100L, 300L).open()) {
            // A new table: DDM creates no segment table before the user's CREATE TABLE.
            for (DatabaseServer server : topology.servers()) {
                assertThat(tablesOn(server)).as(server.name()).isEmpty();
            }
            DdmOnServers.execute(dataSource, "CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL,"
                    + " note VARCHAR(20))");
            DdmOnServers.execute(dataSource, "INSERT INTO t_order (order_id, user_id, note) VALUES (1, 10, 'a'), (100, 11, 'b'),"
                    + " (101, 10, 'c'), (150, 11, 'd'), (200, 10, 'e')");
            before = orderIdsByTable(topology);
            // user_id 10 -> shard 0, 11 -> shard 1; order_id 1..100 -> segment 0, 101..300 -> segment 1.
            assertThat(before).containsExactly(Map.entry("it_seg_0.t_order_0_0", List.of(1L)),
                    Map.entry("it_seg_0.t_order_0_1", List.of(101L, 200L)), Map.entry("it_seg_1.t_order_1_0", List.of(100L)),
                    Map.entry("it_seg_1.t_order_1_1", List.of(150L)));

            assertThat(DdmOnServers.query(dataSource, "SELECT COUNT(*) FROM t_order")).containsExactly(List.of(bd(5)));
            assertThat(DdmOnServers.query(dataSource, "SELECT order_id FROM t_order WHERE order_id BETWEEN 90 AND 100 ORDER BY order_id"))
                .containsExactly(List.of(bd(100)));
            assertThat(DdmOnServers.query(dataSource, "SELECT order_id FROM t_order WHERE order_id > 400")).isEmpty();

            RoutePreview preview = new RoutePreview(dataSource);
            assertThat(tables(preview.route("SELECT * FROM t_order WHERE order_id BETWEEN ? AND ?", List.of(90L, 100L))))
                .containsExactly("it_seg_0.t_order_0_0", "it_seg_1.t_order_1_0");
            assertThat(tables(preview.route("SELECT * FROM t_order WHERE order_id > ?", List.of(100L))))
                .containsExactly("it_seg_0.t_order_0_1", "it_seg_1.t_order_1_1");
            assertThat(tables(preview.route("SELECT * FROM t_order WHERE user_id = ? AND order_id = ?", List.of(11L, 150L))))
                .containsExactly("it_seg_1.t_order_1_1");
            assertThat(tables(preview.route("SELECT * FROM t_order WHERE order_id IN (?, ?)", List.of(1L, 2L))))
                .containsExactly("it_seg_0.t_order_0_0", "it_seg_1.t_order_1_0");
            assertThat(tables(preview.route("SELECT * FROM t_order", List.of()))).hasSize(4);

            assertThatExceptionOfType(SQLException.class).isThrownBy(() -> insert(dataSource, 301L, 10L))
                .withMessageContaining("t_order.order_id: key 301 is beyond the last segment (101..300); add a segment covering"
                        + " 301..500 to ddm.tables.t_order.table-sharding.segments (append 500)");
            assertThatExceptionOfType(SQLException.class)
                .isThrownBy(() -> DdmOnServers.query(dataSource, "SELECT * FROM t_order WHERE order_id = ?", 0L))
                .withMessageContaining("t_order.order_id: key 0 is below the first segment (1..100)");
            assertThat(orderIdsByTable(topology)).isEqualTo(before);

            // Segment tables are t_order's data nodes, not single tables of their own.
            assertThat(endpoint(dataSource).topology(SecurityContext.NONE).tables()).containsOnlyKeys("t_order");
            // Newest segment 101..300 holds keys up to 200: 100 of 200 keys used.
            SegmentsDescriptor segments = endpoint(dataSource).table("tables", "t_order").segments();
            assertThat(segments.segments()).extracting((segment) -> segment.from() + ".." + segment.to() + " " + segment.tables())
                .containsExactly("1..100 [ds0.it_seg_0.t_order_0_0, ds1.it_seg_1.t_order_1_0]",
                        "101..300 [ds0.it_seg_0.t_order_0_1, ds1.it_seg_1.t_order_1_1]");
            assertThat(segments.newest().index()).isEqualTo(1);
            assertThat(segments.newest().highestKey()).isEqualTo(200L);
            assertThat(segments.newest().used()).isEqualTo(100);
            assertThat(segments.newest().capacity()).isEqualTo(200);
            assertThat(segments.newest().fill()).isEqualTo(0.5);
            assertThat(fillGauge(dataSource)).isEqualTo(0.5);
        }

        try (DdmDataSource dataSource = segmented(topology, 100L, 300L, 500L).open()) {
            // The new segment's tables exist on every primary and replica as soon as DDM has started.
            for (int node = 0; node < 2; node++) {
                List<DatabaseServer> servers = new ArrayList<>(topology.replicasOf(node));
                servers.add(topology.primary(node));
                for (DatabaseServer server : servers) {
                    assertThat(tablesOn(server)).as(server.name()).containsExactly("t_order_" + node + "_0", "t_order_" + node + "_1",
                            "t_order_" + node + "_2");
                }
            }
            DdmOnServers.execute(dataSource, "INSERT INTO t_order (order_id, user_id, note) VALUES (301, 10, 'f'), (450, 11, 'g')");
            Map<String, List<Long>> expected = new LinkedHashMap<>(before);
            expected.put("it_seg_0.t_order_0_2", List.of(301L));
            expected.put("it_seg_1.t_order_1_2", List.of(450L));
            assertThat(orderIdsByTable(topology)).isEqualTo(expected);
            assertThat(DdmOnServers.query(dataSource, "SELECT note FROM t_order WHERE order_id = ?", 450L))
                .containsExactly(List.of("g"));
            assertThat(DdmOnServers.query(dataSource, "SELECT COUNT(*) FROM t_order")).containsExactly(List.of(bd(7)));
            // Newest segment 301..500 holds keys up to 450: 150 of 200.
            assertThat(endpoint(dataSource).table("tables", "t_order").segments().newest().fill()).isEqualTo(0.75);
            assertThat(fillGauge(dataSource)).isEqualTo(0.75);
        }

        // Dropping a segment that has tables would hide its rows: refused at startup.
        DdmOnServers shorter = segmented(topology, 100L, 300L);
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(shorter::open).satisfies((ex) -> {
            assertThat(ex.getProperty()).isEqualTo("ddm.tables.t_order.table-sharding.segments");
            assertThat(ex.getProblem()).contains("holds segment table t_order_0_2, whose rows would be unreachable");
        });
        // Segments compare integer keys: a segment column of another type is refused at startup.
        DdmOnServers byNote = segmented(topology, 100L, 300L, 500L);
        byNote.table("t_order").getTableSharding().setColumn("note");
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(byNote::open)
            .satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("ddm.tables.t_order.table-sharding.column"))
            .withMessageContaining("column t_order.note is VARCHAR, which range segments does not accept");
    }

    private static void insert(DdmDataSource dataSource, long orderId, long userId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_order (order_id, user_id) VALUES (?, ?)")) {
            insert.setLong(1, orderId);
            insert.setLong(2, userId);
            insert.executeUpdate();
        }
    }

    /** Every row's order_id by physical table, read directly from each shard's primary. */
    private static Map<String, List<Long>> orderIdsByTable(DatabaseTopology topology) throws SQLException {
        Map<String, List<Long>> result = new LinkedHashMap<>();
        for (int shard = 0; shard < 2; shard++) {
            DatabaseServer primary = topology.primary(shard);
            String database = SCHEMA + "_" + shard;
            for (String table : tablesOn(primary)) {
                if (table.startsWith("t_order_" + shard + "_")) {
                    List<Long> ids = new ArrayList<>();
                    for (List<Object> row : DdmOnServers.rows(primary, database, "SELECT order_id FROM " + table + " ORDER BY 1")) {
                        ids.add(((Number) row.get(0)).longValue());
                    }
                    result.put(database + "." + table, ids);
                }
            }
        }
        return result;
    }

    private static List<String> tablesOn(DatabaseServer server) throws SQLException {
        List<String> result = new ArrayList<>();
        for (List<Object> row : DdmOnServers.rows(server, "information_schema", "SELECT TABLE_NAME FROM TABLES WHERE TABLE_SCHEMA"
                + " LIKE 'it\\_seg\\_%' ORDER BY TABLE_NAME")) {
            result.add((String) row.get(0));
        }
        return result;
    }

    private static List<String> tables(RouteDescriptor route) {
        List<String> result = new ArrayList<>();
        route.units().forEach((unit) -> unit.tables().forEach((table) -> result.add(unit.database() + "." + table)));
        return result;
    }

    private static DdmEndpoint endpoint(DdmDataSource dataSource) {
        return new DdmEndpoint(dataSource, List.of(), Show.ALWAYS, Set.of(), Duration.ofSeconds(5));
    }

    private static double fillGauge(DdmDataSource dataSource) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new DdmMetrics(dataSource).bindTo(registry);
        return registry.get("ddm.segment.fill").tag("table", "t_order").gauge().value();
    }

    private static BigDecimal bd(long value) {
        return BigDecimal.valueOf(value);
    }

}
