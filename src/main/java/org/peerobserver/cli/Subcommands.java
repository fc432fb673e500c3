package org.peerobserver.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

import java.util.Map;
import java.util.stream.Collectors;

import org.peerobserver.support.DurationText;
import org.peerobserver.support.LogConfiguration;

/**
 * Every subcommand and its flags, in one table. Flags carry upstream peer-observer's names and
 * meanings where upstream has the same binary; each writes the same settings (application.properties
 * keys) that the environment variables feed, so the routes read one setting whichever way it came.
 */
final class Subcommands {
    /** Settings under this prefix are system properties that the log's configuration reads, not Camel properties. */
    static final String LOGGING = LogConfiguration.PROPERTIES;
    static final String LOG_LEVEL = LogConfiguration.LEVEL;
    static final String LOG_FILE = LogConfiguration.FILE;

    private Subcommands() {
    }

    // ---- flags every subcommand takes -------------------------------------------------------------

    private static final Flag NATS_ADDRESS = new Flag("-n, --nats-address", "address",
            "NATS server, host:port or nats://host:port (comma-separated for a cluster); uses NATS as the bus [NATS_ADDRESS]",
            (v, s) -> {
                s.put("camel.component.bus.configuration.type", "nats");
                s.put("camel.component.bus.configuration.servers", Arrays.stream(v.split(",")).map(String::trim)
                        .map(a -> natsServer(v, a)).collect(Collectors.joining(",")));
            });
    private static final Flag LOG_LEVEL_FLAG = new Flag("-l, --log-level", "level",
            "trace, debug, info, warn (warning) or error, any case; default {default} (upstream: debug) [LOG_LEVEL]",
            (v, s) -> s.put(LOG_LEVEL, FibreExporterDropIn.logLevel("--log-level", v)));
    private static final Flag NODE_NAME = new Flag("--node-name", "name",
            "node name on published events; default the host name [NODE_NAME]", set("camel.component.bus.configuration.node"));
    private static final Flag MANAGEMENT_PORT = new Flag("--management-port", "port",
            "health, metrics and Jolokia port; default {default} (give each process on a host its own) [MANAGEMENT_PORT]",
            (v, s) -> s.put("camel.management.port", port("--management-port", v, v)));
    private static final Flag MANAGEMENT_MAX_BODY_SIZE = new Flag("--management-max-body-size", "bytes",
            "largest Jolokia request body; default {default} [MANAGEMENT_MAX_BODY_SIZE]",
            (v, s) -> s.put("management.max-body-size", positiveInteger("--management-max-body-size", v)));
    private static final List<Flag> COMMON = List.of(NATS_ADDRESS, LOG_LEVEL_FLAG, NODE_NAME, MANAGEMENT_PORT, MANAGEMENT_MAX_BODY_SIZE);

    // ---- per subcommand ----------------------------------------------------------------------------

    private static final List<Flag> REPLAY = List.of(
            new Flag("--replay-file", "path", "capture to replay; default the bundled sample [REPLAY_FILE]", set("replay.file")),
            new Flag("--speed", "factor", "1 = recorded pace, 10 = ten times faster, 0 = as fast as possible [REPLAY_SPEED]",
                    (v, s) -> s.put("camel.component.replay.configuration.speed", nonNegativeNumber("--speed", v))),
            new Flag("--loop", null, "start again at the end of the capture [REPLAY_LOOP]", on("camel.component.replay.configuration.loop")),
            new Flag("--archive", "address", "read the hub's JetStream archive (stream EVENTS) at these NATS servers instead of a"
                    + " capture [REPLAY_ARCHIVE_SERVERS, REPLAY_FILE=jetstream:EVENTS]", (v, s) -> {
                        s.put("replay.file", "jetstream:EVENTS");
                        s.put("camel.component.replay.configuration.archive-servers", Arrays.stream(v.split(",")).map(String::trim)
                                .map(a -> natsServer(v, a)).collect(Collectors.joining(",")));
                    }),
            new Flag("--from", "time", "archive: first moment of the window, ISO-8601 (2026-12-01T10:00:00Z) [REPLAY_FROM]",
                    (v, s) -> s.put("camel.component.replay.configuration.from", instant("--from", v))),
            new Flag("--to", "time", "archive: last moment of the window, ISO-8601 [REPLAY_TO]",
                    (v, s) -> s.put("camel.component.replay.configuration.to", instant("--to", v))),
            new Flag("--node", "names", "archive: only these nodes' events, comma-separated [REPLAY_NODES]",
                    set("camel.component.replay.configuration.nodes")),
            new Flag("--subjects", "list", "archive: only these subjects, comma-separated, wildcards allowed (netmsg,ext.*)"
                    + " [REPLAY_SUBJECTS]", set("camel.component.replay.configuration.subjects")),
            new Flag("--kinds", "list", "archive: only these kinds of event or groups, comma-separated (message.ping,connection)"
                    + " [REPLAY_KINDS]", set("camel.component.replay.configuration.kinds")));

