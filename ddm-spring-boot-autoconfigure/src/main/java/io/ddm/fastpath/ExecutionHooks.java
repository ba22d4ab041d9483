package io.ddm.fastpath;

import java.util.List;

import org.apache.shardingsphere.infra.database.core.connector.ConnectionProperties;
import org.apache.shardingsphere.infra.executor.sql.hook.SPISQLExecutionHook;
import org.apache.shardingsphere.infra.executor.sql.hook.SQLExecutionHook;

/**
 * ShardingSphere's SQL execution hooks around one physical execution, as {@link SPISQLExecutionHook} runs them: a new
 * instance of every registered hook, in the order ShardingSphere loaded them ({@link ServiceInstances}: their
 * constructors looked up once, where ShardingSphere looks every hook up and creates it reflectively on each execution).
 */
final class ExecutionHooks {

    private static final ServiceInstances<SQLExecutionHook> HOOKS = ServiceInstances.of(SQLExecutionHook.class);

    private final SQLExecutionHook[] hooks;

    private ExecutionHooks(SQLExecutionHook[] hooks) {
        this.hooks = hooks;
    }

    /**
     * New instances of the registered hooks, for one execution.
     * @return the hooks
     */
    static ExecutionHooks create() {
        SQLExecutionHook[] hooks = new SQLExecutionHook[HOOKS.size()];
        for (int i = 0; i < hooks.length; i++) {
            hooks[i] = HOOKS.get(i);
        }
        return new ExecutionHooks(hooks);
    }

    void start(String dataSourceName, String sql, List<Object> parameters, ConnectionProperties connectionProperties) {
        for (SQLExecutionHook each : this.hooks) {
            each.start(dataSourceName, sql, parameters, connectionProperties, true);
        }
    }

    void finishSuccess() {
        for (SQLExecutionHook each : this.hooks) {
            each.finishSuccess();
        }
    }

    void finishFailure(Exception cause) {
        for (SQLExecutionHook each : this.hooks) {
            each.finishFailure(cause);
        }
    }

}
