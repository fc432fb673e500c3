package org.peerobserver.tool.alerts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.peerobserver.support.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A detector's state per key (peer, subnet, node), at most {@code maxKeys} of them: the least recently
 * used is forgotten to make room, counted, and said in a rate-limited log line, so a flood of strangers
 * cannot grow the heap.
 */
final class BoundedState<V> {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedState.class);

    private final String detector;
    private final int maxKeys;
    private final Map<String, V> states;
    private final RateLimitedLog forgottenLog = new RateLimitedLog(LOG);
    private long forgotten;

    BoundedState(String detector, int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException(detector + ": the most keys kept must be 1 or more, not " + maxKeys);
        }
        this.detector = detector;
        this.maxKeys = maxKeys;
        this.states = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                if (size() <= BoundedState.this.maxKeys) {
                    return false;
                }
                forgotten++;
                forgottenLog.warn("Alert detector " + BoundedState.this.detector + " keeps " + BoundedState.this.maxKeys
                        + " keys at most and forgot the least recent (" + forgotten + " so far)");
                return true;
            }
        };
    }

    V get(String key, Function<String, V> create) {
        return states.computeIfAbsent(key, create);
    }

    V peek(String key) {
        return states.get(key);
    }

    void remove(String key) {
        states.remove(key);
    }

    Iterable<Map.Entry<String, V>> entries() {
        return states.entrySet();
    }

    int size() {
        return states.size();
    }

    /** Keys forgotten to keep within the bound. */
    long forgotten() {
        return forgotten;
    }
}