    private static final List<Flag> RECORD = List.of(
            new Flag("--record-dir", "path", "directory for capture files; default {default} [RECORD_DIR]", set("record.directory")),
            new Flag("--max-file-size", "bytes", "bytes of events per file before a new one [RECORD_MAX_FILE_SIZE]",
                    (v, s) -> s.put("record.max-file-size", positiveInteger("--max-file-size", v))),
            new Flag("--max-files", "n", "files kept; the oldest is deleted beyond [RECORD_MAX_FILES]",
                    (v, s) -> s.put("record.max-files", positiveInteger("--max-files", v))),
            new Flag("--no-gzip", null, "write uncompressed capture files [RECORD_GZIP=false]", (v, s) -> s.put("record.gzip", "false")));

    private static final List<Flag> LOGGER = List.of(
            loggerFilter("messages", "P2P message events (netmsg)"),
            loggerFilter("connections", "connection events (netconn)"),
            loggerFilter("addrman", "addrman events"),
            loggerFilter("mempool", "mempool events"),
            loggerFilter("validation", "validation events"),
            loggerFilter("rpc", "rpc-extractor events"),
            loggerFilter("p2p-extractor", "p2p-extractor events"),
            loggerFilter("log-extractor", "log-extractor events"),
            loggerFilter("ext", "our own ext.* events (not in upstream)"));

    private static final String RPC_USER = "camel.component.bitcoin-rpc.configuration.user";
    private static final String RPC_PASSWORD = "camel.component.bitcoin-rpc.configuration.password";
    private static final List<Flag> RPC_EXTRACTOR = List.of(
            new Flag("--rpc-host", "host:port", "Bitcoin Core RPC; default 127.0.0.1 and the network's port [RPC_HOST, RPC_PORT]",
                    Subcommands::rpcHost),
            new Flag("--rpc-cookie-file", "path", "cookie file; default found from the datadir and network [RPC_COOKIE_FILE]",
                    (v, s) -> s.put("camel.component.bitcoin-rpc.configuration.cookie-file", readableFile("--rpc-cookie-file", v))),
            new Flag("--rpc-user", "user", "RPC user instead of the cookie [RPC_USER]", set(RPC_USER)),
            new Flag("--rpc-password", "password", "RPC password, with --rpc-user [RPC_PASSWORD]", set(RPC_PASSWORD)),
            new Flag("--network", "name", "mainnet, testnet, testnet4, signet or regtest; default {default} [BITCOIN_NETWORK]",
                    (v, s) -> s.put("camel.component.bitcoin-rpc.configuration.network",
                            oneOf("--network", v, "mainnet", "main", "testnet", "test", "testnet4", "signet", "regtest"))),
            new Flag("--query-interval", "duration", "time between rounds (10s, 2m; a bare number is seconds); default {default} (upstream: 10) [RPC_QUERY_INTERVAL]",
                    (v, s) -> s.put("rpc.delay", duration("--query-interval", v))),
            disableRpc("getpeerinfo", "peer-info"), disableRpc("getmempoolinfo", "mempool-info"),
            disableRpc("uptime", "uptime"), disableRpc("getnettotals", "net-totals"), disableRpc("getmemoryinfo", "memory-info"),
            disableRpc("getaddrmaninfo", "addrman-info"),
            new Flag("--extra-methods", "list", "more methods, comma-separated, published as ext.rpc_result [RPC_EXTRA_METHODS]",
                    set("camel.component.bitcoin-rpc.configuration.extra-methods")));

