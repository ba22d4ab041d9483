package io.ddm.datasource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Wrapper;

/**
 * What DDM's JDBC proxies (guarded, metered) do alike: {@code unwrap}/{@code isWrapperFor} see the proxy and then the wrapped
 * object, identity is the proxy's, and everything else goes to the wrapped object.
 */
public final class JdbcProxies {

    private JdbcProxies() {
    }

    /**
     * Handles a call the proxy does not measure.
     * @param target the wrapped JDBC object
     * @param proxy the proxy
     * @param method the method called
     * @param args its arguments
     * @return the result
     * @throws Throwable what the wrapped object threw
     */
    public static Object passThrough(Wrapper target, Object proxy, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "unwrap" -> ((Class<?>) args[0]).isInstance(proxy) ? proxy : target.unwrap((Class<?>) args[0]);
            case "isWrapperFor" -> ((Class<?>) args[0]).isInstance(proxy) || target.isWrapperFor((Class<?>) args[0]);
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> delegate(target, method, args);
        };
    }

    /** Calls the wrapped object, throwing what it threw. */
    public static Object delegate(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

}
