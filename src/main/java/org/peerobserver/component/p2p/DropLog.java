package org.peerobserver.component.p2p;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a drop once per peer address and reason, then at most once per interval with the number of drops
 * in between, so a stranger opening many connections (or reconnecting in a loop) writes a handful of lines,
 * not one per connection. Remembers a bounded number of addresses. Never logs a stack trace.
 */
final class DropLog {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinP2pConsumer.class);
    private static final int MAX_REMEMBERED = 4096;

    private final long intervalNanos;
    private final Map<String, long[]> seen = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    DropLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Logs (or counts silently) that {@code address} was dropped for {@code reason}; true when a line was written. */
    synchronized boolean dropped(String address, DropReason reason, String detail) {
        String host = host(address);
        String key = host + " " + reason.label();
        long now = System.nanoTime();
        long[] state = seen.get(key); // {last logged, suppressed since}
        if (state != null && now - state[0] < intervalNanos) {
            state[1]++;
            return false;
        }
        long suppressed = state == null ? 0 : state[1];
        seen.put(key, new long[] {now, 0});
        String more = suppressed == 0 ? "" : " (" + suppressed + " more drops of " + host + " for this reason since the last line)";
        String message = "P2P peer {} {}; closed [{}]{}{}";
        String text = detail == null || detail.isEmpty() ? "" : ": " + detail;
        if (reason == DropReason.V2_TRANSPORT || reason == DropReason.HANDSHAKE_INCOMPLETE) {
            LOG.info(message, address, reason.text(), reason.label(), text, more);
        } else {
            LOG.warn(message, address, reason.text(), reason.label(), text, more);
        }
        return true;
    }

    /** The address without its port, as Bitcoin Core renders it ({@code 1.2.3.4:8333}, {@code [::1]:8333}). */
    static String host(String address) {
        int colon = address.lastIndexOf(':');
        String h = colon < 0 ? address : address.substring(0, colon);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
