package org.peerobserver.tool.fibre;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.TextFormat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.KeyCertOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.Handler;
import org.apache.camel.Route;
import org.peerobserver.support.HostName;
import org.peerobserver.support.HostPort;
import org.peerobserver.support.RateLimitedLog;
import org.peerobserver.support.http.BasicAuth;
import org.peerobserver.support.http.Exposition;
import org.peerobserver.support.http.HttpPort;
import org.peerobserver.support.http.ServingRoutePolicy;
import org.peerobserver.support.http.PemTls;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.validation.BlockConnected;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.proto.ext.Fibre;
import org.peerobserver.proto.ext.FibreBlockRace;
import org.peerobserver.proto.ext.FibreBlockReconstructed;
import org.peerobserver.proto.ext.LogMatch;
import org.peerobserver.proto.ext.UdpBlockRaceTime;
import org.peerobserver.proto.ext.UdpBlockRaceWinner;
import org.peerobserver.proto.ext.UdpBlockReconstructed;
import org.peerobserver.proto.ext.UdpBlockReconstructionDetail;
import org.peerobserver.proto.log.BlockConnectedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FIBRE exporter: fibre-monitoring's metrics from FIBRE tracepoint events (ext.fibre), the same
 * facts from debug.log (ext.log) and block connections, plus block races on any node from P2P
 * messages, which the route publishes on {@code ext.race}. Metrics on FIBRE_METRICS_PORT (optionally basic auth and
 * TLS), health on FIBRE_HEALTH_PORT. It is the route policy of {@code tool-fibre-exporter}, so both
 * ports are open exactly while that route runs.
 */
