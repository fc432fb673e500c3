package org.peerobserver;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