    private static final List<Flag> LOG_EXTRACTOR = List.of(
            new Flag("-b, --bitcoind-pipe", "path", "debug.log, or a FIFO bitcoind writes its log to [BITCOIN_DEBUG_LOG]",
                    set("log.file")),
            new Flag("--from-start", null, "read the existing file from its start, not only new lines [BITCOIN_DEBUG_LOG_FROM_START]",
                    on("camel.component.bitcoin-log.configuration.from-start")));

    private static final List<Flag> METRICS = List.of(
            new Flag("-m, --metrics-address", "host:port", "where Prometheus scrapes (any path); default {default} [METRICS_ADDRESS]",
                    (v, s) -> s.put("metrics.address", hostPort("--metrics-address", v))),
            new Flag("--no-node-label", null, "exactly upstream's label sets, without node=\"...\" (one node only) [METRICS_NODE_LABEL=false]",
                    (v, s) -> s.put("metrics.node-label", "false")),
            new Flag("--ip-lists", "directory", "upstream's IP list files, for the Tor-exit, gmax, Monero and bitprojects metrics [METRICS_IP_LISTS]",
                    set("metrics.ip-lists")),
            // no password flag: a command line is visible to every user of the host (ps)
            new Flag("--metrics-auth-username", "name", "basic auth user on the metrics port, and on the FIBRE exporter's; the passwords"
                    + " come from METRICS_AUTH_PASSWORD and FIBRE_METRICS_AUTH_PASSWORD only [METRICS_AUTH_USERNAME]",
                    (v, s) -> {
                        s.put("metrics.basic-auth-username", v);
                        s.put("fibre.auth-username", v);
                    }));

    private static final List<Flag> WEBSOCKET = List.of(
            new Flag("-w, --websocket-address", "host:port", "the JSON feed (/events, or any path) and the live pages (/); default {default} [WEBSOCKET_ADDRESS]",
                    (v, s) -> s.put("websocket.address", hostPort("--websocket-address", v))),
            new Flag("--allowed-origins", "list", "browser origins allowed to connect, comma-separated, and no others; default: pages"
                    + " from loopback, the websocket address's host and --allowed-hosts [WEBSOCKET_ALLOWED_ORIGINS]",
                    set("websocket.allowed-origins")),
            new Flag("--allowed-hosts", "list", "without --allowed-origins: more hosts whose pages may connect, comma-separated"
                    + " [WEBSOCKET_ALLOWED_HOSTS]", set("websocket.allowed-hosts")),
            new Flag("--websocket-format", "name", "proto-json (ours) or upstream (upstream peer-observer's frames, for its pages), for clients"
                    + " that do not ask with ?format=; default {default} [WEBSOCKET_FORMAT]", set("websocket.format")));