public class FibreExporter extends ServingRoutePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(FibreExporter.class);
    /** The events_processed label of each FIBRE event, made once rather than per event. */
    private static final Map<Fibre.EventCase, String> PROCESSED = new EnumMap<>(Fibre.EventCase.class);

    static {
        for (Fibre.EventCase c : Fibre.EventCase.values()) {
            PROCESSED.put(c, c.name().toLowerCase(Locale.ROOT));
        }
    }

    private static final String VERSION = version();

    private String bindAddress = "127.0.0.1";
    private int metricsPort = 9435;
    private int healthPort = 9436;
    private String username = "";
    private String password = "";
    private String tlsCert = "";
    private String tlsKey = "";
    private String nodeName = "";
    /** The node name this process publishes under (NODE_NAME), the default of its own label. */
    private String busNode = "";
    /** For fibre_exporter_info, as fibre_exporter.py labels it. */
    private String bitcoindPath = "";
    private boolean verbose;
    private double raceWindowSeconds = 10;
    private int maxOpenRaces = 1000;
    private int maxSeriesPerFamily = 2000;

    private FibreMetrics metrics;
    private RaceTracker tracker;
    private String ownNode;
    private final Set<Fibre.EventCase> probesSeen = EnumSet.noneOf(Fibre.EventCase.class);
    private double lastAttached;
    private Gauge attachedGauge;
    private CamelContext context;
    /** The newest event time seen, and when (System.nanoTime), so the clock moves on between events. */
    private long lastEventMillis;
    private long lastEventNanos;
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG);
    /** Lowercase forms of the last block hashes seen ({@link #lowercase}). */
    private final Map<String, String> recentHashes = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 32;
        }
    };
    /** Read by the health port's event loop. */
    private volatile HttpPort server;
    private HttpPort health;

    @Override
    public void onInit(Route route) {
        init(route.getCamelContext());
    }

    void init(CamelContext context) {
        metrics = new FibreMetrics(maxSeriesPerFamily, 64);
        tracker = new RaceTracker(Math.round(raceWindowSeconds * 1000), maxOpenRaces);
        ownNode = !nodeName.isEmpty() ? nodeName : !busNode.isEmpty() ? busNode : HostName.local();
        this.context = context;
        metrics.registry.sampledGauge("fibre_exporter_probes_attached", "Number of USDT probes successfully attached",
                this::probesAttached);
    }

    /**
     * Updates the metrics from events as {@code bus:subscribe?batchSize=...} hands them over, and returns the
     * block races they closed, for the route to publish (on ext.race). A failure is counted, logged, and skipped.
     */
    @Handler
    public List<ReceivedEvent> record(List<ReceivedEvent> events) {
        List<RaceTracker.Result> closed = new ArrayList<>();
        // one clock reading per batch: a batch spans a few milliseconds at most, and reading it per event
        // was a twentieth of this thread's CPU in a flood
        long receivedNanos = System.nanoTime();
        synchronized (metrics.registry) {
            for (ReceivedEvent e : events) {
                record(e.event(), e.node(), receivedNanos, closed);
            }
            raceResults(closed);
            probesAttached();
        }
        return races(closed);
    }

    /** Called with the registry locked. */
    private void record(Event event, String eventNode, long receivedNanos, List<RaceTracker.Result> closed) {
        String node = metrics.registry.node(nodeName.isEmpty() ? eventNode : nodeName);
        advanceClock(event.getTimestamp(), receivedNanos);
        try {
            String type = handle(event, node, closed);
            if (type != null) {
                metrics.eventsProcessed.inc(null, type);
                if (verbose) {
                    LOG.info("FIBRE exporter {} event of {}: {}", type, node, TextFormat.shortDebugString(event));
                }
            }
        } catch (RuntimeException e) {
            metrics.errors.inc(null, "event_processing");
            failureLog.warn("FIBRE exporter skipped an event: " + e.getMessage()
                    + " (counted in fibre_exporter_errors_total{error_type=\"event_processing\"})");
        }
        closed.addAll(tracker.expire(lastEventMillis));
    }

    /** Closes the races whose window has passed though no event came (the timer of the route calls it), and returns them. */
    @Handler
    public List<ReceivedEvent> tick() {
        List<RaceTracker.Result> closed;
        synchronized (metrics.registry) {
            if (lastEventNanos == 0) {
                return List.of();
            }
            closed = tracker.expire(lastEventMillis + (System.nanoTime() - lastEventNanos) / 1_000_000);
            raceResults(closed);
        }
        return races(closed);
    }

    private void advanceClock(long millis, long receivedNanos) {
        if (millis >= lastEventMillis) {
            lastEventMillis = millis;
            lastEventNanos = receivedNanos;
        }
    }

    /** The event_type label of what was recorded, or null when the event was not for this tool. */
    private String handle(Event event, String node, List<RaceTracker.Result> closed) {
        switch (event.getPeerObserverEventCase()) {
            case EBPF_EXTRACTOR -> {
                var ebpf = event.getEbpfExtractor();
                if (ebpf.hasValidation() && ebpf.getValidation().hasBlockConnected()) {
                    BlockConnected b = ebpf.getValidation().getBlockConnected();
                    metrics.connected(node, b.getHeight(), b.getConnectionTime() / 1e9, b.getTransactions());
                    return "block_connected";
                }
                return ebpf.hasMessage() ? message(ebpf.getMessage(), node, event.getTimestamp(), closed) : null;
            }
            case LOG_EXTRACTOR -> {
                if (event.getLogExtractor().hasBlockConnectedLog()) {
                    BlockConnectedLog b = event.getLogExtractor().getBlockConnectedLog();
                    metrics.connected(node, b.getBlockHeight(), 0, 0);
                    return "log_block_connected";
                }
                return null;
            }
            case EXTENSION -> {
                Extension x = event.getExtension();
                if (x.hasFibre()) {
                    return fibre(x.getFibre(), node, event.getTimestamp(), closed);
                }
                return x.hasLog() ? log(x.getLog(), node, event.getTimestamp(), closed) : null;
            }
            default -> {
                return null;
            }
        }
    }

    private String fibre(Fibre f, String node, long at, List<RaceTracker.Result> closed) {
        probesSeen.add(f.getEventCase());
        switch (f.getEventCase()) {
            case BLOCK_RECONSTRUCTED -> {
                UdpBlockReconstructed r = f.getBlockReconstructed();
                metrics.reconstructed(node, r.getDurationUs() / 1e6, r.getChunksUsed(), r.getChunksReceived());
                closed.addAll(tracker.seen(node, lowercase(r.getHash()), Mechanism.FIBRE_UDP, r.getSource(), at));
            }
            case BLOCK_RECONSTRUCTION_DETAIL -> {
                UdpBlockReconstructionDetail d = f.getBlockReconstructionDetail();
                metrics.missingTxCount.observe(node, d.getMissingTxCount());
                metrics.missingTxBytes.observe(node, d.getMissingTxBytes());
                metrics.mempoolTxCount.observe(node, d.getMempoolTxCount());
                if (d.getAllTxFromMempool()) {
                    metrics.allTxFromMempool.inc(node);
                }
            }
            case BLOCK_SEND_START -> metrics.blocksSent.inc(node);
            case BLOCK_RACE_WINNER -> {
                UdpBlockRaceWinner w = f.getBlockRaceWinner();
                metrics.raceWinner(node, w.getMechanism(), w.getPeer(), w.getHeight());
                return "block_delivery";   // fibre_exporter.py's name for it
            }
            case BLOCK_RACE_TIME -> {
                UdpBlockRaceTime t = f.getBlockRaceTime();
                metrics.raceTime(node, t.getHeight(), t.getUdpNs() / 1e9, t.getCmpctNs() / 1e9);
            }
            default -> {
                return null;
            }
        }
        return PROCESSED.get(f.getEventCase());
    }

    /**
     * A block's hash in lowercase, as the race tracker keys it (nodes write lowercase hex; a fork might not). A
     * block's hash comes in several events, so the last hashes seen are remembered; called with the registry locked.
     */
    private String lowercase(String hash) {
        String lower = recentHashes.get(hash);
        if (lower == null) {
            lower = hash.toLowerCase(Locale.ROOT);
            recentHashes.put(hash, lower);
        }
        return lower;
    }

    private String log(LogMatch match, String node, long at, List<RaceTracker.Result> closed) {
        switch (match.getMatchCase()) {
            case FIBRE_BLOCK_RECONSTRUCTED -> {
                FibreBlockReconstructed r = match.getFibreBlockReconstructed();
                metrics.reconstructed(node, r.getDurationMs() / 1000, r.getChunksUsed(), r.getChunksReceived());
                closed.addAll(tracker.seen(node, lowercase(r.getBlockHash()), Mechanism.FIBRE_UDP,
                        r.getSource(), at));
                return "log_block_reconstructed";
            }
            case FIBRE_BLOCK_RACE -> {
                FibreBlockRace r = match.getFibreBlockRace();
                metrics.raceWinner(node, r.getWinner(), r.hasWinnerPeer() ? r.getWinnerPeer() : "n/a", r.getHeight());
                metrics.raceTime(node, r.getHeight(), r.hasUdpMs() ? r.getUdpMs() / 1000 : -1,
                        r.hasCmpctMs() ? r.getCmpctMs() / 1000 : -1);
                return "log_block_race";
            }
            default -> {
                return null;
            }
        }
    }

    private String message(MessageEvent m, String node, long at, List<RaceTracker.Result> closed) {
        Mechanism mechanism = BlockSightings.mechanism(m.getMeta().getCommand());
        if (mechanism == null || !m.getMeta().getInbound()) {
            return null;
        }
        List<String> hashes;
        try {
            hashes = BlockSightings.hashes(m, mechanism);
        } catch (IllegalArgumentException e) {
            metrics.errors.inc(null, "malformed_message");
            failureLog.warn("FIBRE exporter skipped a message: " + e.getMessage()
                    + " (counted in fibre_exporter_errors_total{error_type=\"malformed_message\"})");
            return null;
        }
        for (String hash : hashes) {
            closed.addAll(tracker.seen(node, hash, mechanism, m.getMeta().getAddr(), at));
        }
        return mechanism.label;
    }

    private void raceResults(List<RaceTracker.Result> closed) {
        for (RaceTracker.Result r : closed) {
            metrics.race(r.node(), r.race());
        }
        String own = ownNodeLabel();
        metrics.openRaces.set(own, tracker.openRaces());
        metrics.closedEarly.set(own, tracker.closedEarly());
        metrics.lateSightings.set(own, tracker.late());
    }

    /** The races as events of the node they were seen on. */
    private static List<ReceivedEvent> races(List<RaceTracker.Result> closed) {
        List<ReceivedEvent> races = new ArrayList<>(closed.size());
        for (RaceTracker.Result r : closed) {
            Event e = Event.newBuilder().setTimestamp(System.currentTimeMillis())
                    .setExtension(Extension.newBuilder().setRace(r.race())).build();
            races.add(new ReceivedEvent(e, EventKind.of(e), r.node()));
        }
        return races;
    }

    /**
     * fibre_exporter.py's probes_attached: the probes the ebpf extractor of this process attached (its
     * Micrometer gauge, read with each batch of events and each scrape), kept while bitcoind is away as
     * fibre_exporter.py keeps it; with the extractor in another process, the FIBRE tracepoints seen firing.
     */
    private double probesAttached() {
        if (attachedGauge == null) {
            MeterRegistry registry = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            attachedGauge = registry == null ? null : registry.find("peerobserver_ebpf_attached_probes").gauge();
            if (attachedGauge == null) {
                return probesSeen.size();
            }
        }
        double now = attachedGauge.value();
        lastAttached = now > 0 ? now : lastAttached;
        return lastAttached;
    }

    private String ownNodeLabel() {
        return metrics.registry.node(ownNode);
    }

    /** The whole exposition. */
    public String scrape() {
        StringBuilder out = new StringBuilder(16 * 1024);
        synchronized (metrics.registry) {
            metrics.registry.write(out);
        }
        return out.toString();
    }

    public int metricsPort() {
        return server.port();
    }

    public int healthPort() {
        return health.port();
    }

    @Override
    public void onStart(Route route) {
        if (tlsCert.isEmpty() != tlsKey.isEmpty()) {
            throw new IllegalArgumentException("Set both FIBRE_TLS_CERT and FIBRE_TLS_KEY, or neither");
        }
        BasicAuth auth = BasicAuth.optional(username, password, "FIBRE Metrics", "FIBRE_METRICS_AUTH_USERNAME",
                "FIBRE_METRICS_AUTH_PASSWORD");
        KeyCertOptions tls = tlsCert.isEmpty() ? null : PemTls.keyCert(Path.of(tlsCert), Path.of(tlsKey));
        synchronized (metrics.registry) {
            metrics.up.set(null, 1);
            metrics.startTime.set(null, System.currentTimeMillis() / 1000.0);
            metrics.info.set(null, 1, bitcoindPath, ownNode, VERSION);
        }
        try {
            health = serve(route, "fibre-health", HostPort.parse(bindAddress + ":" + healthPort, "FIBRE_HEALTH_PORT"),
                    null, this::health);
            server = serve(route, "fibre-metrics", HostPort.parse(bindAddress + ":" + metricsPort, "FIBRE_METRICS_PORT"),
                    tls, Exposition.handler(this::scrape, auth));
        } catch (IOException e) {
            onStop(route);
            throw new IllegalStateException("Cannot serve the FIBRE exporter on " + bindAddress + " ports " + metricsPort
                    + " (FIBRE_METRICS_PORT) and " + healthPort + " (FIBRE_HEALTH_PORT): " + e.getMessage(), e);
        }
        LOG.info("FIBRE exporter metrics on {}://{}:{}/metrics ({}), health on http://{}:{}/health",
                tls == null ? "http" : "https", bindAddress, server.port(), auth == null ? "open" : "basic auth",
                bindAddress, health.port());
    }

    /**
     * fibre-monitoring's health port: {@code /health} answers while the exporter runs, {@code /ready} once it
     * also serves metrics; any other path is 404. Plain HTTP without auth, for probes.
     */
    private void health(HttpServerRequest request) {
        HttpServerResponse response = request.response().putHeader("Content-Type", "text/plain; charset=utf-8");
        switch (request.path() == null ? "" : request.path()) {
            case "/health" -> response.end("OK");
            case "/ready" -> {
                if (server != null) {
                    response.end("OK");
                } else {
                    response.setStatusCode(503).end("not ready");
                }
            }
            default -> response.setStatusCode(404).end("Not Found");
        }
    }

    @Override
    public void onStop(Route route) {
        super.onStop(route);
        server = null;
        health = null;
        synchronized (metrics.registry) {
            metrics.up.set(null, 0);
        }
    }

    private static String version() {
        String v = FibreExporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public void setMetricsPort(int metricsPort) {
        this.metricsPort = port(metricsPort, "FIBRE_METRICS_PORT");
    }

    public void setHealthPort(int healthPort) {
        this.healthPort = port(healthPort, "FIBRE_HEALTH_PORT");
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setTlsCert(String tlsCert) {
        this.tlsCert = tlsCert;
    }

    public void setTlsKey(String tlsKey) {
        this.tlsKey = tlsKey;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public void setBitcoindPath(String bitcoindPath) {
        this.bitcoindPath = bitcoindPath;
    }

    public void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    public void setBusNode(String busNode) {
        this.busNode = busNode;
    }

    public void setRaceWindowSeconds(double raceWindowSeconds) {
        if (!(raceWindowSeconds >= 0.001 && raceWindowSeconds <= 3600)) {
            throw new IllegalArgumentException("FIBRE_RACE_WINDOW must be between 0.001 and 3600 seconds, not " + raceWindowSeconds);
        }
        this.raceWindowSeconds = raceWindowSeconds;
    }

    public void setMaxOpenRaces(int maxOpenRaces) {
        if (maxOpenRaces < 1) {
            throw new IllegalArgumentException("FIBRE_RACE_MAX_OPEN must be at least 1, not " + maxOpenRaces);
        }
        this.maxOpenRaces = maxOpenRaces;
    }

    public void setMaxSeriesPerFamily(int maxSeriesPerFamily) {
        if (maxSeriesPerFamily < 1) {
            throw new IllegalArgumentException("FIBRE_MAX_SERIES must be at least 1, not " + maxSeriesPerFamily);
        }
        this.maxSeriesPerFamily = maxSeriesPerFamily;
    }

    private static int port(int port, String setting) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(setting + " must be a port number (0-65535), not " + port);
        }
        return port;
    }
}
