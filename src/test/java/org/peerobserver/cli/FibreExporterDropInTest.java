package org.peerobserver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fibre_exporter.py's flags, variables and config file (v1.2.0) given to the fibre-exporter subcommand. */
class FibreExporterDropInTest {
    private static final String EBPF = "camel.component.bitcoin-ebpf.configuration.";
    @TempDir
    Path dir;

    private static Map<String, String> settings(Map<String, String> env, String... args) throws CommandLine.UsageException {
        String[] line = new String[args.length + 1];
        line[0] = "fibre-exporter";
        System.arraycopy(args, 0, line, 1, args.length);
        return CommandLine.parse(line, env).settings();
    }

    @Test
    void theSystemdUnitsCommandLineAttachesInThisProcess() throws Exception {
        // fibre-monitoring's fibre-exporter.service, the binary name changed
        Map<String, String> s = settings(Map.of(), "--bitcoind", "/usr/local/bin/bitcoind", "--node-name", "host1", "--port", "9435",
                "--health-port", "9436");
        assertEquals("/usr/local/bin/bitcoind", s.get("ebpf.bitcoind-path"));
        assertEquals("host1", s.get("camel.component.bus.configuration.node"));
        assertEquals("9435", s.get("fibre.metrics-port"));
        assertEquals("ebpf", s.get("extractors"));
        assertEquals("fibre-exporter", s.get("tools"));
        assertEquals("embedded", s.get("camel.component.bus.configuration.type"));
        assertEquals("true", s.get(EBPF + "fibre"));
        assertEquals("true", s.get(EBPF + "validation"));
        assertEquals("false", s.get(EBPF + "messages"));
        assertEquals("false", s.get(EBPF + "mempool"));
    }

    @Test
    void everyShortFlagMeansWhatItMeansThere() throws Exception {
        Map<String, String> s = settings(Map.of(), "-b", "/opt/bitcoind", "-p", "4242", "-n", "mynode", "-v", "--log-level", "WARNING",
                "--log-file", dir.resolve("x.log").toString(), "--metrics-auth-username", "prometheus", "--metrics-auth-password", "secret");
        assertEquals("/opt/bitcoind", s.get("ebpf.bitcoind-path"));
        assertEquals("4242", s.get(EBPF + "pid"));
        assertEquals("mynode", s.get("camel.component.bus.configuration.node"));
        assertEquals("true", s.get("fibre.verbose"));
        assertEquals("warn", s.get(Subcommands.LOG_LEVEL));
        assertEquals(dir.resolve("x.log").toString(), s.get(Subcommands.LOG_FILE));
        assertEquals("prometheus", s.get("fibre.auth-username"));
        assertEquals("secret", s.get("fibre.auth-password"));
        // NATS only by its long name here
        assertEquals("nats://127.0.0.1:4222", settings(Map.of(), "--nats-address", "127.0.0.1:4222")
                .get("camel.component.bus.configuration.servers"));
    }

    @Test
    void withoutABitcoindTheEventsComeOverNats() throws Exception {
        Map<String, String> s = settings(Map.of());
        assertEquals("none", s.get("extractors"));
        assertEquals("nats", s.get("camel.component.bus.configuration.type"));
    }

    @Test
    void theConfigFileThenTheVariablesThenTheFlags() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                # fibre-monitoring's config.example.yaml, and every other key
                bitcoind_path: /usr/local/bin/bitcoind
                pid: 12345
                node_name: mynode
                metrics_port: 9535
                health_port: 9536
                verbose: false
                log_level: DEBUG
                log_file: /tmp/fibre.log
                metrics_auth_username: prometheus
                metrics_auth_password: secret
                tls_cert: /etc/ssl/cert.pem
                tls_key: /etc/ssl/key.pem
                """);
        Map<String, String> s = settings(Map.of(), "--config", config.toString());
        assertEquals("/usr/local/bin/bitcoind", s.get("ebpf.bitcoind-path"));
        assertEquals("12345", s.get(EBPF + "pid"));
        assertEquals("mynode", s.get("fibre.node-name"));
        assertEquals("9535", s.get("fibre.metrics-port"));
        assertEquals("9536", s.get("fibre.health-port"));
        assertEquals("false", s.get("fibre.verbose"));
        assertEquals("debug", s.get(Subcommands.LOG_LEVEL));
        assertEquals("/tmp/fibre.log", s.get(Subcommands.LOG_FILE));
        assertEquals("prometheus", s.get("fibre.auth-username"));
        assertEquals("secret", s.get("fibre.auth-password"));
        assertEquals("/etc/ssl/cert.pem", s.get("fibre.tls-cert"));
        assertEquals("ebpf", s.get("extractors"));
        assertFalse(s.containsKey(FibreExporterDropIn.CONFIG));

        // a variable wins over the file: those application.properties reads are left to it, the others set here
        s = settings(Map.of("FIBRE_METRICS_PORT", "9999", "FIBRE_PID", "777", "FIBRE_BITCOIND_PATH", "/opt/b", "FIBRE_LOG_LEVEL", "error",
                "FIBRE_VERBOSE", "True"), "--config", config.toString());
        assertFalse(s.containsKey("fibre.metrics-port"));
        assertFalse(s.containsKey("fibre.verbose"));
        assertEquals("777", s.get(EBPF + "pid"));
        assertEquals("/opt/b", s.get("ebpf.bitcoind-path"));
        assertEquals("error", s.get(Subcommands.LOG_LEVEL));

        // a flag wins over both
        s = settings(Map.of("FIBRE_PID", "777"), "--config", config.toString(), "--pid", "888", "--port", "9000");
        assertEquals("888", s.get(EBPF + "pid"));
        assertEquals("9000", s.get("fibre.metrics-port"));
    }

    @Test
    void theOtherSpellingsOfTheConfigFile() throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), "bitcoind: /b\nport: 9777\n");
        Map<String, String> s = settings(Map.of(), "-c", config.toString());
        assertEquals("/b", s.get("ebpf.bitcoind-path"));
        assertEquals("9777", s.get("fibre.metrics-port"));
    }

    @Test
    void aBadConfigIsOneSentence() throws Exception {
        Path unknown = Files.writeString(dir.resolve("u.yaml"), "bitcoind_path: /b\nmetric_port: 1\n");
        assertTrue(error("-c", unknown.toString()).contains("has an unknown key 'metric_port'"));
        Path badPid = Files.writeString(dir.resolve("p.yaml"), "pid: twelve\n");
        assertEquals("pid in " + badPid + " needs a process id, not 'twelve'", error("-c", badPid.toString()));
        Path notYaml = Files.writeString(dir.resolve("n.yaml"), "a: [\n");
        assertTrue(error("-c", notYaml.toString()).startsWith("--config '" + notYaml + "' cannot be read as YAML"));
        assertEquals("FIBRE_LOG_LEVEL cannot be 'loud'; choose from DEBUG, INFO, WARNING, ERROR (or trace)",
                assertThrows(CommandLine.UsageException.class, () -> settings(Map.of("FIBRE_LOG_LEVEL", "loud"))).getMessage());
    }

    @Test
    void allsMetricsAuthUserProtectsTheFibrePortToo() throws Exception {
        Map<String, String> s = CommandLine.parse(new String[] {"--metrics-auth-username", "prometheus"}, Map.of()).settings();
        assertEquals("prometheus", s.get("metrics.basic-auth-username"));
        assertEquals("prometheus", s.get("fibre.auth-username"));
    }

    private static String error(String... args) {
        return assertThrows(CommandLine.UsageException.class, () -> settings(Map.of(), args)).getMessage();
    }
}
