package io.ddm.datasource;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Wrapper;

/**
 * What DDM's JDBC proxies (guarded, metered) do alike: {@code unwrap}/{@code isWrapperFor} see the proxy and then the wrapped
 * object, identity is the proxy's, and everything else goes to the wrapped object.
 */
public final class JdbcProxies {

    /**
     * The constructor of each interface's proxy class, looked up once: {@link Proxy#newProxyInstance} looks the class up
     * again on every call, and DDM creates several proxies per logical statement.
     */
    private static final ClassValue<Constructor<?>> CONSTRUCTORS = new ClassValue<>() {

        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            Object sample = Proxy.newProxyInstance(JdbcProxies.class.getClassLoader(), new Class<?>[] { type },
                    (proxy, method, args) -> null);
            try {
                return sample.getClass().getConstructor(InvocationHandler.class);
            }
            catch (NoSuchMethodException ex) {
                throw new IllegalStateException("No constructor of the proxy class of " + type.getName(), ex);
            }
        }

    };

    private JdbcProxies() {
    }

    /**
     * A proxy of one JDBC interface, as {@link Proxy#newProxyInstance} with DDM's class loader makes it.
     * @param <T> the interface
     * @param type the interface
     * @param handler what handles its calls
     * @return the proxy
     */
    public static <T> T create(Class<T> type, InvocationHandler handler) {
        try {
            return type.cast(CONSTRUCTORS.get(type).newInstance(handler));
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("Cannot create a proxy of " + type.getName(), ex);
        }
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
