package org.peerobserver.support;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/** A warning that repeats at most once a minute, saying how often it happened in between. */
public final class RateLimitedLog {
    private static final long INTERVAL_NANOS = 60_000_000_000L;
    private final Logger log;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log) {
        this.log = log;
    }

    public void warn(String message) {
        String line = due(message);
        if (line != null) {
            log.warn(line);
        }
    }

    /** As {@link #warn}, at INFO: for what is normal yet could repeat without end. */
    public void info(String message) {
        String line = due(message);
        if (line != null) {
            log.info(line);
        }
    }

    /** The line to write now, or null (counted) while the last line is less than a minute old. */
    private String due(String message) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            long more = suppressed.getAndSet(0);
            return more == 0 ? message : message + " (and " + more + " more times in the last minute)";
        }
        suppressed.incrementAndGet();
        return null;
    }
}
