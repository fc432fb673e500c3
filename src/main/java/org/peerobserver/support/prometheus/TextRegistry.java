package org.peerobserver.support.prometheus;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;

/**
 * Metric families and their Prometheus text exposition, written here rather than by a Prometheus
 * library because those append {@code _total} to counter names and upstream peer-observer's have none.
 * Output follows upstream's Rust client byte for byte: families sorted by name, a family left out until
 * it has a series, labels sorted by name ({@code le} last), integral values without a decimal point.
 * The metrics tool, the FIBRE exporter and the connectivity check each keep one.
 *
 * <p>Every series can carry a {@code node} label (at most {@code maxNodes} names, then {@code other}),
 * and each family holds at most {@code maxSeriesPerFamily} series, so a stranger's label values cannot
 * grow it without bound. Not thread-safe: callers hold the registry's monitor around updates and
 * writes, so a tool on the hot path can take it once per batch of events.
 */
public final class TextRegistry {
    /** The label value that stands for node names and free-form values past the caps. */
    public static final String OTHER = "other";
    /** Longer label values are cut: upstream's come from short fields, but a NATS publisher can send anything. */
    public static final int MAX_VALUE_LENGTH = 256;

    private final String prefix;
    private final boolean nodeLabel;
    private final int maxSeriesPerFamily;
    private final int maxNodes;
    private boolean zeroAtStart = true;
    private boolean dropPastCap;
    private final List<Metric> metrics = new ArrayList<>();
    /** Each node name to its first instance. */
    private final Map<String, String> nodes = new HashMap<>();
    private final Map<String, Sampled> sampled = new TreeMap<>();

    /** Families named {@code prefix + name}; beyond {@code maxNodes} node names, {@code other}. */
    public TextRegistry(String prefix, boolean nodeLabel, int maxSeriesPerFamily, int maxNodes) {
        this.prefix = prefix;
        this.nodeLabel = nodeLabel;
        this.maxSeriesPerFamily = maxSeriesPerFamily;
        this.maxNodes = maxNodes;
    }

    /**
     * Families declared from now on show once they have a series, even those without labels of their
     * own, which otherwise show 0 from the start (or from their node's first event).
     */
    public TextRegistry showOnceUpdated() {
        zeroAtStart = false;
        return this;
    }

    /**
     * Families declared from now on do not record a new label combination once full, rather than
     * folding its free-form values into {@code other}; {@link #pastCap()} counts what they left out.
     */
    public TextRegistry dropPastCap() {
        dropPastCap = true;
        return this;
    }

    public Metric counter(String name, String help, String... labels) {
        return add(name, help, Family.Type.COUNTER, null, labels);
    }

    public Metric gauge(String name, String help, String... labels) {
        return add(name, help, Family.Type.GAUGE, null, labels);
    }

    public Metric histogram(String name, String help, double[] buckets, String... labels) {
        return add(name, help, Family.Type.HISTOGRAM, buckets, labels);
    }

    /** A family of the tool itself, never labelled by node; one without labels shows from the start. */
    public Metric toolGauge(String name, String help, String... labels) {
        return tool(name, help, Family.Type.GAUGE, labels);
    }

    public Metric toolCounter(String name, String help, String... labels) {
        return tool(name, help, Family.Type.COUNTER, labels);
    }

    private Metric tool(String name, String help, Family.Type type, String... labels) {
        Metric m = new Metric(new Family(prefix + name, help, type, null, List.of(labels), maxSeriesPerFamily, false), false);
        metrics.add(m);
        if (labels.length == 0) {
            m.touch(null);
        }
        return m;
    }

    /**
     * A gauge read from {@code value} at each write, after the families updated by events (where the
     * connectivity check's exposition has always had its in-flight gauge).
     */
    public void sampledGauge(String name, String help, DoubleSupplier value) {
        sampled.put(prefix + name, new Sampled(help, value));
    }

    private Metric add(String name, String help, Family.Type type, double[] buckets, String... labels) {
        List<String> all = new ArrayList<>();
        if (nodeLabel) {
            all.add("node");
        }
        all.addAll(List.of(labels));
        Metric m = new Metric(new Family(prefix + name, help, type, buckets, all, maxSeriesPerFamily, dropPastCap),
                nodeLabel);
        metrics.add(m);
        if (zeroAtStart && !nodeLabel && !m.hasLabels()) {
            m.touch(null);
        }
        return m;
    }

    /**
     * The node label value for an event's node: beyond {@code maxNodes} distinct names, {@code other}.
     * A node's first event creates its families without labels at 0, as upstream has them from start.
     */
    public String node(String name) {
        if (!nodeLabel) {
            return null;
        }
        String n = name == null || name.isEmpty() ? "unknown" : name;
        // the instance the series keys hold: a node name comes as a new string with each event
        String known = nodes.get(n);
        if (known != null) {
            return known;
        }
        if (nodes.size() >= maxNodes) {
            n = OTHER;
            known = nodes.get(n);
            if (known != null) {
                return known;
            }
        }
        nodes.put(n, n);
        for (Metric m : metrics) {
            if (zeroAtStart && !m.hasLabels()) {
                m.touch(n);
            }
        }
        return n;
    }

    /** Every family, in declaration order. */
    public List<Metric> metrics() {
        return metrics;
    }

    /** New label combinations that found their family full since start, over all families. */
    public long pastCap() {
        return metrics.stream().mapToLong(Metric::pastCap).sum();
    }

    /** Text format 0.0.4, as upstream's Rust prometheus crate writes it. */
    public void write(StringBuilder out) {
        List<Family> families = metrics.stream().map(m -> m.family)
                .sorted(Comparator.comparing(f -> f.name)).toList();
        for (Family f : families) {
            if (f.isEmpty()) {
                continue;
            }
            header(out, f.name, f.help, f.type.name().toLowerCase());
            for (Map.Entry<List<String>, Family.Series> e : f.entries()) {
                Family.Series s = e.getValue();
                if (f.type != Family.Type.HISTOGRAM) {
                    sample(out, f.name, f.sortedLabels, e.getKey(), null, s.value);
                    continue;
                }
                long cumulative = 0;
                for (int i = 0; i < f.buckets.length; i++) {
                    cumulative += s.bucketCounts[i];
                    sample(out, f.name + "_bucket", f.sortedLabels, e.getKey(), number(f.buckets[i]), cumulative);
                }
                sample(out, f.name + "_bucket", f.sortedLabels, e.getKey(), "+Inf", s.count);
                sample(out, f.name + "_sum", f.sortedLabels, e.getKey(), null, s.value);
                sample(out, f.name + "_count", f.sortedLabels, e.getKey(), null, s.count);
            }
        }
        sampled.forEach((name, g) -> {
            header(out, name, g.help(), "gauge");
            sample(out, name, new String[0], List.of(), null, g.value().getAsDouble());
        });
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String[] labels, List<String> values, String le,
            double value) {
        out.append(name);
        if (labels.length > 0 || le != null) {
            out.append('{');
            for (int i = 0; i < labels.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(out, values.get(i));
                out.append('"');
            }
            if (le != null) {
                out.append(labels.length > 0 ? "," : "").append("le=\"").append(le).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
    }

    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** Shortest round-trip digits without exponent, like Rust's float formatting: {@code 14}, {@code 0.25}. */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    private record Sampled(String help, DoubleSupplier value) {
    }
}
