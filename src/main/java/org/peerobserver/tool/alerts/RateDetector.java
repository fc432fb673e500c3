package org.peerobserver.tool.alerts;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.ArrayList;

import org.apache.camel.Handler;
import org.peerobserver.bitcoin.Addresses;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;

/**
 * The counting detector: events of one kind (the route's {@code bus:subscribe} filter chooses which) counted per
 * key and node in windows of {@code window}; once a window's count passes {@code threshold}, one alert for that
 * window. Keys: {@code none} (all events of the node), {@code peer} (peer id), {@code address} (peer host),
 * {@code subnet} (the peer's IPv4 /24 or IPv6 /32) or {@code reason} (a mempool or misbehaving event's reason).
 * An address announcement counts as many as it has addresses. Time is the events' own, so a replay fires as live.
 */
public class RateDetector {
    private static final List<String> KEYS = List.of("none", "peer", "address", "subnet", "reason");

    private String alert = "rate";
    private String severity = "warning";
    private String what = "events";
    private long threshold = 100;
    private Duration window = Duration.ofMinutes(1);
    private String keyBy = "none";
    private Set<String> reasons = Set.of();
    private int maxKeys = 10_000;

    private BoundedState<Count> counts;

    private static final class Count {
        long start;
        long count;
        boolean fired;
        final Set<Long> peers = new LinkedHashSet<>();
        final Set<String> addresses = new LinkedHashSet<>();
    }

    /** Counts {@code events} and returns the alerts they fired (often none), for the route to publish. */
    @Handler
    public synchronized List<ReceivedEvent> check(List<ReceivedEvent> events) {
        if (counts == null) {
            counts = new BoundedState<>(alert, maxKeys);
        }
        List<ReceivedEvent> alerts = new ArrayList<>();
        for (ReceivedEvent e : events) {
            String key = key(e.event());
            if (key != null) {
                count(e, key, alerts);
            }
        }
        return alerts;
    }

    private void count(ReceivedEvent e, String key, List<ReceivedEvent> alerts) {
        Event event = e.event();
        long at = event.getTimestamp();
        Count c = counts.get(Alerts.node(e) + " " + key, k -> new Count());
        if (c.count == 0 || at - c.start >= window.toMillis() || at < c.start) {
            c.start = at;
            c.count = 0;
            c.fired = false;
            c.peers.clear();
            c.addresses.clear();
        }
        c.count += EventFacts.weight(event);
        long peer = EventFacts.peerId(event);
        if (peer >= 0 && c.peers.size() < Alerts.MAX_EVIDENCE) {
            c.peers.add(peer);
        }
        String address = EventFacts.address(event);
        if (!address.isEmpty() && c.addresses.size() < Alerts.MAX_EVIDENCE) {
            c.addresses.add(address);
        }
        if (!c.fired && c.count > threshold) {
            c.fired = true;
            String about = keyBy.equals("none") ? "" : " from " + keyBy + " " + key;
            Alert.Builder a = Alerts.alert(alert, severity, Alerts.node(e), key,
                    c.count + " " + what + about + " within " + window.toSeconds() + " s (threshold " + threshold + ")")
                    .addAllPeerIds(c.peers).addAllAddresses(c.addresses).setValue(c.count).setThreshold(threshold);
            alerts.add(Alerts.event(a, at));
        }
    }

    /** The key an event is counted under, or null when it is not counted. */
    private String key(Event event) {
        String key = switch (keyBy) {
            case "peer" -> {
                long id = EventFacts.peerId(event);
                yield id < 0 ? null : Long.toString(id);
            }
            case "address" -> EventFacts.host(event);
            case "subnet" -> {
                String host = EventFacts.host(event);
                yield host.isEmpty() ? null : Addresses.subnet(host, 4);
            }
            case "reason" -> EventFacts.reason(event);
            default -> "all";
        };
        if (key == null || key.isEmpty()) {
            return null;
        }
        return reasons.isEmpty() || reasons.stream().anyMatch(r -> r.startsWith(key) || key.startsWith(r)) ? key : null;
    }

    /** Keys held now (bounded by maxKeys). */
    public synchronized int keys() {
        return counts == null ? 0 : counts.size();
    }

    public void setAlert(String alert) {
        this.alert = alert;
    }

    public void setSeverity(String severity) {
        this.severity = Severity.check(severity);
    }

    /** What is counted, in the plural, for the summary ("inbound connections"). */
    public void setWhat(String what) {
        this.what = what;
    }

    public void setThreshold(long threshold) {
        this.threshold = threshold;
    }

    public void setWindow(Duration window) {
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException(alert + ": the window must be longer than 0, not " + window);
        }
        this.window = window;
    }

    public void setKeyBy(String keyBy) {
        String k = keyBy.trim().toLowerCase(Locale.ROOT);
        if (!KEYS.contains(k)) {
            throw new IllegalArgumentException(alert + ": keyBy is '" + keyBy + "', but it takes one of " + String.join(", ", KEYS));
        }
        this.keyBy = k;
    }

    /**
     * Only these reasons are counted (comma-separated; empty: all). The tracepoints cut reasons to 8 characters, so
     * a reason matches when one is the start of the other ({@code sizelimit} matches {@code sizelimi}).
     */
    public void setReasons(String reasons) {
        this.reasons = Set.copyOf(Arrays.stream(reasons.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList());
    }

    public void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }
}
