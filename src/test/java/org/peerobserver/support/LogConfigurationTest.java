package org.peerobserver.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's configuration as the environment and the command line's system properties make it. */
class LogConfigurationTest {
    private static final LogEvent FAILURE = Log4jLogEvent.newBuilder().setLoggerName("org.peerobserver.tool.fibre.FibreExporter")
            .setLevel(Level.WARN).setMessage(new SimpleMessage("a peer said \u001b[31mhi\nINFO forged"))
            .setThrown(new IllegalStateException("broken")).build();

    @Test
    void theTestsLogHasThisConfigurationToo() {
        assertInstanceOf(LogConfiguration.class, ((LoggerContext) LogManager.getContext(false)).getConfiguration(),
                "log4j2.component.properties names its factory");
    }

    @Test
    void ourLevelIsLogLevelAndItsFlagWins() {
        configured(Map.of(), new Properties(), c -> {
            assertEquals(Level.INFO, c.getRootLogger().getLevel());
            assertEquals(Level.INFO, c.getLoggerConfig("org.peerobserver.tool.fibre.FibreExporter").getLevel());
        });
        configured(Map.of("LOG_LEVEL", "DEBUG"), new Properties(), c -> {
            assertEquals(Level.INFO, c.getRootLogger().getLevel(), "others' loggers stay at info");
            assertEquals(Level.DEBUG, c.getLoggerConfig("org.peerobserver.tool.fibre.FibreExporter").getLevel());
            assertEquals(Level.DEBUG, c.getLoggerConfig("tool-logger").getLevel());
            assertEquals(Level.DEBUG, c.getLoggerConfig("org.peerobserver.extractor.ebpf.libbpf").getLevel());
        });
        configured(Map.of("LOG_LEVEL", "debug"), properties(LogConfiguration.LEVEL, "warn", LogConfiguration.LIBBPF, "trace"), c -> {
            assertEquals(Level.WARN, c.getLoggerConfig("org.peerobserver.bus.Bus").getLevel());
            assertEquals(Level.WARN, c.getLoggerConfig("tool-logger").getLevel());
            assertEquals(Level.TRACE, c.getLoggerConfig("org.peerobserver.extractor.ebpf.libbpf").getLevel());
        });
    }

    /** PeerObserver.main refuses one at the start; a JVM embedding the jar gets a warning, and log4j's own choice. */
    @Test
    void aLevelThatIsNoneLeavesOurLoggersAtTheRootsLevel() {
        configured(Map.of("LOG_LEVEL", "verbose"), new Properties(), c -> {
            assertEquals(Level.INFO, c.getLoggerConfig("org.peerobserver.bus.Bus").getLevel());
            assertEquals(Level.INFO, c.getLoggerConfig("tool-logger").getLevel());
        });
    }

    @Test
    void othersChatterIsKeptToWarnings() {
        configured(Map.of("LOG_LEVEL", "trace"), new Properties(), c -> {
            for (String name : List.of("org.apache.camel.component.platform.http.main.MainHttpServerUtil",
                    "org.apache.camel.component.platform.http.plugin.DefaultJolokiaPlatformHttpPlugin",
                    "org.apache.camel.component.micrometer.prometheus.MicrometerPrometheus",
                    "org.apache.camel.component.vertx.websocket.VertxWebsocketHost")) {
                assertEquals(Level.WARN, c.getLoggerConfig(name).getLevel(), name);
            }
            assertEquals(Level.INFO, c.getLoggerConfig("org.apache.camel.impl.engine.AbstractCamelContext").getLevel());
            assertEquals(false, c.isShutdownHookEnabled(), "Camel's shutdown hook still logs");
        });
    }

