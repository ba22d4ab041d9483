package io.ddm.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata generated from {@link DdmProperties} gives IDE help for every {@code ddm.*} key:
 * a description for each, and the documented defaults.
 */
class ConfigurationMetadataTests {

    @Test
    @SuppressWarnings("unchecked")
    void everyPropertyIsDescribedWithItsDefault() throws IOException {
        Map<String, Object> metadata;
        try (InputStream json = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            metadata = new ObjectMapper().readValue(json, Map.class);
        }
        List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
        assertThat(properties).extracting((property) -> property.get("name"))
            .contains("ddm.enabled", "ddm.schema", "ddm.shards", "ddm.create-shard-databases", "ddm.nodes", "ddm.placement",
                    "ddm.read-write-splitting.load-balancer", "ddm.tables", "ddm.broadcast-tables", "ddm.default-shard",
                    "ddm.key-generator.worker-id", "ddm.props");
        assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
            .as("description of %s", property.get("name"))
            .isNotBlank());
        assertThat(properties).filteredOn((property) -> "java.lang.Boolean".equals(property.get("type")))
            .allSatisfy((property) -> assertThat((String) property.get("description")).startsWith("Whether"));
        assertThat(properties).filteredOn((property) -> property.get("name").equals("ddm.enabled"))
            .singleElement()
            .satisfies((property) -> assertThat(property.get("defaultValue")).isEqualTo(true));
        assertThat(properties).filteredOn((property) -> property.get("name").equals("ddm.read-write-splitting.load-balancer"))
            .singleElement()
            .satisfies((property) -> assertThat(property.get("defaultValue")).isEqualTo("round-robin"));
    }

}
