package io.ddm.routing;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * Runs methods annotated with {@link DdmPrimary} inside {@link PrimaryRouting}.
 */
public class DdmPrimaryInterceptor implements MethodInterceptor {

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (PrimaryRouting.isActive()) {
            return invocation.proceed();
        }
        Throwable[] failure = new Throwable[1];
        Object result = PrimaryRouting.call(() -> {
            try {
                return invocation.proceed();
            }
            catch (Throwable ex) {
                failure[0] = ex;
                return null;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return result;
    }

}
