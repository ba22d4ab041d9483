package io.ddm.fastpath;

import java.util.Collection;
import java.util.List;

import org.apache.shardingsphere.infra.datanode.DataNodeInfo;
import org.apache.shardingsphere.sharding.api.sharding.standard.PreciseShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.StandardShardingAlgorithm;

/**
 * One step of a route, the data source or the table, taken by the very algorithm instance ShardingSphere's sharding rule
 * holds, with the value ShardingSphere's sharding condition would hand it ({@code StandardShardingStrategy}).
 *
 * @param algorithm the rule's algorithm
 * @param key where the statement gives the sharding column's value
 * @param logicTable the logical table
 * @param dataNodeInfo what ShardingSphere tells the algorithm about the targets' names
 */
record ShardingStep(StandardShardingAlgorithm<?> algorithm, KeyValue key, String logicTable, DataNodeInfo dataNodeInfo) {

    /**
     * The target of one execution.
     * @param available the targets ShardingSphere would offer
     * @param parameters the parameters set
     * @param generatedKey the key generated for this execution, or {@code null}
     * @return the target, or {@code null} where ShardingSphere would not route to exactly this one target (no value, an
     * algorithm failure, a target it does not offer): the statement then goes to ShardingSphere, which says why
     */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    String target(Collection<String> available, List<Object> parameters, Comparable<?> generatedKey) {
        Comparable<?> value = this.key.value(parameters, generatedKey);
        if (value == null) {
            return null;
        }
        try {
            String target = ((StandardShardingAlgorithm) this.algorithm).doSharding(available,
                    new PreciseShardingValue(this.logicTable, this.key.column(), this.dataNodeInfo, value));
            return (target != null && available.contains(target)) ? target : null;
        }
        catch (RuntimeException ex) {
            // ShardingSphere raises the same failure, in its own words, when the statement runs there.
            return null;
        }
    }

}
