package org.peerobserver;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What camel-package-maven-plugin generated from our components' annotations reaches Camel: the component
 * JSON (as Camel tooling and Jolokia read it, through the context) and the configurers that bind options
 * without reflection.
 */
class ComponentMetadataTest {
    private static final List<String> COMPONENTS = List.of("bus", "bitcoin-ebpf", "bitcoin-log", "bitcoin-p2p", "bitcoin-rpc", "replay");

    @Test
    void everyComponentHasItsJsonWithTheOptionsDescribed() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            for (String name : COMPONENTS) {
                String json = context.getComponentParameterJsonSchema(name);
                assertNotNull(json, name);
                JsonNode schema = new ObjectMapper().readTree(json);
                assertEquals(name, schema.path("component").path("scheme").asText());
                assertTrue(schema.path("componentProperties").has("configuration"), name);
                schema.path("properties").fields().forEachRemaining(option -> assertTrue(
                        !option.getValue().path("description").asText().isBlank(), name + " " + option.getKey() + " lacks a description"));
            }
            JsonNode p2p = new ObjectMapper().readTree(context.getComponentParameterJsonSchema("bitcoin-p2p"));
            JsonNode ping = p2p.path("properties").path("pingInterval");
            assertEquals("Time between our pings (0: none)", ping.path("description").asText());
            assertEquals("java.time.Duration", ping.path("javaType").asText());
            assertEquals("10s", ping.path("defaultValue").asText());
            JsonNode rpc = new ObjectMapper().readTree(context.getComponentParameterJsonSchema("bitcoin-rpc"));
            assertTrue(rpc.path("properties").path("password").path("secret").asBoolean());
        }
    }

    @Test
    void optionsBindThroughGeneratedConfigurers() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            for (String name : COMPONENTS) {
                for (String kind : List.of("-component", "-endpoint")) {
                    PropertyConfigurer configurer = PluginHelper.getConfigurerResolver(context)
                            .resolvePropertyConfigurer(name + kind, context);
                    assertNotNull(configurer, name + kind);
                    assertTrue(configurer.getClass().getName().startsWith("org.peerobserver."), configurer.getClass().getName());
                }
            }
        }
    }

    /**
     * application.properties sets each component option once, as {@code camel.component.<name>.configuration.*},
     * naming an option the component declares; the extractor routes do not set it again.
     */
    @Test
    void applicationPropertiesSetDeclaredOptionsOnceAndRoutesDoNotRepeatThem() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Pattern key = Pattern.compile("camel\\.component\\.([a-z0-9-]+)\\.configuration\\.([a-z0-9-]+)");
        List<String> options = new ArrayList<>();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            for (String name : properties.stringPropertyNames()) {
                Matcher m = key.matcher(name);
                if (m.matches()) {
                    String option = camelCase(m.group(2));
                    JsonNode declared = new ObjectMapper().readTree(context.getComponentParameterJsonSchema(m.group(1)))
                            .path("componentProperties").path(option);
                    assertEquals("configuration", declared.path("configurationField").asText(), name + " is no option of " + m.group(1));
                    options.add(option);
                }
            }
        }
        assertTrue(options.size() > 60, "component options in application.properties: " + options.size());
        try (Stream<Path> routes = Files.list(Path.of("src/main/resources/routes/extractors"))) {
            for (Path route : routes.toList()) {
                JsonNode parameters = new ObjectMapper(new YAMLFactory()).readTree(route.toFile()).path(0).path("route")
                        .path("from").path("parameters");
                parameters.fieldNames().forEachRemaining(p -> assertFalse(options.contains(p),
                        route.getFileName() + " sets " + p + " again: it is set once in application.properties"));
            }
        }
    }

    private static String camelCase(String dashed) {
        return Pattern.compile("-([a-z0-9])").matcher(dashed).replaceAll(r -> r.group(1).toUpperCase());
    }
}