    private static final List<Flag> EBPF_EXTRACTOR = List.of(
            new Flag("-b, --bitcoind-path", "path", "bitcoind binary with tracepoints; default {default} [BITCOIND_PATH]",
                    set("ebpf.bitcoind-path")),
            new Flag("--bitcoind-pid", "pid", "bitcoind's process id; default: from the pid file, else the process running the binary [BITCOIND_PID]",
                    (v, s) -> s.put("camel.component.bitcoin-ebpf.configuration.pid", positiveInteger("--bitcoind-pid", v))),
            new Flag("--bitcoind-pid-file", "path", "bitcoind's pid file [BITCOIND_PID_FILE]",
                    (v, s) -> s.put("camel.component.bitcoin-ebpf.configuration.pid-file", readableFile("--bitcoind-pid-file", v))),
            new Flag("--no-p2pmsg-tracepoints", null, "no net:*_message probes [EBPF_P2PMSG_TRACEPOINTS=false]", off("camel.component.bitcoin-ebpf.configuration.messages")),
            new Flag("--no-connection-tracepoints", null, "no net:*_connection probes [EBPF_CONNECTION_TRACEPOINTS=false]",
                    off("camel.component.bitcoin-ebpf.configuration.connections")),
            new Flag("--no-mempool-tracepoints", null, "no mempool:* probes [EBPF_MEMPOOL_TRACEPOINTS=false]", off("camel.component.bitcoin-ebpf.configuration.mempool")),
            new Flag("--no-validation-tracepoints", null, "no validation:block_connected probe [EBPF_VALIDATION_TRACEPOINTS=false]",
                    off("camel.component.bitcoin-ebpf.configuration.validation")),
            new Flag("--addrman-tracepoints", null, "addrman:* probes (a patched Bitcoin Core only) [EBPF_ADDRMAN_TRACEPOINTS]",
                    on("camel.component.bitcoin-ebpf.configuration.addrman")),
            new Flag("--fibre-tracepoints", null, "FIBRE's udp:* probes, published as ext.fibre [EBPF_FIBRE_TRACEPOINTS]", on("camel.component.bitcoin-ebpf.configuration.fibre")),
            new Flag("--perf-buffer", null, "per-CPU perf buffers instead of ring buffers (kernels before 5.8) [EBPF_PERF_BUFFER]",
                    on("camel.component.bitcoin-ebpf.configuration.perf-buffer")),
            new Flag("--libbpf-debug", null, "libbpf's debug messages in the log (its warnings are always there)",
                    (v, s) -> s.put(LogConfiguration.LIBBPF, "debug")),
            new Flag("-i, --no-idle-exit", null, "accepted for upstream's sake: ours never exits when idle (it warns after EBPF_IDLE_WARNING s)",
                    (v, s) -> { }));

    private static final List<Flag> P2P_EXTRACTOR = List.of(
            new Flag("--p2p-address", "host:port", "where the node dials us (-addnode); default 127.0.0.1:8555 (upstream: 9333) [P2P_EXTRACTOR_HOST, P2P_EXTRACTOR_PORT]",
                    Subcommands::p2pAddress),
            new Flag("--p2p-network", "name", "mainnet, testnet3, testnet4, signet or regtest; default {default} [P2P_NETWORK]",
                    (v, s) -> s.put("camel.component.bitcoin-p2p.configuration.network", oneOf("--p2p-network", v, "mainnet", "testnet3", "testnet4", "signet", "regtest"))),
            new Flag("--ping-interval", "duration", "time between our pings (a bare number is seconds); default {default} [P2P_PING_INTERVAL]",
                    (v, s) -> s.put("camel.component.bitcoin-p2p.configuration.ping-interval", duration("--ping-interval", v))),
            new Flag("--ping-timeout", "duration", "how long a ping may go unanswered before the node is dropped; default {default} (as Bitcoin Core) [P2P_PING_TIMEOUT]",
                    (v, s) -> s.put("camel.component.bitcoin-p2p.configuration.ping-timeout", duration("--ping-timeout", v))),
            new Flag("--disable-ping", null, "no ping_duration events [P2P_PING_DURATION=false]", off("camel.component.bitcoin-p2p.configuration.ping-duration")),
            new Flag("--disable-invs", null, "no inventory_announcement events [P2P_INVS=false]", off("camel.component.bitcoin-p2p.configuration.inventory-announcements")),
            new Flag("--disable-feefilter", null, "no feefilter_announcement events [P2P_FEEFILTER=false]", off("camel.component.bitcoin-p2p.configuration.feefilter-announcements")),
            new Flag("--disable-addrv2", null, "no address_announcement events (upstream ignores this flag; ours works) [P2P_ADDRV2=false]",
                    off("camel.component.bitcoin-p2p.configuration.address-announcements")));

