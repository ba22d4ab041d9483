package io.ddm.config;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import io.ddm.algorithm.DateFunction;
import io.ddm.algorithm.ShardingFunction;
import io.ddm.endpoint.DdmEndpointProperties;
import io.ddm.topology.LoadBalancer;
import org.apache.shardingsphere.infra.config.props.ConfigurationPropertyKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every key a user can write has IDE help. Keys outside map entries are properties of the generated configuration
 * metadata with a description. Keys inside a map entry ({@code ddm.nodes.<node>.url}) cannot be named in Boot's
 * metadata format; IDEs resolve them from the map property's generic type in the metadata
 * ({@code Map<String, DdmProperties$Node>}) and show the value class's field Javadoc, so for them the map property
 * must be in the metadata with that type and the field must have a Javadoc.
 */
class PropertyReferenceMetadataTests {

    private static final Path README = Path.of("..", "README.md");

    private static final Path SOURCES = Path.of("src", "main", "java");

    /** A placeholder segment: a map key ({@code <node>}, {@code *}) in the README, normalized. */
    private static final String KEY = "<key>";

    private static Map<String, Map<String, Object>> properties;

    private static List<Map<String, Object>> hints;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readMetadata() throws IOException {
        Map<String, Object> metadata;
        try (InputStream json = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            metadata = new ObjectMapper().readValue(json, Map.class);
        }
        properties = new LinkedHashMap<>();
        for (Map<String, Object> property : (List<Map<String, Object>>) metadata.get("properties")) {
            properties.put((String) property.get("name"), property);
        }
        hints = (List<Map<String, Object>>) metadata.get("hints");
    }

    @Test
    void everyReachablePropertyHasMetadataAndDescription() throws IOException {
        Map<String, Reachable> reachable = reachableKeys();
        assertThat(reachable).containsKeys("ddm.nodes.<key>.url", "ddm.nodes.<key>.replicas.<key>.weight",
                "ddm.tables.<key>.database-sharding.ranges[i].shard", "ddm.tables.<key>.table-sharding.segments-start",
                "ddm.tables.<key>.key-generator.type", "ddm.nodes.<key>.pool.<key>", "ddm.endpoint.show-values");
        List<String> problems = new ArrayList<>();
        reachable.forEach((key, property) -> property.check(key, problems));
        assertThat(problems).isEmpty();
    }

