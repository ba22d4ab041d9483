package io.ddm.routing;

import java.util.List;

import org.apache.shardingsphere.infra.database.core.connector.ConnectionProperties;
import org.apache.shardingsphere.infra.executor.sql.hook.SQLExecutionHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs, at DEBUG on {@code io.ddm.routing}, which physical data source served each statement: the data source
 * name says shard and server ({@code shop_3__ds0-r0} is shard database shop_3 on replica ds0-r0).
 * Registered as a ShardingSphere SQL execution hook; costs one level check per statement when DEBUG is off.
 */
public class RoutingLogHook implements SQLExecutionHook {

    private static final Logger logger = LoggerFactory.getLogger("io.ddm.routing");

    @Override
    public void start(String dataSourceName, String sql, List<Object> params, ConnectionProperties connectionProps,
            boolean isTrunkThread) {
        if (logger.isDebugEnabled()) {
            logger.debug("{} ({}:{}) <- {}", dataSourceName, connectionProps.getHostname(), connectionProps.getPort(), sql);
        }
    }

    @Override
    public void finishSuccess() {
    }

    @Override
    public void finishFailure(Exception cause) {
    }

}