    private static final List<Flag> CONNECTIVITY_CHECK = List.of(
            new Flag("--connectivity-metrics-address", "host:port",
                    "where its metrics are scraped; default {default} (upstream's -m) [CONNECTIVITY_METRICS_ADDRESS]",
                    (v, s) -> s.put("connectivity.metrics-address", hostPort("--connectivity-metrics-address", v))),
            new Flag("--connectivity-network", "name", "the network whose nodes it dials; default {default} (upstream: always mainnet) [CONNECTIVITY_NETWORK]",
                    (v, s) -> s.put("connectivity.network", oneOf("--connectivity-network", v, "mainnet", "testnet3", "testnet4", "signet", "regtest"))),
            new Flag("--tor-proxy", "host:port", "SOCKS5 proxy for .onion addresses; default: skip them [CONNECTIVITY_TOR_PROXY]",
                    (v, s) -> s.put("connectivity.tor-proxy", hostPort("--tor-proxy", v))),
            new Flag("--i2p-proxy", "host:port", "SOCKS5 proxy for .b32.i2p addresses; default: skip them [CONNECTIVITY_I2P_PROXY]",
                    (v, s) -> s.put("connectivity.i2p-proxy", hostPort("--i2p-proxy", v))),
            new Flag("--csv-dir", "path", "directory of the addr-connectivity-*.csv files; default {default} [CONNECTIVITY_CSV_DIR]",
                    set("connectivity.csv-dir")));

    private static final List<Flag> FIBRE_EXPORTER = List.of(
            new Flag("--bind-address", "address", "address the metrics and health ports listen on; default {default} [FIBRE_BIND_ADDRESS]",
                    set("fibre.bind-address")),
            new Flag("--metrics-port", "port", "fibre-monitoring's metrics; default {default} [FIBRE_METRICS_PORT]",
                    (v, s) -> s.put("fibre.metrics-port", port("--metrics-port", v, v))),
            new Flag("--health-port", "port", "/health and /ready; default {default} [FIBRE_HEALTH_PORT]",
                    (v, s) -> s.put("fibre.health-port", port("--health-port", v, v))),
            new Flag("--tls-cert", "path", "PEM certificate: serve the metrics over HTTPS, with --tls-key [FIBRE_TLS_CERT]",
                    (v, s) -> s.put("fibre.tls-cert", readableFile("--tls-cert", v))),
            new Flag("--tls-key", "path", "its PEM private key [FIBRE_TLS_KEY] (basic auth: FIBRE_METRICS_AUTH_USERNAME/_PASSWORD, not flags)",
                    (v, s) -> s.put("fibre.tls-key", readableFile("--tls-key", v))),
            new Flag("--race-window", "seconds", "seconds a block race stays open; default {default} [FIBRE_RACE_WINDOW]",
                    (v, s) -> s.put("fibre.race-window", positiveInteger("--race-window", v))));

    /** fibre_exporter.py's own flags, with its names and meanings (docs/fibre-exporter.md), in the fibre-exporter subcommand. */
    private static final List<Flag> FIBRE_DROP_IN = List.of(
            new Flag("-b, --bitcoind", "path", "bitcoind binary with FIBRE's tracepoints: attach to it in this process, as fibre_exporter.py"
                    + " does (without it, or --pid, the FIBRE events come over NATS) [FIBRE_BITCOIND_PATH]",
                    set(FibreExporterDropIn.BITCOIND)),
            new Flag("-p, --pid", "pid", "bitcoind's process id; default: the process running --bitcoind [FIBRE_PID]",
                    (v, s) -> s.put(FibreExporterDropIn.PID, positiveInteger("--pid", v))),
            new Flag("-c, --config", "path", "fibre_exporter.py's YAML config file (bitcoind_path, pid, node_name, metrics_port, ...);"
                    + " FIBRE_* variables win over it, flags over both",
                    (v, s) -> s.put(FibreExporterDropIn.CONFIG, readableFile("--config", v))),
            new Flag("--port", "port", "the metrics port, as --metrics-port [FIBRE_METRICS_PORT]",
                    (v, s) -> s.put("fibre.metrics-port", port("--port", v, v))),
            new Flag("-v, --verbose", null, "log a line per FIBRE and block event [FIBRE_VERBOSE]", on("fibre.verbose")),
            new Flag("--log-file", "path", "also write the log to this file [FIBRE_LOG_FILE]", set(LOG_FILE)),
            new Flag("--metrics-auth-username", "name", "basic auth user on the metrics port [FIBRE_METRICS_AUTH_USERNAME]",
                    set("fibre.auth-username")),
            new Flag("--metrics-auth-password", "password", "its password; a command line is visible to every user (ps):"
                    + " prefer the variable [FIBRE_METRICS_AUTH_PASSWORD]", set("fibre.auth-password")));

