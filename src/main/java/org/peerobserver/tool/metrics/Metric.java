package org.peerobserver.tool.metrics;

import java.util.Objects;

/** Updates of one upstream family for one node; the node label is added here when it is on. */
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
        series(node, labels).value += amount;
    }

    public void set(String node, double value, String... labels) {
        series(node, labels).value = value;
    }

    public void observe(String node, double value, String... labels) {
        series(node, labels).observe(value, family.buckets);
    }

    /** Removes every series of {@code node}, as upstream resets a family before refilling it. */
    void reset(String node) {
        if (nodeLabel) {
            family.removeWhere(family.indexOf("node"), node);
        } else {
            family.clear();
        }
    }

    /** Creates the series at 0 if it is new: upstream shows some series before their first update. */
    void touch(String node, String... labels) {
        series(node, labels);
    }

    boolean hasLabels() {
        return family.sortedLabels.length > (nodeLabel ? 1 : 0);
    }

    private Family.Series series(String node, String... labels) {
        return family.series(nodeLabel ? Objects.requireNonNull(node, "node") : null, labels);
    }
}
