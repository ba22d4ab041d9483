package io.ddm.keygen;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import io.ddm.routing.RoutingDryRun;
import org.apache.shardingsphere.infra.algorithm.core.context.AlgorithmSQLContext;
import org.apache.shardingsphere.infra.algorithm.core.exception.AlgorithmInitializationException;
import org.apache.shardingsphere.infra.algorithm.keygen.core.KeyGenerateAlgorithm;

/**
 * DDM's snowflake key generator (SPI type {@code DDM_SNOWFLAKE}), behind {@code key-generator.type: snowflake}.
 * Keys have exactly the layout of ShardingSphere's {@code SNOWFLAKE} (see {@link SnowflakeSequence}), but the
 * worker id comes, for every statement, from the data source's {@link WorkerIdSource} rather than from a number
 * fixed at startup: while the source holds no usable id (a lost {@link WorkerIdLease}), generating a key fails
 * with a {@link WorkerIdUnavailableException} instead of risking keys another instance also issues.
 *
 * <p>In a dry run ({@link RoutingDryRun}, a route preview) it returns the keys it would issue next and consumes
 * nothing: no sequence advances, and it does not wait for a new lease to become usable.
 *
 * <p>Properties: {@value #WORKER_ID_SOURCE} (the key of a {@link WorkerIdSources} registration, required) and
 * {@value #SEQUENCE} (the generator's name, so that instances ShardingSphere creates again continue its sequence).
 */
public final class LeasedSnowflakeKeyGenerateAlgorithm implements KeyGenerateAlgorithm {

    /** ShardingSphere SPI type of this algorithm. */
    public static final String TYPE = "DDM_SNOWFLAKE";

    /** Property: key of the data source's {@link WorkerIdSources} registration. */
    public static final String WORKER_ID_SOURCE = "worker-id-source";

    /** Property: name of the generator, which owns one sequence. */
    public static final String SEQUENCE = "sequence";

    private WorkerIdSource source;

    private SnowflakeSequence sequence;

    /**
     * Properties that configure one generator.
     * @param workerIdSource key of the data source's registration
     * @param name the generator's name
     * @return ShardingSphere algorithm properties
     */
    public static Properties properties(String workerIdSource, String name) {
        Properties result = new Properties();
        result.setProperty(WORKER_ID_SOURCE, workerIdSource);
        result.setProperty(SEQUENCE, name);
        return result;
    }

    @Override
    public void init(Properties props) {
        String key = props.getProperty(WORKER_ID_SOURCE);
        WorkerIdSources.Registration registration = (key != null) ? WorkerIdSources.lookup(key).orElse(null) : null;
        if (registration == null) {
            throw new AlgorithmInitializationException(this, "no worker id source is registered under '" + WORKER_ID_SOURCE + "' = '"
                    + key + "'; DDM configures this generator itself for each of its data sources");
        }
        this.source = registration.source();
        this.sequence = registration.sequence(props.getProperty(SEQUENCE));
    }

    @Override
    public Collection<Long> generateKeys(AlgorithmSQLContext context, int keyGenerateCount) {
        long[] keys;
        if (RoutingDryRun.isActive()) {
            keys = this.sequence.preview(this.source.currentGrant().workerId(), keyGenerateCount, this);
        }
        else {
            // Outside the sequence's lock: a new lease makes this wait, and other tables' statements need not.
            WorkerIdSource.Grant grant = this.source.awaitGrant();
            keys = this.sequence.next(this.source, grant, keyGenerateCount, this);
        }
        List<Long> result = new ArrayList<>(keys.length);
        for (long key : keys) {
            result.add(key);
        }
        return result;
    }

    @Override
    public String getType() {
        return TYPE;
    }

}
