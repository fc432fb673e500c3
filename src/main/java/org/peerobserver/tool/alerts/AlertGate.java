package org.peerobserver.tool.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.apache.camel.Handler;
import org.peerobserver.support.SafeText;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;

/**
 * Deduplication before the notifiers: per alert key (node, alert, key) the first alert passes, the ones after it
 * within {@code quietPeriod} are only counted, and when the period ends with some counted, one summary passes
 * ("12 more ..."), which starts the next period. A flood is thus one notification, then a summary per period.
 * What passes is a notification: a map of the alert's fields plus {@code text} (one line for people) and
 * {@code suppressed} (alerts the summary stands for; 0 for an alert).
 */
public class AlertGate {
    /** Alert text is made of what peers and nodes sent: sanitised and cut like any stranger's text. */
    private static final int MAX_TEXT = 1000;

    private Duration quietPeriod = Duration.ofMinutes(15);
    private int maxKeys = 10_000;
    private LongSupplier clock = System::currentTimeMillis;

    private BoundedState<Quiet> quiet;

    private static final class Quiet {
        long until;
        long suppressed;
        Alert latest;
    }

    /** The notification for an ext.alert event, or null while its key is quiet. */
    @Handler
    public synchronized Map<String, Object> admit(Event event) {
        if (!event.hasExtension() || !event.getExtension().hasAlert()) {
            return null;
        }
        Alert alert = event.getExtension().getAlert();
        long now = clock.getAsLong();
        Quiet q = state().get(alert.getNode() + "\n" + alert.getName() + "\n" + alert.getKey(), k -> new Quiet());
        if (now < q.until) {
            q.suppressed++;
            q.latest = alert;
            return null;
        }
        q.until = now + quietPeriod.toMillis();
        q.suppressed = 0;
        return notification(alert, 0, now);
    }

    /** Summaries of the keys whose quiet period ended with alerts held back; the route's timer calls it. */
    @Handler
    public synchronized List<Map<String, Object>> summaries() {
        long now = clock.getAsLong();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Quiet>> it = state().entries().iterator(); it.hasNext();) {
            Quiet q = it.next().getValue();
            if (now < q.until) {
                continue;
            }
            if (q.suppressed == 0) {
                it.remove();
            } else {
                out.add(notification(q.latest, q.suppressed, now));
                q.suppressed = 0;
                q.until = now + quietPeriod.toMillis();
            }
        }
        return out;
    }

    private BoundedState<Quiet> state() {
        if (quiet == null) {
            quiet = new BoundedState<>("notifications", maxKeys);
        }
        return quiet;
    }

    private Map<String, Object> notification(Alert a, long suppressed, long now) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("alert", a.getName());
        n.put("severity", a.getSeverity());
        n.put("node", a.getNode());
        n.put("key", a.getKey());
        n.put("summary", SafeText.of(a.getSummary(), MAX_TEXT));
        n.put("peer_ids", a.getPeerIdsList());
        n.put("addresses", a.getAddressesList());
        if (a.hasValue()) {
            n.put("value", a.getValue());
        }
        if (a.hasThreshold()) {
            n.put("threshold", a.getThreshold());
        }
        if (a.hasBlockHash()) {
            n.put("block_hash", a.getBlockHash());
        }
        n.put("suppressed", suppressed);
        n.put("time", Instant.ofEpochMilli(now).toString());
        String head = "[" + a.getSeverity() + "] " + a.getName() + " on " + a.getNode() + ": ";
        n.put("text", SafeText.of(suppressed == 0 ? head + a.getSummary()
                : head + suppressed + " more in the last " + quietPeriod.toMinutes() + " min; latest: " + a.getSummary(), MAX_TEXT));
        return n;
    }

    /** After a notification for a key, further alerts of that key for this long are held back and summarised. */
    public void setQuietPeriod(Duration quietPeriod) {
        this.quietPeriod = quietPeriod;
    }

    public void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    void setClock(LongSupplier clock) {
        this.clock = clock;
    }
}