    private static final List<Flag> ALL_ONLY = List.of(
            new Flag("--extractors", "list", "sources, comma-separated: replay, ebpf, rpc, p2p, log, or none; default {default} [EXTRACTOR_TYPE]",
                    set("extractors")),
            new Flag("--tools", "list", "tools, comma-separated: logger, metrics, websocket, connectivity-check, fibre-exporter, record, or none; default {default} [TOOLS]",
                    set("tools")));

    static final Map<String, Subcommand> ALL = table();

    private static Map<String, Subcommand> table() {
        Map<String, Subcommand> t = new LinkedHashMap<>();
        add(t, new Subcommand("all", "sources and tools in one process, on the in-JVM bus unless NATS is given (the default)",
                null, null, false, union(ALL_ONLY, REPLAY, RECORD, LOGGER, METRICS, WEBSOCKET, CONNECTIVITY_CHECK, FIBRE_EXPORTER, EBPF_EXTRACTOR,
                        RPC_EXTRACTOR, P2P_EXTRACTOR, LOG_EXTRACTOR)));
        add(t, new Subcommand("ebpf-extractor", "attaches to bitcoind's USDT tracepoints and publishes their events", "ebpf", "none", true,
                EBPF_EXTRACTOR));
        add(t, new Subcommand("rpc-extractor", "polls Bitcoin Core's JSON-RPC and publishes rpc events", "rpc", "none", true, RPC_EXTRACTOR));
        add(t, new Subcommand("p2p-extractor", "a P2P peer the node dials: publishes pings, addresses, inventory and fee filters",
                "p2p", "none", true, P2P_EXTRACTOR));
        add(t, new Subcommand("log-extractor", "follows debug.log and publishes log-extractor events", "log", "none", true, LOG_EXTRACTOR));
        add(t, new Subcommand("replay", "publishes the events of a capture file, and ends with it unless --loop", "replay", "none",
                true, REPLAY));
        add(t, new Subcommand("logger", "prints one line per event; with no filter flag, every event", "none", "logger", true, LOGGER));
        add(t, new Subcommand("metrics", "serves upstream's Prometheus metrics, computed from the events", "none", "metrics", true, METRICS));
        add(t, new Subcommand("websocket", "sends every event as JSON to websocket clients, and serves live pages", "none", "websocket", true,
                WEBSOCKET));
        add(t, new Subcommand("connectivity-check", "dials the addresses peers announce and records who answers",
                "none", "connectivity-check", true, withMetricsShortName(CONNECTIVITY_CHECK)));
        add(t, new Subcommand("fibre-exporter", "fibre-monitoring's metrics and block races: FIBRE/UDP against BIP152 compact blocks",
                "none", "fibre-exporter", true, union(FIBRE_EXPORTER, FIBRE_DROP_IN)));
        add(t, new Subcommand("record", "writes every event into capture files that replay reads", "none", "record", true, RECORD));
        add(t, new Subcommand("alerts", "runs the alert detectors and notifications; thresholds and channels are ALERT_* settings",
                "none", "alerts", true, List.of()));
        return t;
    }

