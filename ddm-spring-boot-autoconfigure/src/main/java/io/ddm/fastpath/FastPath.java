package io.ddm.fastpath;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.ddm.datasource.FailureTranslation;
import io.ddm.datasource.StatementGate;
import io.ddm.datasource.StatementListener.ListenedStatement;
import org.apache.shardingsphere.infra.database.core.connector.ConnectionProperties;
import org.apache.shardingsphere.infra.metadata.ShardingSphereMetaData;
import org.apache.shardingsphere.infra.database.core.type.DatabaseType;
import org.apache.shardingsphere.infra.metadata.database.ShardingSphereDatabase;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingRule;
import org.apache.shardingsphere.sharding.rule.ShardingRule;

/**
 * DDM's fast path for one logical data source ({@code ddm.fast-path.enabled}): a prepared statement whose route its
 * parameter values decide runs on the owning shard's physical connection - the one ShardingSphere's connection manager
 * holds for the logical connection, so transactions stay on one connection per shard - with the physical SQL made once
 * per text and table, the same sharding algorithms, primary or replica chosen as ShardingSphere's read/write-splitting
 * router chooses them ({@link ReadWriteRoute}) and the same execution hooks (metrics, routing log, read-your-writes).
 * Any other statement, and any execution whose values ShardingSphere would route differently, goes to ShardingSphere
 * unchanged.
 *
 * <p>What each SQL text is, is decided once ({@link FastPathClassifier}) and remembered until ShardingSphere's metadata
 * changes, DDL runs through this data source, or {@code cache-size} texts are remembered.
 */
public final class FastPath {

    private static final Object GENERAL = new Object();

    private final int cacheSize;

    private final LongAdder fastExecutions = new LongAdder();

    private volatile Plans plans = new Plans(null, null);

    /**
     * Creates the fast path of one data source.
     * @param cacheSize how many SQL texts to remember
     */
    public FastPath(int cacheSize) {
        this.cacheSize = cacheSize;
    }

    /**
     * A statement for a logical connection, on the fast path where the SQL text allows it.
     * @param connection the logical connection
     * @param logical the connection the application holds (what {@code getConnection()} of the statement returns)
     * @param sql the SQL text
     * @param create how ShardingSphere's own statement for the text is prepared, should it be needed
     * @param options how the application asked for the statement to be prepared
     * @param gate what checks every statement before it runs
     * @param translation what translates failures
     * @param listened what the listener (metrics) is told of the statement's executions, or {@code null}
     * @return the statement, or {@code null} when the text must go to ShardingSphere
     */
    public PreparedStatement prepare(LogicalConnection connection, Connection logical, String sql, GeneralStatement create,
            PrepareOptions options, StatementGate gate, FailureTranslation translation, ListenedStatement listened) {
        ShardingSphereMetaData metaData = connection.contextManager().getMetaDataContexts().getMetaData();
        Plans current = this.plans;
        if (current.metaData != metaData) {
            current = new Plans(metaData, connection.databaseName());
            this.plans = current;
        }
        FastPathPlan plan = plan(current, sql);
        if (plan == null) {
            return null;
        }
        return new FastPathStatement(new FastPathStatement.Context(this, current, connection, logical, plan, create, options, gate,
                translation, listened));
    }

    private FastPathPlan plan(Plans current, String sql) {
        Object plan = current.byText.get(sql);
        if (plan == null) {
            plan = current.classifier.classify(sql);
            if (plan == null) {
                plan = GENERAL;
            }
            if (current.byText.size() >= this.cacheSize) {
                current.byText.clear();
            }
            current.byText.put(sql, plan);
        }
        return (plan != GENERAL) ? (FastPathPlan) plan : null;
    }

    /**
     * Forgets what every SQL text is, e.g. after DDL changed a table.
     */
    public void forget() {
        this.plans = new Plans(null, null);
    }

    /**
     * How many statements ran on the fast path.
     * @return the count since the data source started
     */
    public long getFastExecutions() {
        return this.fastExecutions.sum();
    }

    void executedFast() {
        this.fastExecutions.increment();
    }

    /**
     * Prepares ShardingSphere's own statement for a text the fast path hands back.
     */
    @FunctionalInterface
    public interface GeneralStatement {

        /**
         * Prepares the statement as the application asked for it.
         * @return ShardingSphere's statement
         * @throws SQLException as ShardingSphere throws it
         */
        PreparedStatement prepare() throws SQLException;

    }

    /**
     * What the fast path knows about one version of ShardingSphere's metadata: the texts it classified, and the rules and
     * connection properties every execution needs, looked up once.
     */
    static final class Plans {

        final ShardingSphereMetaData metaData;

        final FastPathClassifier classifier;

        final Map<String, Object> byText = new ConcurrentHashMap<>();

        private final ShardingSphereDatabase database;

        private final ShardingRule sharding;

        private final ReadwriteSplittingRule readWriteSplitting;

        private final Map<String, ConnectionProperties> connectionProperties = new ConcurrentHashMap<>();

        Plans(ShardingSphereMetaData metaData, String databaseName) {
            this.metaData = metaData;
            this.classifier = (metaData != null) ? new FastPathClassifier(metaData, databaseName) : null;
            this.database = (metaData != null) ? metaData.getDatabase(databaseName) : null;
            this.sharding = (this.database != null)
                    ? this.database.getRuleMetaData().findSingleRule(ShardingRule.class).orElse(null) : null;
            this.readWriteSplitting = (this.database != null)
                    ? this.database.getRuleMetaData().findSingleRule(ReadwriteSplittingRule.class).orElse(null) : null;
        }

        ShardingRule sharding() {
            return this.sharding;
        }

        /** The read/write-splitting rule, or {@code null} without replicas. */
        ReadwriteSplittingRule readWriteSplitting() {
            return this.readWriteSplitting;
        }

        DatabaseType protocolType() {
            return this.database.getProtocolType();
        }

        ConnectionProperties connectionProperties(String dataSourceName) {
            return this.connectionProperties.computeIfAbsent(dataSourceName,
                (name) -> this.database.getResourceMetaData().getStorageUnits().get(name).getConnectionProperties());
        }

    }

}
