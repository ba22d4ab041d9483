package io.ddm.endpoint;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code ddm} actuator endpoint. Passwords never appear in it; these settings govern the
 * server URLs and usernames, as {@code show-values} does for Boot's env endpoint.
 */
@ConfigurationProperties("ddm.endpoint")
public class DdmEndpointProperties {

    /**
     * When to show server URLs and usernames unsanitized.
     */
    private Show showValues = Show.NEVER;

    /**
     * Roles allowed to see unsanitized values when show-values is when-authorized; empty means any
     * authenticated user.
     */
    private Set<String> roles = new LinkedHashSet<>();

    public Show getShowValues() {
        return this.showValues;
    }

    public void setShowValues(Show showValues) {
        this.showValues = showValues;
    }

    public Set<String> getRoles() {
        return this.roles;
    }

    public void setRoles(Set<String> roles) {
        this.roles = roles;
    }

}
