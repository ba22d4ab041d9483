package io.ddm.sample;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.DockerComposeOrigin;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

/**
 * The sample's {@code docker-compose.yml} as Spring Boot's Docker Compose support would see its services running,
 * without Docker: each service's image, environment and labels as written in the file, its port 3306 published on
 * a port of the caller's choice. {@link #announceReady} hands them to Boot's own service-connection listener, whose
 * constructor and event are package-private (hence reflection), exactly as Boot does once {@code docker compose up}
 * has finished.
 */
final class ComposeFile {

    static final Path FILE = Path.of("docker-compose.yml");

    private ComposeFile() {
    }

    /**
     * The services of the compose file, running on 127.0.0.1.
     * @param hostPort the published port of a service, by service name
     * @return the services in file order
     */
    @SuppressWarnings("unchecked")
    static List<RunningService> services(ToIntFunction<String> hostPort) throws IOException {
        List<RunningService> result = new ArrayList<>();
        declaredServices().forEach((name, service) -> result.add(new Service(name, (String) service.get("image"),
                strings((Map<String, Object>) service.get("environment")), strings((Map<String, Object>) service.get("labels")),
                hostPort.applyAsInt(name))));
        return result;
    }

    /** The published port of each service as the file declares it ({@code 127.0.0.1:3311:3306}). */
    @SuppressWarnings("unchecked")
    static Map<String, Integer> publishedPorts() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        declaredServices().forEach((name, service) -> {
            String mapping = ((List<String>) service.get("ports")).get(0);
            String[] parts = mapping.split(":");
            ports.put(name, Integer.parseInt(parts[parts.length - 2]));
        });
        return ports;
    }

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

    /** The {@code services} section of the file: each service's settings by its name, in file order. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> declaredServices() throws IOException {
        Map<String, Object> file;
        try (InputStream in = Files.newInputStream(FILE)) {
            file = new Yaml().load(in);
        }
        return (Map<String, Map<String, Object>>) file.get("services");
    }

    private static Map<String, String> strings(Map<String, Object> values) {
        Map<String, String> result = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((key, value) -> result.put(key, String.valueOf(value)));
        }
        return result;
    }

    private record Service(String name, String imageName, Map<String, String> env, Map<String, String> labels, int hostPort)
            implements RunningService, OriginProvider {

        @Override
        public ImageReference image() {
            return ImageReference.of(this.imageName);
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public ConnectionPorts ports() {
            int port = this.hostPort;
            return new ConnectionPorts() {

                @Override
                public int get(int containerPort) {
                    if (containerPort != 3306) {
                        throw new IllegalStateException("No host port for container port " + containerPort);
                    }
                    return port;
                }

                @Override
                public List<Integer> getAll() {
                    return List.of(port);
                }

                @Override
                public List<Integer> getAll(String protocol) {
                    return List.of(port);
                }

            };
        }

        @Override
        public Origin getOrigin() {
            return new DockerComposeOrigin(null, this.name);
        }

    }

}
