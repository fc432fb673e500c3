package org.peerobserver.extractor.ebpf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.peerobserver.proto.event.Event;

/** Every tracepoint, and a restarted bitcoind, through the real BPF programs on the running kernel. */
class EbpfExtractorIT extends EbpfTestSupport {

    @Override
    protected Properties extraSettings() {
        return props("camel.component.bitcoin-ebpf.configuration.addrman", "true", "camel.component.bitcoin-ebpf.configuration.fibre", "true");
    }

    /** Largest message payload this mode captures. */
    protected long maxCapturedPayload() {
        return 4 << 20;
    }

    @Test
    void everyTracepointArrivesWithExactlyTheFiredValues() throws Exception {
        int count = 4;   // four message size classes, odd and even (truncated) strings
        try (UsdtTarget target = UsdtTarget.start("all", count, 0)) {
            Files.writeString(PID_FILE, target.pid() + "\n");
            long fired = target.awaitFired();
            assertEquals((long) count * Tracepoint.values().length, fired);
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> RECEIVED.size() + ebpfConsumer().drops().get(Records.OVERSIZED) >= fired);
        }
        List<Executable> checks = new ArrayList<>();
        int notCaptured = 0;
        for (Tracepoint t : Tracepoint.values()) {
            for (int i = 0; i < count; i++) {
                Event expected = FiredValues.expected(t, i);
                if (expected.getEbpfExtractor().getMessage().getMeta().getSize() > maxCapturedPayload()) {
                    notCaptured++;
                    continue;
                }
                String what = t + " #" + i;
                checks.add(() -> assertTrue(RECEIVED.contains(expected), what + " not received as " + expected));
            }
        }
        assertAll(checks);
        assertEquals((long) count * Tracepoint.values().length - notCaptured, RECEIVED.size());
        assertEquals(notCaptured, ebpfConsumer().drops().get(Records.OVERSIZED));
        assertTrue(SUBJECTS.containsAll(List.of("netmsg", "netconn", "mempool", "validation", "addrman", "ext.fibre",
                "ext.utxocache_flush")), SUBJECTS::toString);
    }

    @Test
    void reattachesWhenTheTargetRestarts() throws Exception {
        try (UsdtTarget first = UsdtTarget.start("mempool:added", 3, 0)) {
            Files.writeString(PID_FILE, first.pid() + "\n");
            assertEquals(3, first.awaitFired());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.size() == 3);
        try (UsdtTarget second = UsdtTarget.start("mempool:added", 5, 0)) {
            Files.writeString(PID_FILE, second.pid() + "\n");
            assertEquals(5, second.awaitFired());   // it fires only once attached
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.size() == 8);
        assertTrue(RECEIVED.contains(FiredValues.expected(Tracepoint.MEMPOOL_ADDED, 4)));
    }
}
