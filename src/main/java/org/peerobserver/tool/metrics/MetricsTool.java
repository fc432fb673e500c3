package org.peerobserver.tool.metrics;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.peerobserver.bitcoin.IpLists;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.camel.Route;
import org.peerobserver.support.HostPort;
import org.peerobserver.support.prometheus.Metric;
import org.peerobserver.support.prometheus.TextRegistry;
import org.peerobserver.support.RateLimitedLog;
import org.peerobserver.support.http.BasicAuth;
import org.peerobserver.support.http.Exposition;
import org.peerobserver.support.http.HttpPort;
import org.peerobserver.support.http.ServingRoutePolicy;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.ext.Alert;
import org.peerobserver.support.SafeText;
import org.peerobserver.proto.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics tool: upstream's families (written by {@link TextRegistry} with upstream's exact
 * names) followed by our own {@code peerobserver_*} additions (Micrometer), served on
 * METRICS_ADDRESS. It is the route policy of {@code tool-metrics}, so the port is open exactly while
 * that route runs.
 */
public class MetricsTool extends ServingRoutePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsTool.class);
    private static final double[] AGE_BUCKETS = {0.001, 0.01, 0.1, 1, 10, 60, 600};

    private String address = "127.0.0.1:8282";
    private boolean nodeLabel = true;
    private int maxSeriesPerFamily = 2000;
    private int maxNodes = 64;
    private String ipListsDirectory = "";
    private String username = "";
    private String password = "";

    private TextRegistry registry;
    private UpstreamMetrics upstream;
    private PrometheusMeterRegistry own;
    private DistributionSummary eventAge;
    private final BatchClock clock = new BatchClock();
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> alerts = new ConcurrentHashMap<>();
    private final LongAdder failed = new LongAdder();
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG);
    private HttpPort server;

    @Override
    public void onInit(Route route) {
        setUp();
    }

    /** Sets up the families and our own meters. */
    void setUp() {
        registry = UpstreamMetrics.registry(nodeLabel, maxSeriesPerFamily, maxNodes);
        upstream = new UpstreamMetrics(registry, IpLists.load(ipListsDirectory));
        own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
        // a summary in seconds, not a Timer: a Timer sums nanoseconds in a long, which replayed old events overflow
        eventAge = DistributionSummary.builder("peerobserver_event_age").baseUnit("seconds")
                .description("time from an event's publication (its timestamp) to its processing by the metrics tool")
                .serviceLevelObjectives(AGE_BUCKETS).register(own);
        // what the bus drops is the bus's to count (peerobserver_bus_dropped_total on the management port)
        FunctionCounter.builder("peerobserver_events_dropped", failed, LongAdder::doubleValue)
                .description("events the metrics tool could not process").tag("reason", "metrics_failed")
                .register(own);
    }

    /**
     * Events as {@code bus:subscribe?batchSize=...} hands them over; a failure on one is counted and logged,
     * and the next goes on. The
     * families are locked once for the batch and its received counts added by runs of one subject:
     * both cost more per event than the metrics of a small event do.
     */
    public void recordAll(List<ReceivedEvent> events) {
        long now = clock.tick();
        synchronized (registry) {
            for (ReceivedEvent e : events) {
                recordUpstream(e.event(), e.subject(), e.node());
            }
        }
        for (ReceivedEvent e : events) {
            if (e.event().hasExtension() && e.event().getExtension().hasAlert()) {
                alert(e.event().getExtension().getAlert(), e.node());
            }
        }
        for (ReceivedEvent e : events) {
            recordAge(e.event(), now);
        }
        // counted last: whoever sees the count sees the batch's metrics
        for (int start = 0, end; start < events.size(); start = end) {
            String subject = events.get(start).subject();
            end = start + 1;
            while (end < events.size() && Objects.equals(events.get(end).subject(), subject)) {
                end++;
            }
            received(subject).increment(end - start);
        }
    }

    /** Called with the registry locked. */
    private void recordUpstream(Event event, String subject, String node) {
        try {
            upstream.record(event, node);
        } catch (RuntimeException e) {
            failed.increment();
            failureLog.warn("Metrics skipped an event of " + subject + ": " + e
                    + " (counted in peerobserver_events_dropped_total{reason=\"metrics_failed\"})");
        }
    }

    /**
     * Counts an ext.alert event in peerobserver_alerts_total. Anyone on the bus may publish one, so the label
     * combinations are capped ({@code maxSeriesPerFamily}); beyond the cap they count as alert="other".
     */
    private void alert(Alert a, String eventNode) {
        String node;
        synchronized (registry) {
            node = registry.node(a.getNode().isEmpty() ? eventNode : a.getNode());
        }
        String name = SafeText.of(a.getName(), 64);
        String severity = SafeText.of(a.getSeverity(), 16);
        String key = name + "\n" + severity + "\n" + node;
        if (!alerts.containsKey(key) && alerts.size() >= maxSeriesPerFamily) {
            name = "other";
            key = name + "\n" + severity + "\n" + node;
        }
        String alertLabel = name;
        alerts.computeIfAbsent(key, k -> Counter.builder("peerobserver_alerts").description("ext.alert events, by alert, severity and node")
                .tag("alert", alertLabel).tag("severity", severity).tag("node", node).register(own)).increment();
    }

    private void recordAge(Event event, long now) {
        eventAge.record(Math.max(0, now - event.getTimestamp()) / 1000.0);
    }

    private Counter received(String subject) {
        return received.computeIfAbsent(subject == null ? "unknown" : subject, s -> Counter.builder("peerobserver_events_received")
                .description("events the metrics tool received, by bus subject").tag("subject", s).register(own));
    }

    /** The whole exposition: upstream's families, then ours. */
    public String scrape() {
        StringBuilder out = new StringBuilder(64 * 1024);
        synchronized (registry) {
            registry.write(out);
            for (Metric m : registry.metrics()) {
                if (m.pastCap() > 0) {
                    FunctionCounter.builder("peerobserver_metrics_labels_collapsed", m, Metric::pastCap)
                            .description("new label combinations folded into 'other' by the per-family series cap")
                            .tag("family", m.name()).register(own);
                }
            }
        }
        clock.tick();
        return out.append(own.scrape()).toString();
    }

    /**
     * Our meters' clock, read from the system once per batch and per scrape, the only times the meters
     * are written or read: the age summary would read the time twice for every event (its max and
     * histogram windows), which costs as much as the rest of a small event's metrics.
     */
    private static final class BatchClock implements Clock {
        private volatile long wallTime = System.currentTimeMillis();

        long tick() {
            long now = System.currentTimeMillis();
            wallTime = now;
            return now;
        }

        @Override
        public long wallTime() {
            return wallTime;
        }

        @Override
        public long monotonicTime() {
            return System.nanoTime();
        }
    }

    /** The port actually bound (METRICS_ADDRESS may say 0 in tests). */
    public int port() {
        return server.port();
    }

    @Override
    public void onStart(Route route) {
        try {
            BasicAuth auth = BasicAuth.optional(username, password, "peer-observer metrics", "METRICS_AUTH_USERNAME",
                    "METRICS_AUTH_PASSWORD");
            server = serve(route, "metrics", HostPort.parse(address, "METRICS_ADDRESS"), null,
                    Exposition.handler(this::scrape, auth));
            LOG.info("Metrics served on port {} (METRICS_ADDRESS {}), any path, {}", server.port(), address,
                    auth == null ? "open" : "basic auth");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serve metrics on " + address + " (METRICS_ADDRESS): " + e.getMessage(), e);
        }
    }

    public void setAddress(String address) {
        HostPort.parse(address, "METRICS_ADDRESS");
        this.address = address;
    }

    public void setNodeLabel(boolean nodeLabel) {
        this.nodeLabel = nodeLabel;
    }

    public void setMaxSeriesPerFamily(int maxSeriesPerFamily) {
        this.maxSeriesPerFamily = positive(maxSeriesPerFamily, "METRICS_MAX_SERIES");
    }

    public void setMaxNodes(int maxNodes) {
        this.maxNodes = positive(maxNodes, "METRICS_MAX_NODES");
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setIpListsDirectory(String ipListsDirectory) {
        this.ipListsDirectory = ipListsDirectory;
    }

    private static int positive(int value, String setting) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, not " + value);
        }
        return value;
    }
}
