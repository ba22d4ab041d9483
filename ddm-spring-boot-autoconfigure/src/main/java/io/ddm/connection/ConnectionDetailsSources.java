package io.ddm.connection;

import org.springframework.boot.origin.Origin;

/**
 * Names where connection details come from, for startup errors and the log: a Testcontainers field or bean, a
 * Docker Compose service, or the details' own description.
 */
public final class ConnectionDetailsSources {

    private ConnectionDetailsSources() {
    }

    /**
     * Describes the source of the given connection details.
     * @param details the details
     * @return their origin when they have one (Testcontainers, Docker Compose), else their own description, else
     * their class name
     */
    public static String describe(Object details) {
        Origin origin = Origin.from(details);
        if (origin != null) {
            return origin.toString();
        }
        try {
            if (details.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
                return details.toString();
            }
        }
        catch (NoSuchMethodException ex) {
            // Every class has toString.
        }
        return details.getClass().getName();
    }

}