    private static void add(Map<String, Subcommand> t, Subcommand s) {
        List<Flag> flags = new ArrayList<>(s.flags());
        flags.addAll(s.name().equals("fibre-exporter") ? fibreExporterCommon() : COMMON);
        t.put(s.name(), new Subcommand(s.name(), s.summary(), s.extractors(), s.tools(), s.ownBus(), List.copyOf(flags)));
    }

    /** fibre_exporter.py's -n is its node name: there NATS is only --nats-address. */
    private static List<Flag> fibreExporterCommon() {
        List<Flag> common = new ArrayList<>();
        for (Flag f : COMMON) {
            common.add(f == NATS_ADDRESS ? new Flag("--nats-address", f.argument(), f.help(), f.setter())
                    : f == NODE_NAME ? new Flag("-n, --node-name", f.argument(), f.help(), f.setter()) : f);
        }
        return common;
    }

    /**
     * Upstream's connectivity-check binary takes -m and --metrics-address for its own port; in `all` the
     * long name would clash with the metrics tool's, so it is --connectivity-metrics-address there.
     */
    private static List<Flag> withMetricsShortName(List<Flag> flags) {
        List<Flag> renamed = new ArrayList<>();
        for (Flag f : flags) {
            renamed.add(f.names().equals("--connectivity-metrics-address")
                    ? new Flag("-m, --metrics-address, --connectivity-metrics-address", f.argument(), f.help(), f.setter()) : f);
        }
        return renamed;
    }

    /** The flags of several subcommands; a short name two of them share (-b) is left to the first. */
    @SafeVarargs
    private static List<Flag> union(List<Flag>... lists) {
        List<Flag> all = new ArrayList<>();
        for (List<Flag> l : lists) {
            for (Flag f : l) {
                String names = Arrays.stream(f.names().split(", "))
                        .filter(n -> all.stream().noneMatch(g -> g.hasName(n))).collect(Collectors.joining(", "));
                if (names.isEmpty()) {
                    throw new IllegalStateException("two subcommands define " + f.names() + " differently");
                }
                all.add(new Flag(names, f.argument(), f.help(), f.setter()));
            }
        }
        return all;
    }

    /** Settings a subcommand implies: the one-role `replay` is a job that ends when its capture does. */
    static void implied(Subcommand sub, Map<String, String> settings) {
        if (sub.name().equals("replay")) {
            settings.put("camel.component.replay.configuration.exit-at-end", "true");
        }
    }

    /** Rules across flags, as upstream's: --rpc-password requires --rpc-user (or RPC_USER), else it would be ignored. */
    static void checkTogether(Map<String, String> settings, Map<String, String> env) {
        if (settings.containsKey(RPC_PASSWORD) && !settings.containsKey(RPC_USER) && env.getOrDefault("RPC_USER", "").isBlank()) {
            throw new Flag.BadFlagException("--rpc-password needs --rpc-user (or RPC_USER); without a user the cookie file is used");
        }
    }

    // ---- setters -----------------------------------------------------------------------------------

    private static Flag.Setter set(String key) {
        return (v, s) -> s.put(key, v);
    }

    private static Flag.Setter on(String key) {
        return (v, s) -> s.put(key, "true");
    }

    private static Flag.Setter off(String key) {
        return (v, s) -> s.put(key, "false");
    }

    private static Flag loggerFilter(String name, String what) {
        return new Flag("--" + name, null, "log " + what + " [LOGGER_FILTER=" + name + "]",
                (v, s) -> s.merge("logger.filter", name, (a, b) -> a + "," + b));
    }

    private static Flag disableRpc(String method, String option) {
        return new Flag("--disable-" + method, null, "do not poll " + method + " [RPC_" + method.toUpperCase(Locale.ROOT) + "=false]",
                off("camel.component.bitcoin-rpc.configuration." + option));
    }

