package org.peerobserver.tool.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One metric family with upstream's exact name, type, labels and buckets. Series are kept sorted by
 * their label values in label-name order, which is the order upstream's exposition has. Not
 * thread-safe: {@link UpstreamRegistry} serializes access.
 */
final class Family {
    enum Type { COUNTER, GAUGE, HISTOGRAM }

    /** Labels whose values come from a small fixed set, so a cap never needs to collapse them. */
    private static final Set<String> BOUNDED = Set.of("node", "direction", "timestamp_offset", "inserted", "table",
            "inv_type", "value", "rejectreason", "status");
    static final String OTHER = "other";
    /** Longer label values are cut: upstream's come from short fields, but a NATS publisher can send anything. */
    static final int MAX_VALUE_LENGTH = 256;

    final String name;
    final String help;
    final Type type;
    final double[] buckets;
    /** Label names in output order (sorted), and for each declared position where it goes. */
    final String[] sortedLabels;
    private final int[] position;
    private final boolean[] collapsible;
    private final int cap;
    private final TreeMap<List<String>, Series> series = new TreeMap<>(Family::compareKeys);
    private long collapsed;

    /** {@code labels} in upstream's declaration order, {@code node} first when the node label is on. */
    Family(String name, String help, Type type, double[] buckets, List<String> labels, int cap) {
        this.name = name;
        this.help = help;
        this.type = type;
        this.buckets = buckets;
        this.cap = cap;
        this.sortedLabels = labels.stream().sorted().toArray(String[]::new);
        this.position = labels.stream().mapToInt(l -> Arrays.asList(sortedLabels).indexOf(l)).toArray();
        this.collapsible = new boolean[sortedLabels.length];
        for (int i = 0; i < sortedLabels.length; i++) {
            collapsible[i] = !BOUNDED.contains(sortedLabels[i]);
        }
    }

    /**
     * The series for these label values (declaration order), created at zero if new. Past the cap, a
     * new combination has its free-form values replaced by {@code other}, so the family stays bounded.
     */
    Series series(String... values) {
        List<String> key = key(values);
        Series s = series.get(key);
        if (s != null) {
            return s;
        }
        if (series.size() >= cap) {
            collapsed++;
            String[] k = key.toArray(String[]::new);
            for (int i = 0; i < k.length; i++) {
                if (collapsible[i]) {
                    k[i] = OTHER;
                }
            }
            key = List.of(k);
        }
        return series.computeIfAbsent(key, x -> new Series(buckets == null ? 0 : buckets.length));
    }

    /** Removes the series whose label at output position {@code index} has {@code value} (a node's series). */
    void removeWhere(int index, String value) {
        series.keySet().removeIf(k -> k.get(index).equals(value));
    }

    void clear() {
        series.clear();
    }

    int indexOf(String label) {
        return Arrays.asList(sortedLabels).indexOf(label);
    }

    boolean isEmpty() {
        return series.isEmpty();
    }

    Iterable<Map.Entry<List<String>, Series>> entries() {
        return series.entrySet();
    }

    /** Label combinations folded into {@code other} since start. */
    long collapsed() {
        return collapsed;
    }

    private List<String> key(String[] values) {
        if (values.length != position.length) {
            throw new IllegalArgumentException(name + " takes " + position.length + " labels, not " + values.length);
        }
        String[] k = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            k[position[i]] = bounded(values[i]);
        }
        return Arrays.asList(k);
    }

    private static String bounded(String value) {
        if (value.length() <= MAX_VALUE_LENGTH) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(MAX_VALUE_LENGTH - 1)) ? MAX_VALUE_LENGTH - 1 : MAX_VALUE_LENGTH;
        return value.substring(0, end);
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Value of a counter or gauge, or the state of one histogram. */
    static final class Series {
        double value;
        final long[] bucketCounts;
        long count;

        Series(int buckets) {
            this.bucketCounts = new long[buckets];
        }

        void observe(double v, double[] bounds) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    bucketCounts[i]++;
                    break;
                }
            }
            value += v;
            count++;
        }
    }
}
