package io.ddm.test.servers;

import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link RequiresDatabaseServers}: skips the tests when no server can be provided, starts (or
 * reuses) the shared {@link DatabaseTopology}, restores it before each test class and injects it into parameters of
 * type {@link DatabaseTopology}.
 *
 * <p>Usually applied through the annotation. It can also be registered programmatically, e.g. on a static field:
 * <pre>{@code
 * @RegisterExtension
 * static DatabaseServersExtension servers = DatabaseServersExtension.withTopology(1, 2);
 * }</pre>
 */
public final class DatabaseServersExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

    private final Integer primaries;
    private final Integer replicasPerPrimary;

    /** Takes the shape from {@link RequiresDatabaseServers} on the test class (or an enclosing class); 2x1 without. */
    public DatabaseServersExtension() {
        this.primaries = null;
        this.replicasPerPrimary = null;
    }

    private DatabaseServersExtension(int primaries, int replicasPerPrimary) {
        this.primaries = primaries;
        this.replicasPerPrimary = replicasPerPrimary;
    }

    /**
     * An extension for an explicit shape, for {@code @RegisterExtension}.
     *
     * @param primaries number of primaries, at least 1
     * @param replicasPerPrimary number of replicas of each primary, at least 0
     * @return the extension
     */
    public static DatabaseServersExtension withTopology(int primaries, int replicasPerPrimary) {
        return new DatabaseServersExtension(primaries, replicasPerPrimary);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        DatabaseServers.Selection selection = DatabaseServers.selection();
        if (selection.kind() == null && !selection.forced()) {
            return ConditionEvaluationResult.disabled(DatabaseServers.NONE_AVAILABLE_MESSAGE);
        }
        // A forced but unavailable way is not skipped: beforeAll fails with the reason.
        return ConditionEvaluationResult.enabled("Integration test servers: " + selection.kind());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        topology(context).restore();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == DatabaseTopology.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return topology(extensionContext);
    }

    private DatabaseTopology topology(ExtensionContext context) {
        if (primaries != null) {
            return DatabaseServers.topology(primaries, replicasPerPrimary);
        }
        RequiresDatabaseServers shape = find(context).orElse(null);
        return shape == null ? DatabaseServers.topology(2, 1) : DatabaseServers.topology(shape.primaries(), shape.replicasPerPrimary());
    }

    private static Optional<RequiresDatabaseServers> find(ExtensionContext context) {
        for (Class<?> type = context.getTestClass().orElse(null); type != null; type = type.getEnclosingClass()) {
            Optional<RequiresDatabaseServers> annotation = AnnotationSupport.findAnnotation(type, RequiresDatabaseServers.class);
            if (annotation.isPresent()) {
                return annotation;
            }
        }
        return Optional.empty();
    }
}
