package org.peerobserver.support.prometheus;

import java.util.Objects;

/**
 * Updates of one family, for one node when the registry labels by node (the node label is added here),
 * with {@code node} null otherwise. Label values come in the order the family declared its labels. Past
 * the family's cap an update may record nothing (see {@link TextRegistry#dropPastCap()}).
 */
public final class Metric {
    final Family family;
    private final boolean nodeLabel;

    Metric(Family family, boolean nodeLabel) {
        this.family = family;
        this.nodeLabel = nodeLabel;
    }

    public void inc(String node, String... labels) {
        add(node, 1, labels);
    }

    public void add(String node, double amount, String... labels) {
        Family.Series s = series(node, labels);
        if (s != null) {
            s.value += amount;
        }
    }

    public void set(String node, double value, String... labels) {
        Family.Series s = series(node, labels);
        if (s != null) {
            s.value = value;
        }
    }

    public void observe(String node, double value, String... labels) {
        Family.Series s = series(node, labels);
        if (s != null) {
            s.observe(value, family.buckets);
        }
    }

    /** A counter's or gauge's value (a histogram's: the sum of its observations); 0 for a series not there. */
    public double value(String node, String... labels) {
        Family.Series s = family.find(nodeLabel ? Objects.requireNonNull(node, "node") : null, labels);
        return s == null ? 0 : s.value;
    }

    /** Removes every series of {@code node}, as upstream resets a family before refilling it. */
    public void reset(String node) {
        if (nodeLabel) {
            family.removeWhere(family.indexOf("node"), node);
        } else {
            family.clear();
        }
    }

    /** Creates the series at 0 if it is new: upstream shows some series before their first update. */
    public void touch(String node, String... labels) {
        series(node, labels);
    }

    /** The family's full name, as exposed. */
    public String name() {
        return family.name;
    }

    /** New label combinations that found the family full since start: folded into {@code other}, or dropped. */
    public long pastCap() {
        return family.pastCap();
    }

    boolean hasLabels() {
        return family.sortedLabels.length > (nodeLabel ? 1 : 0);
    }

    private Family.Series series(String node, String... labels) {
        return family.series(nodeLabel ? Objects.requireNonNull(node, "node") : null, labels);
    }
}
