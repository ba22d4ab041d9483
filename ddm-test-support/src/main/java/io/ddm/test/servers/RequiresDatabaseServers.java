package io.ddm.test.servers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a JUnit 5 test class against a shared {@link DatabaseTopology} of real servers, injected as a parameter of
 * test methods, lifecycle methods or the constructor:
 *
 * <pre>{@code
 * @RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
 * class OrderRepositoryIT {
 *     @Test
 *     void replicates(DatabaseTopology topology) throws SQLException { ... }
 * }
 * }</pre>
 *
 * <p>The topology is started once per JVM and shape (see {@link DatabaseServers#topology(int, int)}), and
 * {@link DatabaseTopology#restore() restored} before each test class. If no server can be provided, the class is
 * skipped with {@link DatabaseServers#NONE_AVAILABLE_MESSAGE}. Also applies to {@code @Nested} classes.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DatabaseServersExtension.class)
public @interface RequiresDatabaseServers {

    /**
     * Number of primaries.
     *
     * @return at least 1
     */
    int primaries() default 2;

    /**
     * Number of replicas of each primary.
     *
     * @return at least 0
     */
    int replicasPerPrimary() default 1;
}
