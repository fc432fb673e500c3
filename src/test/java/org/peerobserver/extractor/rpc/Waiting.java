package org.peerobserver.extractor.rpc;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Polls a condition until it holds or the time is up. */
final class Waiting {
    private Waiting() {
    }

    static void until(long timeoutMillis, BooleanSupplier condition, Supplier<String> whatFailed) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + timeoutMillis + " ms: " + whatFailed.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
