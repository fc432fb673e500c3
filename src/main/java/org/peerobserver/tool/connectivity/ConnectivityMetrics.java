package org.peerobserver.tool.connectivity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The connectivity checker's metrics in the Prometheus text format, written here so the names, labels and buckets are
 * exactly upstream's {@code connectivitycheck_addr_*}. Like upstream's, a family appears once it has a series. Our own
 * {@code connectivitycheck_check_*} families show what upstream does not count: skips, queue overflow, load.
 */
final class ConnectivityMetrics {
    /** Upstream's TIMESTAMP_OFFSET buckets: 0, then 2^0 .. 2^24 seconds. */
    static final double[] OFFSET_BUCKETS = offsetBuckets();
    /** Series per family at most: source_ip comes from the network. */
    static final int MAX_SERIES = 10_000;

    final Family tried = new Family("connectivitycheck_addr_tried", "counter", "Number of addresses tried.", "network", "addr_version");
    final Family cached = new Family("connectivitycheck_addr_cached", "counter", "Number of addresses cached.", "network", "addr_version");
    final Family successful = new Family("connectivitycheck_addr_successful_connection", "counter",
            "Number of successful connections.", "network", "addr_version", "source_ip");
    final Family unsuccessful = new Family("connectivitycheck_addr_unsuccessful_connection", "counter",
            "Number of unsuccessful connections by source.", "network", "addr_version", "source_ip");
    final Family offset = new Family("connectivitycheck_addr_addr_timestamp_offset_seconds", "histogram",
            "Histogram of the timestamp offset (in seconds) of addresses contained in an 'addr' message.",
            "network", "addr_version", "timestamp_offset", "successful");
    final Family triedTorExit = new Family("connectivitycheck_addr_tried_tor_exit", "counter",
            "Number of addresses tried that we received from a Tor exit node.", "network", "addr_version");
    final Family successfulTorExit = new Family("connectivitycheck_addr_successful_connection_tor_exit", "counter",
            "Number of successful connections to addresses that we received from a Tor exit node.", "network", "addr_version");
    final Family skipped = new Family("connectivitycheck_check_skipped", "counter",
            "Announced addresses not checked, by reason.", "reason");
    final Family overflow = new Family("connectivitycheck_check_overflow", "counter",
            "Addresses dropped because the queue of addresses to check was full.");
    final Family dials = new Family("connectivitycheck_check_dials", "counter",
            "Handshakes started (cache hits are not dialled).");
    final Family seriesDropped = new Family("connectivitycheck_check_series_dropped", "counter",
            "Label combinations not recorded because a family already had " + MAX_SERIES + " series.");

    // in name order, as upstream's Rust client writes its registry
    private final List<Family> families = Stream.of(cached, offset, successful, successfulTorExit, tried, triedTorExit,
            unsuccessful, dials, overflow, seriesDropped, skipped).sorted(Comparator.comparing(f -> f.name)).toList();
    private final Map<String, LongSupplier> gauges = new TreeMap<>();

    /** A gauge sampled on every scrape. */
    void gauge(String name, String help, LongSupplier value) {
        gauges.put(name + "\n" + help, value);
    }

    String exposition() {
        StringBuilder out = new StringBuilder();
        for (Family f : families) {
            f.write(out);
        }
        gauges.forEach((nameHelp, value) -> {
            String[] nh = nameHelp.split("\n", 2);
            out.append("# HELP ").append(nh[0]).append(' ').append(nh[1]).append("\n# TYPE ").append(nh[0]).append(" gauge\n")
                    .append(nh[0]).append(' ').append(value.getAsLong()).append('\n');
        });
        return out.toString();
    }

    private static double[] offsetBuckets() {
        double[] b = new double[26];
        for (int i = 1; i < b.length; i++) {
            b[i] = 1L << (i - 1);
        }
        return b;
    }

    /** One metric family: counters, or histograms over {@link #OFFSET_BUCKETS}, by label values. */
    final class Family {
        private final String name;
        private final String type;
        private final String help;
        private final String[] labels;
        private final ConcurrentMap<List<String>, Series> series = new ConcurrentHashMap<>();

        Family(String name, String type, String help, String... labels) {
            this.name = name;
            this.type = type;
            this.help = help;
            this.labels = labels;
        }

        void inc(String... values) {
            Series s = series(values);
            if (s != null) {
                s.count.increment();
            }
        }

        void observe(double value, String... values) {
            Series s = series(values);
            if (s != null) {
                s.observe(value);
            }
        }

        long value(String... values) {
            Series s = series.get(List.of(values));
            return s == null ? 0 : s.count.sum();
        }

        private Series series(String... values) {
            List<String> key = List.of(values);
            Series s = series.get(key);
            if (s == null) {
                if (series.size() >= MAX_SERIES) {
                    if (this != seriesDropped) {
                        seriesDropped.inc();
                    }
                    return null;
                }
                s = series.computeIfAbsent(key, k -> new Series());
            }
            return s;
        }

        void write(StringBuilder out) {
            if (series.isEmpty()) {
                return;
            }
            out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
            // labels in name order and series in label order, as upstream's Rust client writes them
            Integer[] order = new Integer[labels.length];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (a, b) -> labels[a].compareTo(labels[b]));
            TreeMap<String, Series> sorted = new TreeMap<>();
            series.forEach((values, s) -> {
                List<String> pairs = new ArrayList<>();
                for (int i : order) {
                    pairs.add(labels[i] + "=\"" + escape(values.get(i)) + "\"");
                }
                sorted.put(String.join(",", pairs), s);
            });
            sorted.forEach((pairs, s) -> {
                if (type.equals("histogram")) {
                    String sep = pairs.isEmpty() ? "" : ",";
                    long cumulative = 0;
                    for (int i = 0; i < OFFSET_BUCKETS.length; i++) {
                        cumulative += s.buckets.get(i).get();
                        out.append(name).append("_bucket{").append(pairs).append(sep).append("le=\"").append(number(OFFSET_BUCKETS[i]))
                                .append("\"} ").append(cumulative).append('\n');
                    }
                    long count = s.count.sum();
                    out.append(name).append("_bucket{").append(pairs).append(sep).append("le=\"+Inf\"} ").append(count).append('\n');
                    out.append(name).append("_sum").append(braces(pairs)).append(' ').append(number(s.sum())).append('\n');
                    out.append(name).append("_count").append(braces(pairs)).append(' ').append(count).append('\n');
                } else {
                    out.append(name).append(braces(pairs)).append(' ').append(s.count.sum()).append('\n');
                }
            });
        }
    }

    private static String braces(String pairs) {
        return pairs.isEmpty() ? "" : "{" + pairs + "}";
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** A counter, or a histogram whose count is its observations. */
    private static final class Series {
        final LongAdder count = new LongAdder();
        final List<AtomicLong> buckets = new ArrayList<>();
        final AtomicLong sumBits = new AtomicLong(Double.doubleToLongBits(0));

        Series() {
            for (int i = 0; i < OFFSET_BUCKETS.length; i++) {
                buckets.add(new AtomicLong());
            }
        }

        void observe(double v) {
            for (int i = 0; i < OFFSET_BUCKETS.length; i++) {
                if (v <= OFFSET_BUCKETS[i]) {
                    buckets.get(i).incrementAndGet();
                    break;
                }
            }
            sumBits.accumulateAndGet(0, (bits, ignored) -> Double.doubleToLongBits(Double.longBitsToDouble(bits) + v));
            count.increment();
        }

        double sum() {
            return Double.longBitsToDouble(sumBits.get());
        }
    }
}
