package org.peerobserver.tool.metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The families of upstream's metrics tool and their text exposition, written here rather than by a
 * Prometheus library because those append {@code _total} to counter names and upstream's have none.
 * Output follows upstream byte for byte: families sorted by name, empty families left out, labels
 * sorted by name ({@code le} last), integral values without a decimal point. The FIBRE exporter
 * uses it too, with no name prefix, as its names are given whole.
 */
public final class UpstreamRegistry {
    static final String PREFIX = "peerobserver_";

    private final String prefix;
    private final boolean nodeLabel;
    private final int maxSeriesPerFamily;
    private final int maxNodes;
    private final List<Metric> metrics = new ArrayList<>();
    /** Each node name to its first instance. */
    private final Map<String, String> nodes = new HashMap<>();

    UpstreamRegistry(boolean nodeLabel, int maxSeriesPerFamily, int maxNodes) {
        this(PREFIX, nodeLabel, maxSeriesPerFamily, maxNodes);
    }

    /** Families named {@code prefix + name}; beyond {@code maxNodes} node names, {@code other}. */
    public UpstreamRegistry(String prefix, boolean nodeLabel, int maxSeriesPerFamily, int maxNodes) {
        this.prefix = prefix;
        this.nodeLabel = nodeLabel;
        this.maxSeriesPerFamily = maxSeriesPerFamily;
        this.maxNodes = maxNodes;
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

    /** A family of the tool itself, never labelled by node. */
    Metric toolGauge(String name, String help) {
        Metric m = new Metric(new Family(prefix + name, help, Family.Type.GAUGE, null, List.of(), 1), false);
        metrics.add(m);
        m.touch(null);
        return m;
    }

    private Metric add(String name, String help, Family.Type type, double[] buckets, String... labels) {
        List<String> all = new ArrayList<>();
        if (nodeLabel) {
            all.add("node");
        }
        all.addAll(List.of(labels));
        Metric m = new Metric(new Family(prefix + name, help, type, buckets, all, maxSeriesPerFamily), nodeLabel);
        metrics.add(m);
        if (!nodeLabel && !m.hasLabels()) {
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
            n = Family.OTHER;
            known = nodes.get(n);
            if (known != null) {
                return known;
            }
        }
        nodes.put(n, n);
        for (Metric m : metrics) {
            if (!m.hasLabels()) {
                m.touch(n);
            }
        }
        return n;
    }

    List<Metric> metrics() {
        return metrics;
    }

    /** Text format 0.0.4, as upstream's Rust prometheus crate writes it. */
    public void write(StringBuilder out) {
        List<Family> families = metrics.stream().map(m -> m.family)
                .sorted(Comparator.comparing(f -> f.name)).toList();
        for (Family f : families) {
            if (f.isEmpty()) {
                continue;
            }
            out.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
            out.append("# TYPE ").append(f.name).append(' ').append(f.type.name().toLowerCase()).append('\n');
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
    static String number(double v) {
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
}