    @Test
    void everyKeyOfTheReadmePropertyReferenceIsReachableAndDescribed() throws IOException {
        Map<String, Reachable> reachable = reachableKeys();
        List<String> readmeKeys = readmePropertyReferenceKeys();
        assertThat(readmeKeys).hasSizeGreaterThan(40).contains("ddm.nodes.<key>.replicas.<key>.pool.<key>",
                "ddm.tables.<key>.table-sharding.lists.<key>", "ddm.props.<key>");
        List<String> problems = new ArrayList<>();
        for (String key : readmeKeys) {
            Reachable property = reachable.containsKey(key) ? reachable.get(key)
                    : (properties.containsKey(key) ? new Reachable(null, null, null) : null);
            if (property == null) {
                problems.add(key + ": in the README's property reference but no such property is bound");
            }
            else {
                property.check(key, problems);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void healthIndicatorSwitchIsDescribed() {
        assertThat(properties.get("management.health.ddm.enabled")).isNotNull()
            .containsEntry("type", "java.lang.Boolean")
            .containsEntry("defaultValue", true)
            .hasEntrySatisfying("description", (description) -> assertThat((String) description).startsWith("Whether"));
    }

    @Test
    void valueHintsNameExactlyTheAcceptedValues() {
        assertThat(hintValues("ddm.read-write-splitting.load-balancer"))
            .containsExactlyInAnyOrderElementsOf(kebabNames(LoadBalancer.values()));
        assertThat(hintValues("ddm.endpoint.show-values")).containsExactlyInAnyOrderElementsOf(kebabNames(Show.values()));
        assertThat(hintValues("ddm.props.keys")).isNotEmpty()
            .isSubsetOf(Arrays.stream(ConfigurationPropertyKey.values()).map(ConfigurationPropertyKey::getKey).toList());
    }

    @Test
    void enumValuedKeysInsideMapEntriesOfferTheNamesUsersWrite() {
        assertThat(Arrays.stream(ShardingFunction.values()).map(ShardingFunction::propertyName))
            .containsExactlyElementsOf(kebabNames(ShardingFunction.values()))
            .contains("uni-hash", "mod-hash-ci");
        assertThat(Arrays.stream(DateFunction.values()).map(DateFunction::propertyName))
            .containsExactlyElementsOf(kebabNames(DateFunction.values()));
        assertThat(kebabNames(DdmProperties.KeyGeneratorType.values())).containsExactly("snowflake", "uuid", "sequence");
    }

    @Test
    void poolHelpNamesOnlyHikariSettings() throws IOException {
        String help = javadoc(field(DdmProperties.Node.class, "pool"));
        Matcher names = Pattern.compile("\\b[a-z]+(?:-[a-z]+)+\\b").matcher(help);
        List<String> settings = new ArrayList<>();
        while (names.find()) {
            settings.add(names.group());
        }
        assertThat(settings).contains("maximum-pool-size", "connection-timeout", "data-source-properties")
            .allSatisfy((setting) -> assertThat(BeanUtils.getPropertyDescriptor(HikariConfig.class, camel(setting)))
                .as("HikariCP setting %s", setting)
                .isNotNull()
                .satisfies((descriptor) -> assertThat(descriptor.getWriteMethod()).isNotNull()));
    }

    private static String camel(String kebab) {
        Matcher dash = Pattern.compile("-([a-z])").matcher(kebab);
        StringBuilder camel = new StringBuilder();
        while (dash.find()) {
            dash.appendReplacement(camel, dash.group(1).toUpperCase(Locale.ROOT));
        }
        return dash.appendTail(camel).toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> hintValues(String name) {
        Map<String, Object> hint = hints.stream().filter((candidate) -> name.equals(candidate.get("name"))).findFirst().orElseThrow();
        List<Map<String, Object>> values = (List<Map<String, Object>>) hint.get("values");
        assertThat(values).allSatisfy((value) -> assertThat((String) value.get("description")).as("hint %s", value).isNotBlank());
        return values.stream().map((value) -> (String) value.get("value")).toList();
    }

    private static List<String> kebabNames(Enum<?>[] values) {
        return Arrays.stream(values).map((value) -> value.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
    }

    /**
     * The keys of the README's property reference table, placeholders normalized: {@code <node>} and {@code *} become
     * {@value #KEY}; a key written as {@code .password} after another replaces that key's last segment.
     */
    private static List<String> readmePropertyReferenceKeys() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Property reference");
        assertThat(start).as("README section '## Property reference'").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, (end < 0) ? readme.length() : end);
        List<String> keys = new ArrayList<>();
        Pattern code = Pattern.compile("`([^`]+)`");
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String firstColumn = line.substring(1, line.indexOf('|', 1));
            String previous = null;
            Matcher matcher = code.matcher(firstColumn);
            while (matcher.find()) {
                String written = normalize(matcher.group(1).strip());
                String key = written.startsWith(".") ? previous.substring(0, previous.lastIndexOf('.')) + written : written;
                keys.add(key);
                previous = key;
            }
        }
        return keys;
    }

    private static String normalize(String readmeKey) {
        return readmeKey.replaceAll("<[^>]+>", KEY).replaceAll("\\.\\*$", "." + KEY);
    }

    private static Map<String, Reachable> reachableKeys() throws IOException {
        Map<String, Reachable> keys = new LinkedHashMap<>();
        walk(DdmProperties.class, "ddm", null, keys);
        walk(DdmEndpointProperties.class, "ddm.endpoint", null, keys);
        return keys;
    }

    /**
     * Collects the keys bound to the bean properties of a type.
     * @param type the type
     * @param prefix the key of the type
     * @param mapProperty the metadata property of the map or list whose entries the type is bound in, or
     * {@code null} outside map entries
     * @param keys the keys found so far
     */
    private static void walk(Class<?> type, String prefix, String mapProperty, Map<String, Reachable> keys) throws IOException {
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() == null || descriptor.getWriteMethod() == null) {
                continue;
            }
            String key = prefix + "." + kebab(descriptor.getName());
            Field field = field(type, descriptor.getName());
            Type valueType = descriptor.getReadMethod().getGenericReturnType();
            String javadoc = (mapProperty != null) ? javadoc(field) : null;
            keys.put(key, new Reachable(mapProperty, javadoc, null));
            if (valueType instanceof ParameterizedType generic && Map.class.isAssignableFrom(descriptor.getPropertyType())) {
                Type entryType = generic.getActualTypeArguments()[1];
                if (isBean(entryType)) {
                    walk((Class<?>) entryType, key + "." + KEY, (mapProperty != null) ? mapProperty : key, keys);
                }
                else {
                    keys.put(key + "." + KEY, (mapProperty != null) ? new Reachable(mapProperty, javadoc, null)
                            : new Reachable(null, null, key));
                }
            }
            else if (valueType instanceof ParameterizedType generic && Collection.class.isAssignableFrom(descriptor.getPropertyType())
                    && isBean(generic.getActualTypeArguments()[0])) {
                walk((Class<?>) generic.getActualTypeArguments()[0], key + "[i]", (mapProperty != null) ? mapProperty : key, keys);
            }
            else if (isBean(valueType)) {
                keys.remove(key);
                walk((Class<?>) valueType, key, mapProperty, keys);
            }
        }
    }

