package org.peerobserver.tool.alerts;

/**
 * The time of the newest event seen, moving on with the wall clock between events: detectors that fire on
 * silence ("no block for an hour") tick on a timer, and a replayed capture keeps its own times.
 */
final class EventClock {
    private long lastEventMillis;
    private long lastEventNanos;

    void seen(long millis) {
        if (millis >= lastEventMillis) {
            lastEventMillis = millis;
            lastEventNanos = System.nanoTime();
        }
    }

    /** Now, in event time; 0 before the first event. */
    long now() {
        return lastEventNanos == 0 ? 0 : lastEventMillis + (System.nanoTime() - lastEventNanos) / 1_000_000;
    }
}
