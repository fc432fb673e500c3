package org.peerobserver.extractor.ebpf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.event.Event;

/**
 * Debian 12's BCC attached to the USDT test target first, then ours: the kernel refuses libbpf's attach
 * beside BCC's registration ("ref_ctr_offset mismatch"), so the extractor attaches beside it with the
 * semaphore in the target's memory. Both count every event. (The reverse order: EbpfBeforeBccIT.)
 */
class EbpfBesideBccIT extends EbpfTestSupport {
    static final String PROBES = "udp:block_reconstructed,udp:block_send_start,validation:block_connected";
    static final int COUNT = 300;

    @Override
    protected Properties extraSettings() {
        return props("camel.component.bitcoin-ebpf.configuration.fibre", "true", "camel.component.bitcoin-ebpf.configuration.messages", "false",
                "camel.component.bitcoin-ebpf.configuration.connections", "false", "camel.component.bitcoin-ebpf.configuration.mempool", "false",
                "camel.component.bitcoin-ebpf.configuration.utxocache", "false");
    }

    @AfterEach
    void removePidFile() throws Exception {
        Files.deleteIfExists(PID_FILE);
    }

    @Test
    void bothCountEveryEventWithBccAttachedFirst() throws Exception {
        try (UsdtTarget target = UsdtTarget.start(PROBES, COUNT, 3000, "-w", "120")) {
            target.stop();
            try (BccCounter bcc = new BccCounter(target.pid(), PROBES)) {
                Files.writeString(PID_FILE, target.pid() + "\n");
                // the target has 5 udp probes, all attached beside or alone, and validation:block_connected
                await().atMost(Duration.ofSeconds(20)).until(() -> ebpfConsumer().getAttachedProbes() == 6);
                target.resume();
                assertEquals(3L * COUNT, target.awaitFired());
                assertBothCounted(bcc.counted());
            }
        }
    }

    /** BCC counted every event of each probe; ours received every event, with exactly the fired values. */
    static void assertBothCounted(Map<String, Long> bcc) {
        for (String probe : PROBES.split(",")) {
            assertEquals(COUNT, bcc.get(probe), "BCC's count of " + probe + ": " + bcc);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.size() >= 3 * COUNT);
        assertEquals(3 * COUNT, RECEIVED.size(), "events ours counted");
        // the arguments read through our own specs (registers, immediates) are the ones fired
        Set<Event> received = new HashSet<>(RECEIVED);
        for (Tracepoint t : List.of(Tracepoint.UDP_BLOCK_RECONSTRUCTED, Tracepoint.UDP_BLOCK_SEND_START, Tracepoint.VALIDATION_BLOCK_CONNECTED)) {
            for (int i = 0; i < COUNT; i++) {
                Event expected = FiredValues.expected(t, i);
                assertTrue(received.contains(expected), () -> "not received as fired: " + expected);
            }
        }
    }
}
