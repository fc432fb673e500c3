package org.peerobserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peerobserver.support.DurationText;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    private static String refused(Map<String, String> env) {
        return assertThrows(Settings.BadSettingException.class, () -> Settings.of(env, Map.of()).check()).getMessage();
    }

    @Test
    void everyDefaultIsAcceptedAndEverySettingIsFound() throws Exception {
        Settings defaults = Settings.of(Map.of(), Map.of());
        defaults.check();
        assertTrue(defaults.all().size() > 100, "the {{env:...}} lines of application.properties: " + defaults.all().size());
        assertEquals("9876", defaults.value("MANAGEMENT_PORT"));
        assertEquals("info", defaults.value("LOG_LEVEL"));
    }

    @Test
    void everySettingHasARowInTheConfigurationPage() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("docs/configuration.md")).stream().filter(l -> l.startsWith("| `")).toList();
        for (Settings.Setting s : Settings.of(Map.of(), Map.of()).all()) {
            assertTrue(rows.stream().anyMatch(r -> r.substring(0, r.indexOf(" |", 2)).contains("`" + s.name() + "`")),
                    "docs/configuration.md's table lacks " + s.name());
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            MANAGEMENT_PORT      | abc             | a port is a whole number from 0 to 65535
            MANAGEMENT_PORT      | 65536           | a port is a whole number from 0 to 65535
            MANAGEMENT_PORT      | 99999999999999  | a port is a whole number from 0 to 65535
            LOG_LEVEL            | verbose         | it takes one of trace, debug, info, warn, error
            BUS                  | kafka           | it takes one of embedded, nats
            TOOLS                | logger,,metrics | it takes a comma-separated list of logger, metrics
            EXTRACTOR_TYPE       | ''              | it takes a comma-separated list of replay
            LOGGER_FILTER        | messages,blocks | it takes a comma-separated list of messages
            RECORD_GZIP          | yes             | it takes true or false
            RECORD_MAX_FILES     | ten             | it takes a whole number of 0 or more
            RECORD_MAX_FILES     | -1              | it takes a whole number of 0 or more
            REPLAY_SPEED         | -2              | it takes a number of 0 or more
            REPLAY_SPEED         | 1e              | it takes a number of 0 or more
            METRICS_ADDRESS      | 8282            | it takes host:port, e.g. 127.0.0.1:8282
            METRICS_ADDRESS      | localhost:http  | it takes host:port
            ROUTES_DIR           | /nonexistent    | it takes a directory
            """)
    void aValueThatCannotWorkIsRefusedNamingTheSettingAndWhatItTakes(String name, String value, String accepted) {
        String message = refused(Map.of(name, value));
        assertTrue(message.startsWith(name + " is '" + value + "', but "), message);
        assertTrue(message.contains(accepted), message);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            MANAGEMENT_PORT      | 0
            MANAGEMENT_PORT      | 65535
            LOG_LEVEL            | DEBUG
            BITCOIN_NETWORK      | Regtest
            TOOLS                | logger,metrics
            LOGGER_FILTER        | ''
            RECORD_GZIP          | FALSE
            REPLAY_SPEED         | 0.5
            METRICS_ADDRESS      | [::1]:8282
            METRICS_ADDRESS      | 0.0.0.0:0
            NATS_ADDRESS         | nats://a:4222,nats://b:4222
            """)
    void whatASettingTakesIsAccepted(String name, String value) {
        assertDoesNotThrow(() -> Settings.of(Map.of(name, value), Map.of()).check());
    }

    @Test
    void aFlagWinsOverTheVariableAndIsCheckedInItsPlace() throws Exception {
        Settings flagged = Settings.of(Map.of("MANAGEMENT_PORT", "abc"), Map.of("camel.management.port", "9000"));
        flagged.check();
        assertEquals("9000", flagged.value("MANAGEMENT_PORT"));
        String message = assertThrows(Settings.BadSettingException.class,
                () -> Settings.of(Map.of(), Map.of("tools", "bogus")).check()).getMessage();
        assertTrue(message.startsWith("TOOLS (as its command-line flag gave it) is 'bogus'"), message);
    }

    @Test
    void fullControlNeedsBothCredentialsAndCredentialsVertxCanRead() throws Exception {
        assertTrue(managementRefused(Map.of("MANAGEMENT_FULL_CONTROL", "true")).contains("MANAGEMENT_AUTH_PASSWORD"));
        assertTrue(managementRefused(Map.of("MANAGEMENT_AUTH_USERNAME", "operator")).startsWith("MANAGEMENT_AUTH_PASSWORD is empty"));
        assertTrue(managementRefused(Map.of("MANAGEMENT_AUTH_PASSWORD", "s")).startsWith("MANAGEMENT_AUTH_USERNAME is empty"));
        for (String password : List.of("a,b", " padded", "line\nbreak")) {
            String message = managementRefused(Map.of("MANAGEMENT_AUTH_USERNAME", "operator", "MANAGEMENT_AUTH_PASSWORD", password));
            assertTrue(message.startsWith("MANAGEMENT_AUTH_PASSWORD cannot hold"), message);
            assertTrue(!message.contains(password.strip()), "the password is not repeated: " + message);
        }
        assertTrue(managementRefused(Map.of("MANAGEMENT_AUTH_USERNAME", "a=b", "MANAGEMENT_AUTH_PASSWORD", "s"))
                .startsWith("MANAGEMENT_AUTH_USERNAME cannot hold"));
        assertDoesNotThrow(() -> ManagementServer.of(Settings.of(Map.of("MANAGEMENT_FULL_CONTROL", "true",
                "MANAGEMENT_AUTH_USERNAME", "operator", "MANAGEMENT_AUTH_PASSWORD", "p@ss w0rd!"), Map.of())));
    }

    private static String managementRefused(Map<String, String> env) {
        return assertThrows(Settings.BadSettingException.class, () -> ManagementServer.of(Settings.of(env, Map.of()))).getMessage();
    }

    /** A duration setting takes 10s, 500ms or PT10S, and a bare number keeps the unit it always had. */
    @Test
    void aDurationTakesAUnitOrABareNumberInTheUnitOfItsDefault() throws Exception {
        Settings bare = Settings.of(Map.of("P2P_PING_INTERVAL", "10", "EBPF_REATTACH_INTERVAL", "500", "BUS_NATS_ACK_WAIT", "2m"), Map.of());
        bare.check();
        Map<String, String> withUnits = bare.durationsWithUnits();
        assertEquals("10s", withUnits.get("camel.component.bitcoin-p2p.configuration.ping-interval"));
        assertEquals("500ms", withUnits.get("camel.component.bitcoin-ebpf.configuration.reattach-interval"));
        // given with its unit, or left at its default (which has one): nothing to add
        assertEquals(null, withUnits.get("camel.component.bus.configuration.ack-wait"));
        assertEquals(null, withUnits.get("camel.component.bitcoin-rpc.configuration.timeout"));
        // a flag in seconds, as the command line gives it
        assertEquals("5s", Settings.of(Map.of(), Map.of("rpc.delay", "5")).durationsWithUnits().get("rpc.delay"));
        assertDoesNotThrow(() -> Settings.of(Map.of("RPC_TIMEOUT", "PT1M30S"), Map.of()).check());
        // Camel reads a variable named like the key (RPC_QUERY_INTERVAL for rpc.query-interval) in place of
        // the key's value, which would pass a bare number on without its unit
        for (Settings.Setting s : Settings.of(Map.of(), Map.of()).all()) {
            if (DurationText.unitOf(s.defaultValue()) != null) {
                assertTrue(!s.key().toUpperCase(Locale.ROOT).replaceAll("[.-]", "_").equals(s.name()), s.key());
            }
        }
        String message = refused(Map.of("P2P_PING_INTERVAL", "10 seconds"));
        assertEquals("P2P_PING_INTERVAL is '10 seconds', but it takes a duration such as 10s, 500ms, 2m or PT10S, or a whole"
                + " number of seconds", message);
    }
}
