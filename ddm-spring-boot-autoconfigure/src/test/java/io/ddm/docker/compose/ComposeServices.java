package io.ddm.docker.compose;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;

import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.DockerComposeOrigin;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

/**
 * Running Docker Compose services without Docker ({@link RunningService} is an interface), and Boot's own handling of
 * them. Boot's {@code DockerComposeConnectionSource} and its services-ready event and listener have package-private
 * constructors (Boot's tests live in its package); they are made here by reflection, so that the tests run the
 * code Boot runs rather than a copy of it.
 */
final class ComposeServices {

    private ComposeServices() {
    }

    /**
     * A running service of image {@code mysql:8.4}, its port 3306 published on {@code hostPort} of 127.0.0.1. Like
     * Boot's own running services it has an origin (the service in the default compose file).
     */
    static RunningService mysql(String name, int hostPort, Map<String, String> env, Map<String, String> labels) {
        return new Service() {

            @Override
            public Origin getOrigin() {
                return new DockerComposeOrigin(null, name);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public ImageReference image() {
                return ImageReference.of("mysql:8.4");
            }

            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public ConnectionPorts ports() {
                return new ConnectionPorts() {

                    @Override
                    public int get(int containerPort) {
                        if (containerPort != 3306) {
                            throw new IllegalStateException("No host port for container port " + containerPort);
                        }
                        return hostPort;
                    }

                    @Override
                    public List<Integer> getAll() {
                        return List.of(hostPort);
                    }

                    @Override
                    public List<Integer> getAll(String protocol) {
                        return List.of(hostPort);
                    }

                };
            }

            @Override
            public Map<String, String> env() {
                return env;
            }

            @Override
            public Map<String, String> labels() {
                return labels;
            }

            @Override
            public String toString() {
                return "service " + name;
            }

        };
    }

    /** A running service with an origin, as Boot's are. */
    interface Service extends RunningService, OriginProvider {

    }

    /** The labels of a DDM server: Boot's service-connection label {@code ddm}, the node and the role. */
    static Map<String, String> ddmLabels(String node, String role) {
        return Map.of("org.springframework.boot.service-connection", "ddm", "io.ddm.node", node, "io.ddm.role", role);
    }

    /** The source Boot's listener passes to the connection details factories for a service. */
    static DockerComposeConnectionSource source(RunningService service) {
        try {
            Constructor<DockerComposeConnectionSource> constructor = DockerComposeConnectionSource.class
                .getDeclaredConstructor(RunningService.class, Environment.class);
            constructor.setAccessible(true);
            return constructor.newInstance(service, new StandardEnvironment());
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("Boot's DockerComposeConnectionSource changed: " + ex, ex);
        }
    }

    /**
     * Registers the connection details of the services in the context as Boot does when Docker Compose reports them
     * ready: its {@code DockerComposeServiceConnectionsApplicationListener} on a {@code DockerComposeServicesReadyEvent}.
     */
    @SuppressWarnings("unchecked")
    static void announceReady(ApplicationContext context, List<RunningService> services) {
        String base = "org.springframework.boot.docker.compose.";
        try {
            Constructor<?> listener = Class.forName(base + "service.connection.DockerComposeServiceConnectionsApplicationListener")
                .getDeclaredConstructor();
            listener.setAccessible(true);
            Constructor<?> event = Class.forName(base + "lifecycle.DockerComposeServicesReadyEvent")
                .getDeclaredConstructor(ApplicationContext.class, List.class);
            event.setAccessible(true);
            ((ApplicationListener<ApplicationEvent>) listener.newInstance())
                .onApplicationEvent((ApplicationEvent) event.newInstance(context, services));
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("Boot's Docker Compose service connection listener changed: " + ex, ex);
        }
    }

}
