package org.peerobserver.tool.alerts;

import java.util.List;
import java.util.Locale;

/** The severities an alert takes, as Prometheus alerting rules name them by convention. */
final class Severity {
    static final List<String> ALL = List.of("info", "warning", "critical");

    private Severity() {
    }

    static String check(String severity) {
        String s = severity.trim().toLowerCase(Locale.ROOT);
        if (!ALL.contains(s)) {
            throw new IllegalArgumentException("an alert's severity is one of " + String.join(", ", ALL) + ", not '" + severity + "'");
        }
        return s;
    }
}
