package org.peerobserver.tool.connectivity;

import java.util.function.DoubleSupplier;

import org.peerobserver.support.prometheus.Metric;
import org.peerobserver.support.prometheus.TextRegistry;

/**
 * The connectivity checker's metrics, with exactly upstream's {@code connectivitycheck_addr_*} names, labels and
 * buckets. Like upstream's, a family appears once it has a series. Our own {@code connectivitycheck_check_*} families
 * show what upstream does not count: skips, queue overflow, load. The checks run on several threads at once, so
 * every update holds the registry.
 */
final class ConnectivityMetrics {
    /** Upstream's TIMESTAMP_OFFSET buckets: 0, then 2^0 .. 2^24 seconds. */
    static final double[] OFFSET_BUCKETS = offsetBuckets();
    /** Series per family at most: source_ip comes from the network. */
    static final int MAX_SERIES = 10_000;

    private final TextRegistry registry = new TextRegistry("", false, MAX_SERIES, 1).showOnceUpdated().dropPastCap();

    final Family tried = counter("connectivitycheck_addr_tried", "Number of addresses tried.", "network", "addr_version");
    final Family cached = counter("connectivitycheck_addr_cached", "Number of addresses cached.", "network", "addr_version");
    final Family successful = counter("connectivitycheck_addr_successful_connection", "Number of successful connections.",
            "network", "addr_version", "source_ip");
    final Family unsuccessful = counter("connectivitycheck_addr_unsuccessful_connection",
            "Number of unsuccessful connections by source.", "network", "addr_version", "source_ip");
    final Family offset = new Family(registry.histogram("connectivitycheck_addr_addr_timestamp_offset_seconds",
            "Histogram of the timestamp offset (in seconds) of addresses contained in an 'addr' message.", OFFSET_BUCKETS,
            "network", "addr_version", "timestamp_offset", "successful"));
    final Family triedTorExit = counter("connectivitycheck_addr_tried_tor_exit",
            "Number of addresses tried that we received from a Tor exit node.", "network", "addr_version");
    final Family successfulTorExit = counter("connectivitycheck_addr_successful_connection_tor_exit",
            "Number of successful connections to addresses that we received from a Tor exit node.", "network", "addr_version");
    final Family skipped = counter("connectivitycheck_check_skipped", "Announced addresses not checked, by reason.", "reason");
    final Family overflow = counter("connectivitycheck_check_overflow",
            "Addresses dropped because the queue of addresses to check was full.");
    final Family transport = counter("connectivitycheck_check_transport",
            "Addresses dialled, by the transport they spoke: v2 (BIP324), v1 (only), or neither.", "network", "transport");
    final Family dials = counter("connectivitycheck_check_dials", "Handshakes started (cache hits are not dialled).");
    private final Metric seriesDropped = registry.counter("connectivitycheck_check_series_dropped",
            "Label combinations not recorded because a family already had " + MAX_SERIES + " series.");

    private Family counter(String name, String help, String... labels) {
        return new Family(registry.counter(name, help, labels));
    }

    /** A gauge sampled on every scrape. */
    void gauge(String name, String help, DoubleSupplier value) {
        synchronized (registry) {
            registry.sampledGauge(name, help, value);
        }
    }

    String exposition() {
        StringBuilder out = new StringBuilder();
        synchronized (registry) {
            long dropped = registry.pastCap();
            if (dropped > 0) {
                seriesDropped.set(null, dropped);
            }
            registry.write(out);
        }
        return out.toString();
    }

    private static double[] offsetBuckets() {
        double[] b = new double[26];
        for (int i = 1; i < b.length; i++) {
            b[i] = 1L << (i - 1);
        }
        return b;
    }

    /** One family, updated from any checking thread: each update and read holds the registry. */
    final class Family {
        private final Metric metric;

        private Family(Metric metric) {
            this.metric = metric;
        }

        void inc(String... labels) {
            add(1, labels);
        }

        void add(long amount, String... labels) {
            synchronized (registry) {
                metric.add(null, amount, labels);
            }
        }

        void observe(double value, String... labels) {
            synchronized (registry) {
                metric.observe(null, value, labels);
            }
        }

        long value(String... labels) {
            synchronized (registry) {
                return (long) metric.value(null, labels);
            }
        }
    }
}
