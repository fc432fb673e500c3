package org.peerobserver.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.support.LogConfiguration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {
    @TempDir
    Path dir;

    private static Map<String, String> settings(String... args) throws CommandLine.UsageException {
        return CommandLine.parse(args, Map.of()).settings();
    }

    private static String error(String... args) {
        return assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(args, Map.of())).getMessage();
    }

    @Test
    void everyHelpLineIsInTheCliPage() throws IOException {
        List<String> page = Files.readAllLines(Path.of("docs/cli.md")).stream().map(String::strip).toList();
        for (String sub : CommandLine.subcommands()) {
            for (String line : CommandLine.help(sub).split("\n")) {
                if (!line.isBlank()) {
                    assertTrue(page.contains(line.strip()), "docs/cli.md lacks this line of `peer-observer " + sub
                            + " --help`:\n" + line);
                }
            }
        }
    }

    @Test
    void upstreamFlagsAreTakenAsUpstreamWritesThem() throws Exception {
        Map<String, String> logger = settings("logger", "--nats-address", "127.0.0.1:4222", "--messages", "--connections",
                "-l", "DEBUG");
        assertEquals("nats", logger.get("camel.component.bus.configuration.type"));
        assertEquals("nats://127.0.0.1:4222", logger.get("camel.component.bus.configuration.servers"));
        assertEquals("messages,connections", logger.get("logger.filter"));
        assertEquals("debug", logger.get(Subcommands.LOG_LEVEL));
        assertEquals("none", logger.get("extractors"));
        assertEquals("logger", logger.get("tools"));

        Map<String, String> rpc = settings("rpc-extractor", "-n", "nats://a:4222,b:4222", "--rpc-host", "10.0.0.2:18443",
                "--rpc-user", "u", "--rpc-password", "p", "--query-interval=5", "--disable-uptime", "--disable-getaddrmaninfo");
        assertEquals("nats://a:4222,nats://b:4222", rpc.get("camel.component.bus.configuration.servers"));
        assertEquals("10.0.0.2", rpc.get("camel.component.bitcoin-rpc.configuration.host"));
        assertEquals("18443", rpc.get("camel.component.bitcoin-rpc.configuration.port"));
        assertEquals("u", rpc.get("camel.component.bitcoin-rpc.configuration.user"));
        assertEquals("5", rpc.get("rpc.delay"));
        assertEquals("false", rpc.get("camel.component.bitcoin-rpc.configuration.uptime"));
        assertEquals("false", rpc.get("camel.component.bitcoin-rpc.configuration.addrman-info"));
        assertNull(rpc.get("camel.component.bitcoin-rpc.configuration.peer-info"));
        assertEquals("::1", settings("rpc-extractor", "--rpc-host", "[::1]:8332").get("camel.component.bitcoin-rpc.configuration.host"));

        assertEquals("/tmp/fifo", settings("log-extractor", "-b", "/tmp/fifo").get("log.file"));
        Map<String, String> ebpf = settings("ebpf-extractor", "--nats-address", "nats://h:4222", "--bitcoind-path", "/opt/bitcoind",
                "--no-mempool-tracepoints", "--addrman-tracepoints", "-i", "--libbpf-debug");
        assertEquals("/opt/bitcoind", ebpf.get("ebpf.bitcoind-path"));
        assertEquals("false", ebpf.get("camel.component.bitcoin-ebpf.configuration.mempool"));
        assertEquals("true", ebpf.get("camel.component.bitcoin-ebpf.configuration.addrman"));
        assertEquals("debug", ebpf.get("peerobserver.log.libbpf"));
        assertTrue(CommandLine.Invocation.isLogging("peerobserver.log.libbpf"));
        assertEquals("/opt/b", settings("--bitcoind-path", "/opt/b").get("ebpf.bitcoind-path"), "all takes every long name");
        assertEquals("/opt/x", settings("-b", "/opt/x").get("ebpf.bitcoind-path"), "in all, -b is ebpf's, as upstream's default extractor");
        assertEquals("/tmp/l", settings("--bitcoind-pipe", "/tmp/l").get("log.file"));
        Map<String, String> p2p = settings("p2p-extractor", "--p2p-address", "0.0.0.0:9333", "--p2p-network", "regtest",
                "--disable-addrv2", "--ping-interval", "30");
        assertEquals("0.0.0.0", p2p.get("camel.component.bitcoin-p2p.configuration.host"));
        assertEquals("9333", p2p.get("camel.component.bitcoin-p2p.configuration.port"));
        assertEquals("regtest", p2p.get("camel.component.bitcoin-p2p.configuration.network"));
        assertEquals("false", p2p.get("camel.component.bitcoin-p2p.configuration.address-announcements"), "--disable-addrv2 works");
        assertEquals("30", p2p.get("camel.component.bitcoin-p2p.configuration.ping-interval"));
        assertEquals("0.0.0.0:18282", settings("connectivity-check", "-m", "0.0.0.0:18282").get("connectivity.metrics-address"));
        assertEquals("0.0.0.0:18282", settings("connectivity-check", "--metrics-address", "0.0.0.0:18282")
                .get("connectivity.metrics-address"), "upstream's long name too");
        assertEquals("regtest", settings("connectivity-check", "--connectivity-network", "regtest").get("connectivity.network"));
        assertEquals("9999", settings("fibre-exporter", "--metrics-port", "9999").get("fibre.metrics-port"));
        assertEquals("fibre-exporter", settings("fibre-exporter").get("tools"));
        assertEquals("0.0.0.0:8282", settings("metrics", "--metrics-address", "0.0.0.0:8282").get("metrics.address"));
        assertEquals("metrics", settings("metrics").get("tools"));
        assertEquals("[::]:47482", settings("websocket", "-w", "[::]:47482").get("websocket.address"));
    }

    /**
     * A default that --help states (for a flag of one variable) is that variable's default in application.properties
     * (or the log's, LogConfiguration.DEFAULTS), where it is configured and whence the help takes it.
     */
    @Test
    void defaultsInTheHelpAreThoseOfApplicationProperties() throws IOException {
        Map<String, String> defaults = new HashMap<>(LogConfiguration.DEFAULTS);
        Matcher env = Pattern.compile("\\{\\{env:([A-Z0-9_]+):([^}]*)}}")
                .matcher(Files.readString(Path.of("src/main/resources/application.properties")));
        while (env.find()) {
            defaults.put(env.group(1), env.group(2));
        }
        Pattern stated = Pattern.compile(".* default (\\S+?)[;,]? .*\\[([A-Z0-9_]+)]$");
        int checked = 0;
        for (String line : CommandLine.help("all").split("\n")) {
            Matcher m = stated.matcher(line);
            // "default the host name", "default any", "default found from ...": described, not a value
            if (m.matches() && !List.of("the", "any", "found").contains(m.group(1))) {
                String configured = defaults.get(m.group(2));
                assertEquals(configured, m.group(1).replaceFirst("^\\./(?=.)", ""), line);
                checked++;
            }
        }
        assertTrue(checked >= 15, "defaults checked: " + checked);
    }

    /** Every flag of upstream's binaries (peer-observer-metrics.md, section 7.2), in one command line per binary. */
    @Test
    void everyUpstreamFlagIsAccepted() throws Exception {
        Path cookie = Files.writeString(dir.resolve(".cookie"), "__cookie__:x");
        Path pidFile = Files.writeString(dir.resolve("bitcoind.pid"), "4242\n");
        List<List<String>> upstream = List.of(
                List.of("ebpf-extractor", "-b", "/usr/local/bin/bitcoind", "--bitcoind-pid", "4242", "--no-p2pmsg-tracepoints",
                        "--no-connection-tracepoints", "--no-mempool-tracepoints", "--no-validation-tracepoints", "--addrman-tracepoints",
                        "--libbpf-debug", "-i"),
                List.of("ebpf-extractor", "--bitcoind-path", "/usr/local/bin/bitcoind", "--bitcoind-pid-file", pidFile.toString(),
                        "--no-idle-exit"),
                List.of("rpc-extractor", "--rpc-host", "127.0.0.1:8332", "--rpc-cookie-file", cookie.toString(), "--query-interval", "10",
                        "--disable-getpeerinfo", "--disable-getmempoolinfo", "--disable-uptime", "--disable-getnettotals",
                        "--disable-getmemoryinfo", "--disable-getaddrmaninfo"),
                List.of("rpc-extractor", "--rpc-user", "u", "--rpc-password", "p"),
                List.of("p2p-extractor", "--p2p-address", "127.0.0.1:9333", "--p2p-network", "testnet4", "--ping-interval", "10",
                        "--disable-ping", "--disable-invs", "--disable-feefilter", "--disable-addrv2"),
                List.of("log-extractor", "-b", "/tmp/bitcoind.pipe"),
                List.of("log-extractor", "--bitcoind-pipe", "/tmp/bitcoind.pipe"),
                List.of("logger", "--messages", "--connections", "--addrman", "--mempool", "--validation", "--rpc", "--p2p-extractor",
                        "--log-extractor"),
                List.of("metrics", "-m", "127.0.0.1:8282"),
                List.of("metrics", "--metrics-address", "127.0.0.1:8282"),
                List.of("websocket", "-w", "127.0.0.1:47482"),
                List.of("websocket", "--websocket-address", "127.0.0.1:47482"),
                List.of("connectivity-check", "-m", "127.0.0.1:18282"),
                List.of("connectivity-check", "--metrics-address", "127.0.0.1:18282"));
        for (List<String> line : upstream) {
            for (List<String> common : List.of(List.of("-n", "127.0.0.1:4222", "-l", "trace"),
                    List.of("--nats-address", "127.0.0.1:4222", "--log-level", "DEBUG"))) {
                List<String> args = new ArrayList<>(line);
                args.addAll(common);
                assertNull(CommandLine.parse(args.toArray(String[]::new), Map.of()).help(), String.join(" ", args));
            }
            for (String info : List.of("-h", "--help", "-V", "--version")) {
                assertTrue(CommandLine.parse(new String[] { line.get(0), info }, Map.of()).help() != null, line.get(0) + " " + info);
            }
        }
    }

    @Test
    void oneRoleSubcommandsUseNatsUnlessBusIsSet() throws Exception {
        assertEquals("nats", settings("logger").get("camel.component.bus.configuration.type"));
        assertFalse(CommandLine.parse(new String[] { "logger" }, Map.of("BUS", "embedded")).settings()
                .containsKey("camel.component.bus.configuration.type"), "BUS in the environment wins over the subcommand's default");
        assertFalse(settings().containsKey("camel.component.bus.configuration.type"), "all keeps the configured bus");
        assertFalse(settings().containsKey("extractors"), "all keeps the configured sources");
    }

    @Test
    void natsAddressesAsUpstreamAndAsUrls() throws Exception {
        assertEquals("nats://nats:4222,tls://[::1]:4443,nats://localhost", settings("logger", "-n", "nats:4222, tls://[::1]:4443,localhost")
                .get("camel.component.bus.configuration.servers"));
        assertEquals("nats://u:p@h:4222", settings("logger", "-n", "nats://u:p@h:4222").get("camel.component.bus.configuration.servers"));
    }

    @Test
    void versionIsPrintedInsteadOfRunning() throws Exception {
        for (String flag : List.of("-V", "--version")) {
            CommandLine.Invocation i = CommandLine.parse(new String[] { "metrics", flag }, Map.of());
            assertEquals("peer-observer " + CommandLine.version() + "\n", i.help());
        }
    }

    @Test
    void helpIsPrintedInsteadOfRunning() throws Exception {
        CommandLine.Invocation i = CommandLine.parse(new String[] { "logger", "--messages", "--help" }, Map.of());
        assertTrue(i.help().startsWith("Usage: peer-observer logger [options]\n"), i.help());
        assertTrue(i.help().contains("--messages"));
        assertTrue(CommandLine.parse(new String[] { "-h", "metrics" }, Map.of()).help().startsWith("Usage: peer-observer [subcommand]"),
                "a help flag before anything else is all's");
    }

    @Test
    void badInputIsOneSentenceNamingTheFlag() throws Exception {
        assertEquals("unknown subcommand 'metrix'; choose from all, ebpf-extractor, rpc-extractor, p2p-extractor, log-extractor, replay, logger, metrics, websocket, connectivity-check, fibre-exporter, record, alerts",
                error("metrix"));
        assertEquals("unknown option '--mesages' for logger; see peer-observer logger --help", error("logger", "--mesages"));
        assertEquals("--rpc-host needs a value (host:port)", error("rpc-extractor", "--rpc-host"));
        assertEquals("--rpc-host '127.0.0.1:http' has a bad port 'http'; a port is 1 to 65535",
                error("rpc-extractor", "--rpc-host", "127.0.0.1:http"));
        Path missing = dir.resolve("missing.cookie");
        assertEquals("--rpc-cookie-file '" + missing + "' cannot be read (missing, not a file, or no permission)",
                error("rpc-extractor", "--rpc-cookie-file", missing.toString()));
        assertEquals("--query-interval needs a duration above 0 (10s, 2m, or a number of seconds), not '0'",
                error("rpc-extractor", "--query-interval", "0"));
        assertEquals("--ping-interval needs a duration above 0 (10s, 2m, or a number of seconds), not 'soon'",
                error("p2p-extractor", "--ping-interval", "soon"));
        assertEquals("90s", settings("p2p-extractor", "--ping-timeout", "90s").get("camel.component.bitcoin-p2p.configuration.ping-timeout"));
        assertEquals("--log-level cannot be 'loud'; choose from DEBUG, INFO, WARNING, ERROR (or trace)", error("-l", "loud"));
        assertEquals("--messages takes no value", error("logger", "--messages=yes"));
        assertEquals("--metrics-address '8282' is not host:port, e.g. 127.0.0.1:8282", error("metrics", "-m", "8282"));
        assertEquals("--bitcoind-pid-file '/nonexistent.pid' cannot be read (missing, not a file, or no permission)",
                error("ebpf-extractor", "--bitcoind-pid-file", "/nonexistent.pid"));
        assertEquals("--bitcoind-pid-file '" + dir + "' cannot be read (missing, not a file, or no permission)",
                error("ebpf-extractor", "--bitcoind-pid-file", dir.toString()));
        assertEquals("unknown option '--messages' for rpc-extractor; see peer-observer rpc-extractor --help",
                error("rpc-extractor", "--messages"));
        assertEquals("--nats-address 'nats://127.0.0.1:4222,127.0.0.1:42x' has a bad port '42x'; a port is 1 to 65535",
                error("logger", "-n", "nats://127.0.0.1:4222,127.0.0.1:42x"));
        assertEquals("--nats-address 'http://127.0.0.1:4222' has an unknown scheme; use host:port or nats://host:port",
                error("metrics", "--nats-address", "http://127.0.0.1:4222"));
        assertEquals("--nats-address 'a:b:4222' is not host:port, e.g. 127.0.0.1:4222", error("record", "-n", "a:b:4222"));
        assertEquals("--rpc-password needs --rpc-user (or RPC_USER); without a user the cookie file is used",
                error("rpc-extractor", "--rpc-password", "p"));
        assertEquals("p", CommandLine.parse(new String[] { "rpc-extractor", "--rpc-password", "p" }, Map.of("RPC_USER", "u")).settings()
                .get("camel.component.bitcoin-rpc.configuration.password"), "the user may come from the environment");
    }

    @Test
    void aValueIsAValueThoughItNamesASubcommandOrStartsWithAt() throws Exception {
        Map<String, String> all = settings("--extractors", "replay", "--tools", "logger", "--node-name", "@alice");
        assertEquals("replay", all.get("extractors"));
        assertEquals("logger", all.get("tools"));
        assertEquals("@alice", all.get("camel.component.bus.configuration.node"), "not a file of arguments to read");
        assertEquals("unknown option 'logger' for all; see peer-observer all --help", error("--speed", "0", "logger"),
                "a subcommand comes first");
        assertEquals("5", settings("rpc-extractor", "--query-interval", "3", "--query-interval", "5").get("rpc.delay"),
                "the last of a flag given twice wins");
    }

    @Test
    void thePasswordsOnACommandLineAreFoundToBeMasked() {
        assertEquals(List.of("p1", "p2", "p3", "p4"), CommandLine.secrets(new String[] { "rpc-extractor", "--rpc-password", "p1",
                "--rpc-password=p2", "-n", "nats://peer:p3@127.0.0.1:4222,nats://other:p4@10.0.0.2:4222", "--rpc-user", "u" }));
        assertEquals(List.of(), CommandLine.secrets(new String[] { "-n", "nats://127.0.0.1:4222", "--rpc-user", "u" }));
    }

    @Test
    void theManagementBodyLimitIsAFlagOfEverySubcommand() throws Exception {
        for (String sub : CommandLine.subcommands()) {
            assertEquals("1024", settings(sub, "--management-max-body-size", "1024").get("management.max-body-size"), sub);
        }
        assertTrue(error("--management-max-body-size", "0").contains("above 0"));
    }
}