    private static boolean isBean(Type type) {
        return type instanceof Class<?> cls && cls.getName().startsWith("io.ddm.") && !cls.isEnum() && cls != Duration.class;
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
            try {
                return candidate.getDeclaredField(name);
            }
            catch (NoSuchFieldException ex) {
                // declared by a superclass
            }
        }
        throw new IllegalStateException("No field " + name + " in " + type.getName());
    }

    /**
     * The Javadoc of a field as IDEs show it, read from the source: the text of the comment right before the
     * field's declaration in its class, or {@code null}.
     */
    private static String javadoc(Field field) throws IOException {
        Class<?> topLevel = field.getDeclaringClass();
        while (topLevel.getEnclosingClass() != null) {
            topLevel = topLevel.getEnclosingClass();
        }
        String source = Files.readString(SOURCES.resolve(topLevel.getName().replace('.', '/') + ".java"), StandardCharsets.UTF_8);
        Matcher declaration = Pattern.compile("\\b(?:class|enum|record)\\s+" + field.getDeclaringClass().getSimpleName() + "\\b")
            .matcher(source);
        assertThat(declaration.find()).as("declaration of %s", field.getDeclaringClass()).isTrue();
        Matcher next = Pattern.compile("\\b(?:class|enum|record)\\s+\\w+").matcher(source);
        int end = next.find(declaration.end()) ? next.start() : source.length();
        String body = source.substring(declaration.end(), end);
        Matcher commented = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*private\\s+[\\w<>,.?@\\s]+?\\b"
                + field.getName() + "\\s*[=;]", Pattern.DOTALL)
            .matcher(body);
        return commented.find() ? commented.group(1).replaceAll("(?m)^\\s*\\*", " ").strip() : null;
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /**
     * A bound key and where an IDE finds its help.
     * @param mapProperty the metadata property of the map or list the key is inside, or {@code null} when the key
     * itself is a metadata property
     * @param javadoc the Javadoc of the field bound to the key, for keys inside map entries
     * @param valueOf the map property whose entries the key is, for keys of maps of plain values
     */
    private record Reachable(String mapProperty, String javadoc, String valueOf) {

        void check(String key, List<String> problems) {
            if (this.mapProperty == null) {
                Map<String, Object> property = properties.get((this.valueOf != null) ? this.valueOf : key);
                if (property == null) {
                    problems.add(key + ": no metadata");
                }
                else if (property.get("description") == null || ((String) property.get("description")).isBlank()) {
                    problems.add(key + ": no description in the metadata");
                }
                return;
            }
            Map<String, Object> map = properties.get(this.mapProperty);
            if (map == null || !((String) map.get("type")).contains("io.ddm.")) {
                problems.add(key + ": the metadata has no property " + this.mapProperty + " typed by the entries' class");
            }
            if (this.javadoc == null || this.javadoc.isBlank()) {
                problems.add(key + ": its field has no Javadoc, the description IDEs show for keys inside " + this.mapProperty);
            }
        }

    }

}
