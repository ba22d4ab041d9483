package io.ddm.datasource;

import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import io.ddm.config.DdmConfigurationException;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;

/**
 * Binds a server's {@code pool} map (HikariCP settings in relaxed form, as in {@code spring.datasource.hikari.*})
 * onto a {@link HikariConfig} with Boot's binder, rejecting keys HikariCP does not know.
 */
public final class PoolSettings {

    private static final String ROOT = "pool";

    private PoolSettings() {
    }

    /**
     * Binds settings onto a new {@link HikariConfig}.
     * @param settings relaxed HikariCP setting names to values
     * @param propertyPath the settings' property path, for error messages
     * @return the bound configuration
     * @throws DdmConfigurationException for an unknown setting or a value of the wrong type or that HikariCP rejects,
     *     naming the setting's full path
     */
    public static HikariConfig bind(Map<String, String> settings, String propertyPath) {
        HikariConfig config = new HikariConfig();
        if (settings.isEmpty()) {
            return config;
        }
        Map<String, String> source = new LinkedHashMap<>();
        settings.forEach((key, value) -> source.put(ROOT + "." + key, value));
        Binder binder = new Binder(new MapConfigurationPropertySource(source));
        try {
            binder.bind(ROOT, Bindable.ofInstance(config),
                    new NoUnboundElementsBindHandler(org.springframework.boot.context.properties.bind.BindHandler.DEFAULT,
                            new UnboundElementsSourceFilter()));
        }
        catch (BindException ex) {
            throw new DdmConfigurationException(settingPath(ex, propertyPath), "invalid HikariCP setting: " + reason(ex),
                    "Use HikariCP setting names in relaxed form (maximum-pool-size, minimum-idle, connection-timeout,"
                            + " data-source-properties.*) with values HikariCP accepts; durations are milliseconds.");
        }
        return config;
    }

    /** The full path of the setting that failed ({@code ddm.nodes.ds0.pool.maximum-pool-size}), when known. */
    private static String settingPath(BindException ex, String propertyPath) {
        String name = null;
        if (ex.getProperty() != null) {
            name = ex.getProperty().getName().toString();
        }
        else if (ex.getCause() instanceof UnboundConfigurationPropertiesException unbound
                && unbound.getUnboundProperties().size() == 1) {
            name = unbound.getUnboundProperties().iterator().next().getName().toString();
        }
        return (name != null && name.startsWith(ROOT + ".")) ? propertyPath + name.substring(ROOT.length()) : propertyPath;
    }

    /** Boot's message with HikariCP's own reason (e.g. "maxPoolSize cannot be less than 1") when it gave one. */
    private static String reason(BindException ex) {
        Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
        String message = cause.getMessage();
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != cause && root instanceof IllegalArgumentException && root.getMessage() != null) {
            message = message + " (" + root.getMessage() + ")";
        }
        return message;
    }

}
