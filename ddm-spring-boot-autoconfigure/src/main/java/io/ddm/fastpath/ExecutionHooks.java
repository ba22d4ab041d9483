package io.ddm.fastpath;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;

import org.apache.shardingsphere.infra.database.core.connector.ConnectionProperties;
import org.apache.shardingsphere.infra.executor.sql.hook.SPISQLExecutionHook;
import org.apache.shardingsphere.infra.executor.sql.hook.SQLExecutionHook;
import org.apache.shardingsphere.infra.spi.ShardingSphereServiceLoader;

/**
 * ShardingSphere's SQL execution hooks around one physical execution, as {@link SPISQLExecutionHook} runs them: a new
 * instance of every registered hook, in the order ShardingSphere loaded them. ShardingSphere looks the hooks up and
 * creates them reflectively on every execution; here their constructors are looked up once (the registered hooks are
 * fixed once ShardingSphere has loaded them).
 */
final class ExecutionHooks {

    private static final List<Constructor<? extends SQLExecutionHook>> CONSTRUCTORS = constructors();

    private final SQLExecutionHook[] hooks;

    private ExecutionHooks(SQLExecutionHook[] hooks) {
        this.hooks = hooks;
    }

    /**
     * New instances of the registered hooks, for one execution.
     * @return the hooks
     */
    static ExecutionHooks create() {
        SQLExecutionHook[] hooks = new SQLExecutionHook[CONSTRUCTORS.size()];
        for (int i = 0; i < hooks.length; i++) {
            try {
                hooks[i] = CONSTRUCTORS.get(i).newInstance();
            }
            catch (ReflectiveOperationException ex) {
                throw new IllegalStateException("Cannot create ShardingSphere execution hook " + CONSTRUCTORS.get(i).getName(), ex);
            }
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

    @SuppressWarnings("unchecked")
    private static List<Constructor<? extends SQLExecutionHook>> constructors() {
        List<Constructor<? extends SQLExecutionHook>> result = new ArrayList<>();
        for (SQLExecutionHook each : ShardingSphereServiceLoader.getServiceInstances(SQLExecutionHook.class)) {
            try {
                result.add((Constructor<? extends SQLExecutionHook>) each.getClass().getDeclaredConstructor());
            }
            catch (NoSuchMethodException ex) {
                throw new IllegalStateException("ShardingSphere execution hook " + each.getClass().getName()
                        + " has no constructor without arguments", ex);
            }
        }
        return List.copyOf(result);
    }

}