    @Test
    void textLinesByDefault() {
        configured(Map.of(), new Properties(), c -> {
            assertEquals(List.of("text"), List.copyOf(c.getRootLogger().getAppenders().keySet()));
            assertNull(c.getAppender("json"), "the JSON layout is not built for nothing");
            ConsoleAppender text = c.getAppender("text");
            assertEquals("SYSTEM_OUT.false.true", text.getManager().getName(), "standard output, direct");
            String[] lines = text.getLayout().toSerializable(FAILURE).toString().split("\n", -1);
            assertEquals(4, lines.length, String.join("\n", lines));
            assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN  FibreExporter - "
                    + "a peer said \\\\x1b\\[31mhi\\\\nINFO forged"), lines[0]);
            assertEquals("java.lang.IllegalStateException: broken", lines[1]);
            assertTrue(lines[2].startsWith("\tat org.peerobserver.support.LogConfigurationTest."), "and its first frame only: " + lines[2]);
            assertEquals("", lines[3]);
        });
        configured(Map.of("LOG_STACKTRACES", "full"), new Properties(), c -> {
            String rendered = c.getAppender("text").getLayout().toSerializable(FAILURE).toString();
            assertTrue(rendered.split("\n\tat ").length > 3, rendered);
        });
    }

    @Test
    void jsonLinesWhenAsked() {
        configured(Map.of("LOG_FORMAT", "JSON"), new Properties(), c -> {
            assertEquals(List.of("json"), List.copyOf(c.getRootLogger().getAppenders().keySet()));
            assertNull(c.getAppender("text"));
            ConsoleAppender json = c.getAppender("json");
            assertEquals("SYSTEM_OUT.false.true", json.getManager().getName());
            String line = json.getLayout().toSerializable(FAILURE).toString();
            assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
            JsonNode entry = read(line);
            assertEquals("WARN", entry.get("level").asText());
            assertEquals("org.peerobserver.tool.fibre.FibreExporter", entry.get("logger").asText());
            assertEquals("a peer said \u001b[31mhi\nINFO forged", entry.get("message").asText());
            assertEquals("broken", entry.get("error").asText());
            assertEquals("java.lang.IllegalStateException", entry.get("error_class").asText());
        });
        configured(Map.of("LOG_FORMAT", "json"), properties(LogConfiguration.FORMAT, "text"), c ->
                assertEquals(List.of("text"), List.copyOf(c.getRootLogger().getAppenders().keySet()), "the property wins"));
        configured(Map.of("LOG_FORMAT", "xml"), new Properties(), c ->
                assertEquals(List.of("text"), List.copyOf(c.getRootLogger().getAppenders().keySet()), "text, with a warning"));
        String big = "x".repeat(10_000);
        configured(Map.of("LOG_FORMAT", "json"), new Properties(), c -> {
            LogEvent event = Log4jLogEvent.newBuilder().setLoggerName("x").setLevel(Level.INFO).setMessage(new SimpleMessage(big)).build();
            assertEquals(8192, read(c.getAppender("json").getLayout().toSerializable(event).toString()).get("message").asText()
                    .replace("…", "").length(), "cut at 8192 characters");
        });
    }

    /** fibre-exporter's --log-file: the lines in the file as well, whatever the console's format. */
    @Test
    void aFileOnlyWhenOneIsNamed(@TempDir Path dir) throws Exception {
        configured(Map.of(), new Properties(), c -> assertNull(c.getAppender("file")));
        Path file = dir.resolve("fibre.log");
        LogConfiguration c = new LogConfiguration(null, Map.of("LOG_FORMAT", "json"), properties(LogConfiguration.FILE, file.toString()));
        LoggerContext context = new LoggerContext("log-configuration-test");
        try {
            context.start(c);
            assertEquals(Set.of("json", "file"), c.getRootLogger().getAppenders().keySet());
            assertEquals(file.toString(), c.<FileAppender>getAppender("file").getFileName());
            context.getLogger("org.peerobserver.tool.fibre.FibreExporter").info("race {}\nopen", 7);
            context.getLogger("org.peerobserver.tool.fibre.FibreExporter").debug("not at info");
        } finally {
            context.stop();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).endsWith(" INFO  FibreExporter - race 7\\nopen"), lines.get(0));
    }

    private static void configured(Map<String, String> env, Properties system, Consumer<LogConfiguration> check) {
        LogConfiguration c = new LogConfiguration(null, env, system);
        c.initialize();
        try {
            check.accept(c);
        } finally {
            c.stop();
        }
    }

    private static Properties properties(String... keysAndValues) {
        Properties p = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
