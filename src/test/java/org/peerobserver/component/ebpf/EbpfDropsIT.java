package org.peerobserver.component.ebpf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Tiny ring buffers flooded at full speed: what is not received is exactly what the drop counter says. */
class EbpfDropsIT extends EbpfTestSupport {

    @Override
    protected Properties extraSettings() {
        return props("ebpf.ring-buffer-size", "4096", "camel.component.bus.queue-size", "100000");
    }

    @Test
    void dropsEqualFiredMinusReceived() throws Exception {
        long fired;
        try (UsdtTarget target = UsdtTarget.start("mempool:added", 20_000, 0)) {
            Files.writeString(PID_FILE, target.pid() + "\n");
            fired = target.awaitFired();
        }
        assertEquals(20_000, fired);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertEquals(fired, RECEIVED.size() + ebpfConsumer().drops().get("rb_mempool")));
        long dropped = ebpfConsumer().drops().get("rb_mempool");
        assertTrue(dropped > 0, "a 4 KiB ring buffer kept up with 20,000 events fired at full speed");
        assertEquals(dropped, ebpfConsumer().getDropsTotal());
        Thread.sleep(300);   // and nothing more arrives
        assertEquals(fired, RECEIVED.size() + dropped);
    }
}
