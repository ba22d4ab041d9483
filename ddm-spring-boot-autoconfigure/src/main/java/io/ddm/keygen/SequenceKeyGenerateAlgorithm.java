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
 * DDM's sequence key generator (SPI type {@code DDM_SEQUENCE}), behind {@code key-generator.type: sequence}: values
 * from the table's sequence on the default shard's primary, handed out from a block this instance reserved
 * ({@link BlockSequence}). Values given explicitly by an INSERT reach the sequence through
 * {@link ExplicitSequenceValues}.
 *
 * <p>In a dry run ({@link RoutingDryRun}) it returns the values it would hand out next and consumes nothing.
 *
 * <p>Properties: {@value #SEQUENCES} (the key of a {@link DdmSequences} registration, required) and {@value #SEQUENCE}
 * (the sequence's name, required).
 */
public final class SequenceKeyGenerateAlgorithm implements KeyGenerateAlgorithm {

    /** ShardingSphere SPI type of this algorithm. */
    public static final String TYPE = "DDM_SEQUENCE";

    /** Property: key of the data source's {@link DdmSequences} registration. */
    public static final String SEQUENCES = "sequences";

    /** Property: name of the sequence. */
    public static final String SEQUENCE = "sequence";

    private BlockSequence sequence;

    /**
     * Properties that configure one generator.
     * @param sequences key of the data source's registration
     * @param name the sequence's name
     * @return ShardingSphere algorithm properties
     */
    public static Properties properties(String sequences, String name) {
        Properties result = new Properties();
        result.setProperty(SEQUENCES, sequences);
        result.setProperty(SEQUENCE, name);
        return result;
    }

    @Override
    public void init(Properties props) {
        String key = props.getProperty(SEQUENCES);
        String name = props.getProperty(SEQUENCE);
        DdmSequences sequences = (key != null) ? DdmSequences.lookup(key).orElse(null) : null;
        this.sequence = (sequences != null && name != null) ? sequences.sequence(name).orElse(null) : null;
        if (this.sequence == null) {
            throw new AlgorithmInitializationException(this, "no sequence '" + name + "' is registered under '" + SEQUENCES
                    + "' = '" + key + "'; DDM configures this generator itself for each of its data sources");
        }
    }

    @Override
    public Collection<Long> generateKeys(AlgorithmSQLContext context, int keyGenerateCount) {
        long[] keys = RoutingDryRun.isActive() ? this.sequence.preview(keyGenerateCount) : this.sequence.next(keyGenerateCount);
        List<Long> result = new ArrayList<>(keys.length);
        for (long key : keys) {
            result.add(key);
        }
        return result;
    }

    BlockSequence sequence() {
        return this.sequence;
    }

    @Override
    public String getType() {
        return TYPE;
    }

}