    private static void rpcHost(String v, Map<String, String> s) {
        String host = v;
        String port = null;
        int colon = v.lastIndexOf(':');
        if (v.startsWith("[") && v.contains("]")) {
            host = v.substring(1, v.indexOf(']'));
            port = v.indexOf("]:") > 0 ? v.substring(v.indexOf("]:") + 2) : null;
        } else if (colon > 0 && v.indexOf(':') == colon) {
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new Flag.BadFlagException("--rpc-host '" + v + "' has no host; write host:port, e.g. 127.0.0.1:8332");
        }
        s.put("camel.component.bitcoin-rpc.configuration.host", host);
        if (port != null) {
            s.put("camel.component.bitcoin-rpc.configuration.port", port("--rpc-host", v, port));
        }
    }

    private static String port(String flag, String flagValue, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Flag.BadFlagException(flag + " '" + flagValue + "' has a bad port '" + port + "'; a port is 1 to 65535");
    }

    private static void p2pAddress(String v, Map<String, String> s) {
        hostPort("--p2p-address", v);
        int colon = v.lastIndexOf(':');
        s.put("camel.component.bitcoin-p2p.configuration.host", v.substring(0, colon).replace("[", "").replace("]", ""));
        s.put("camel.component.bitcoin-p2p.configuration.port", v.substring(colon + 1));
    }

    /** host:port, or [ipv6]:port, as upstream's address flags take it. */
    private static String hostPort(String flag, String v) {
        return hostPort(flag, v, v, "127.0.0.1:8282");
    }

    /** {@code address} (part of the flag's {@code value}) as host:port; the error shows {@code example}. */
    private static String hostPort(String flag, String value, String address, String example) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || (address.indexOf(':') != colon && !address.startsWith("["))) {
            throw new Flag.BadFlagException(flag + " '" + value + "' is not host:port, e.g. " + example);
        }
        port(flag, value, address.substring(colon + 1));
        return address;
    }

    /** One server of --nats-address: host:port as upstream writes it, or a URL of a scheme jnats knows. */
    private static String natsServer(String value, String server) {
        int scheme = server.indexOf("://");
        if (scheme >= 0 && !List.of("nats", "tls", "ws", "wss").contains(server.substring(0, scheme))) {
            throw new Flag.BadFlagException("--nats-address '" + value + "' has an unknown scheme; use host:port or nats://host:port");
        }
        String address = scheme >= 0 ? server.substring(scheme + 3) : server;
        address = address.substring(address.lastIndexOf('@') + 1);  // after user:password@, if any
        if (address.contains(":")) {  // without a port, jnats takes 4222, as upstream's client does
            hostPort("--nats-address", value, address, "127.0.0.1:4222");
        }
        return scheme >= 0 ? server : "nats://" + server;
    }

    private static String oneOf(String flag, String v, String... allowed) {
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new Flag.BadFlagException(flag + " cannot be '" + v + "'; choose from " + String.join(", ", allowed));
    }

    /** A positive duration: with a unit (10s, 2m, PT10S) or a bare number of seconds, which the start gives its unit. */
    private static String duration(String flag, String v) {
        // any digit but 0 makes it above 0
        if (DurationText.isAccepted(v) && v.matches(".*[1-9].*")) {
            return v;
        }
        throw new Flag.BadFlagException(flag + " needs a duration above 0 (10s, 2m, or a number of seconds), not '" + v + "'");
    }

    private static String positiveInteger(String flag, String v) {
        try {
            if (Long.parseLong(v) > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Flag.BadFlagException(flag + " needs a whole number above 0, not '" + v + "'");
    }

    private static String instant(String flag, String v) {
        try {
            return Instant.parse(v).toString();
        } catch (DateTimeParseException e) {
            throw new Flag.BadFlagException(flag + " needs an ISO-8601 time such as 2026-12-01T10:00:00Z, not '" + v + "'");
        }
    }

    private static String nonNegativeNumber(String flag, String v) {
        try {
            if (Double.parseDouble(v) >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Flag.BadFlagException(flag + " needs a number of 0 or more, not '" + v + "'");
    }

    private static String readableFile(String flag, String v) {
        if (!Files.isRegularFile(Path.of(v)) || !Files.isReadable(Path.of(v))) {
            throw new Flag.BadFlagException(flag + " '" + v + "' cannot be read (missing, not a file, or no permission)");
        }
        return v;
    }
}
