package org.peerobserver.support.prometheus;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One metric family with its exact name, type, labels and buckets. Series are kept sorted by their
 * label values in label-name order, which is the order upstream's exposition has. Not thread-safe:
 * the users of {@link TextRegistry} serialize access.
 */
final class Family {
    enum Type { COUNTER, GAUGE, HISTOGRAM }

    /** Labels whose values come from a small fixed set, so a cap never needs to collapse them. */
    private static final Set<String> BOUNDED = Set.of("node", "direction", "timestamp_offset", "inserted", "table",
            "inv_type", "value", "rejectreason", "status");

    final String name;
    final String help;
    final Type type;
    final double[] buckets;
    /** Label names in output order (sorted), and for each declared position where it goes. */
    final String[] sortedLabels;
    private final int[] position;
    private final boolean[] collapsible;
    private final int cap;
    private final boolean dropPastCap;
    /** In exposition order. */
    private final TreeMap<List<String>, Series> series = new TreeMap<>(Family::compareKeys);
    /** The same series by hash, for the lookup of each update: cheaper than the tree's string comparisons. */
    private final Map<List<String>, Series> index = new HashMap<>();
    private long pastCap;
    /** The last lookup, by identity: the updates of one event repeat the same strings, so most lookups end here. */
    private String lastNode;
    private String[] lastValues;
    private Series last;

    /**
     * {@code labels} in upstream's declaration order, {@code node} first when the node label is on. Past
     * {@code cap} series, a new combination is folded into {@code other}, or not recorded if {@code dropPastCap}.
     */
    Family(String name, String help, Type type, double[] buckets, List<String> labels, int cap, boolean dropPastCap) {
        this.name = name;
        this.help = help;
        this.type = type;
        this.buckets = buckets;
        this.cap = cap;
        this.dropPastCap = dropPastCap;
        this.sortedLabels = labels.stream().sorted().toArray(String[]::new);
        this.position = labels.stream().mapToInt(l -> Arrays.asList(sortedLabels).indexOf(l)).toArray();
        this.collapsible = new boolean[sortedLabels.length];
        for (int i = 0; i < sortedLabels.length; i++) {
            collapsible[i] = !BOUNDED.contains(sortedLabels[i]);
        }
    }

    /**
     * The series for these label values (declaration order), after {@code node} unless it is null (a
     * family without the node label), created at zero if new. Past the cap, a new combination has its
     * free-form values replaced by {@code other}, or is not recorded (null), so the family stays bounded.
     */
    Series series(String node, String[] values) {
        if (last != null && node == lastNode && sameInstances(values, lastValues)) {
            return last;
        }
        List<String> key = key(node, values);
        Series s = index.get(key);
        boolean full = s == null && index.size() >= cap;
        if (full) {
            pastCap++;
            if (dropPastCap) {
                return null;
            }
            String[] k = key.toArray(String[]::new);
            for (int i = 0; i < k.length; i++) {
                if (collapsible[i]) {
                    k[i] = TextRegistry.OTHER;
                }
            }
            key = new Key(k);
        }
        if (s == null) {
            s = index.computeIfAbsent(key, newKey -> {
                Series created = new Series(buckets == null ? 0 : buckets.length);
                series.put(newKey, created);
                return created;
            });
        }
        if (!full) {
            // a combination past the cap is counted on each update, so it is never remembered
            lastNode = node;
            lastValues = values.clone();
            last = s;
        }
        return s;
    }

    /** The series for these label values if it exists, without creating it. */
    Series find(String node, String[] values) {
        return index.get(key(node, values));
    }

    /** Removes the series whose label at output position {@code at} has {@code value} (a node's series). */
    void removeWhere(int at, String value) {
        last = null;
        Predicate<List<String>> matches = k -> k.get(at).equals(value);
        series.keySet().removeIf(matches);
        index.keySet().removeIf(matches);
    }

    void clear() {
        last = null;
        series.clear();
        index.clear();
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

    /** New label combinations that found the family full since start: folded into {@code other}, or dropped. */
    long pastCap() {
        return pastCap;
    }

    private static boolean sameInstances(String[] a, String[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** Made straight from the node and the other values, as this runs for every update. */
    private List<String> key(String node, String[] values) {
        int first = node == null ? 0 : 1;
        if (first + values.length != position.length) {
            throw new IllegalArgumentException(name + " takes " + position.length + " labels, not "
                    + (first + values.length));
        }
        String[] k = new String[position.length];
        if (node != null) {
            k[position[0]] = bounded(node);
        }
        for (int i = 0; i < values.length; i++) {
            k[position[first + i]] = bounded(values[i]);
        }
        return new Key(k);
    }

    private static String bounded(String value) {
        int max = TextRegistry.MAX_VALUE_LENGTH;
        if (value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
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

    /** Label values in output order, hashed once and compared as an array: a key is made for every update. */
    private static final class Key extends AbstractList<String> implements RandomAccess {
        private final String[] values;
        private final int hash;

        Key(String[] values) {
            this.values = values;
            this.hash = Arrays.hashCode(values);
        }

        @Override
        public String get(int i) {
            return values[i];
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k ? hash == k.hash && Arrays.equals(values, k.values) : super.equals(o);
        }
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
