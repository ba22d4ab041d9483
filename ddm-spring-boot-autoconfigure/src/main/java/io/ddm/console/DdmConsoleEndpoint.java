package io.ddm.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.MimeType;

/**
 * {@code GET /actuator/ddmconsole}: one HTML page, with its script and styles inline, that shows the logical database
 * as {@code /actuator/ddm} and {@code /actuator/health/ddm} report it, refreshed every few seconds: nodes with their
 * servers' state, read rotation and pool use; shards and where they live; tables and their data nodes; shard moves;
 * and a route preview box. The page holds no data and no credentials: it reads those endpoints from the browser, so
 * whoever may open the page sees only what the endpoints show them.
 *
 * <p>Being an actuator web endpoint, it is exposed, turned off and secured like any other
 * ({@code management.endpoints.web.exposure.include}, {@code management.endpoint.ddmconsole.access}, Spring Security's
 * {@code EndpointRequest} matchers), on Spring MVC and WebFlux alike. It links to the other endpoints by relative
 * URLs computed from their mapped paths, so base paths and path mappings are followed.
 */
@WebEndpoint(id = DdmConsoleEndpoint.ID)
public class DdmConsoleEndpoint {

    /** The endpoint's id. */
    public static final String ID = "ddmconsole";

    private static final String PAGE = "io/ddm/console/console.html";

    private static final MimeType TEXT_HTML = new MimeType("text", "html", StandardCharsets.UTF_8);

    private final Supplier<@Nullable PathMappedEndpoints> endpoints;

    private volatile @Nullable String page;

    /**
     * Creates the endpoint.
     * @param endpoints the web endpoints' paths, or {@code null} when unknown (then the page assumes the default ids
     *     {@code ddm} and {@code health} beside it)
     */
    public DdmConsoleEndpoint(Supplier<@Nullable PathMappedEndpoints> endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * The console page.
     * @return the HTML
     */
    @ReadOperation(produces = "text/html")
    public WebEndpointResponse<String> page() {
        String html = this.page;
        if (html == null) {
            // Paths are fixed once the application runs; the page is rendered on first use, when they are known.
            html = render(this.endpoints.get());
            this.page = html;
        }
        return new WebEndpointResponse<>(html, WebEndpointResponse.STATUS_OK, TEXT_HTML);
    }

    private static String render(@Nullable PathMappedEndpoints endpoints) {
        String ddm = "ddm";
        String health = "health";
        if (endpoints != null) {
            String prefix = "../".repeat(depth(endpoints.getRootPath(EndpointId.of(ID))));
            String ddmRoot = endpoints.getRootPath(EndpointId.of("ddm"));
            String healthRoot = endpoints.getRootPath(EndpointId.of("health"));
            ddm = (ddmRoot != null) ? prefix + ddmRoot : ddm;
            // An empty path tells the page that health is not exposed: it then shows what /actuator/ddm shows alone.
            health = (healthRoot != null) ? prefix + healthRoot : "";
        }
        return template().replace("{{ddmPath}}", attribute(ddm)).replace("{{healthPath}}", attribute(health));
    }

    /** How many folders below the base path the page's own URL is: its links climb back that many. */
    private static int depth(@Nullable String rootPath) {
        return (rootPath != null) ? (int) rootPath.chars().filter((c) -> c == '/').count() : 0;
    }

    private static String template() {
        try (InputStream in = new ClassPathResource(PAGE, DdmConsoleEndpoint.class.getClassLoader()).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the console page " + PAGE + " from DDM's jar", ex);
        }
    }

    private static String attribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

}
