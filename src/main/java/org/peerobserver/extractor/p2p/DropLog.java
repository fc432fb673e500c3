package org.peerobserver.extractor.p2p;

import java.util.EnumMap;
import java.util.Map;

import org.peerobserver.support.RateLimitedLog;
import org.peerobserver.support.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a drop at most once a minute per reason, with how many drops went unlogged in between, so a stranger
 * opening connections from many addresses (or reconnecting in a loop) writes a line a minute, not one per
 * connection. The detail may carry what the peer wrote: it goes through {@link SafeText}. Never a stack trace.
 */
final class DropLog {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinP2pConsumer.class);

    private final Map<DropReason, RateLimitedLog> logs = new EnumMap<>(DropReason.class);

    DropLog() {
        for (DropReason reason : DropReason.values()) {
            logs.put(reason, new RateLimitedLog(LOG));
        }
    }

    void dropped(String address, DropReason reason, String detail) {
        String line = "P2P peer " + address + " " + reason.text() + "; closed [" + reason.label() + "]"
                + (detail == null || detail.isEmpty() ? "" : ": " + SafeText.of(detail));
        // a node trying BIP324 first, or a connectivity check hanging up, is normal
        if (reason == DropReason.V2_TRANSPORT || reason == DropReason.HANDSHAKE_INCOMPLETE) {
            logs.get(reason).info(line);
        } else {
            logs.get(reason).warn(line);
        }
    }
}
