package org.peerobserver.extractor.ebpf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ours attached to the USDT test target first with EBPF_BCC_COMPATIBLE, then Debian 12's BCC, which the
 * kernel lets in only beside a registration like its own: both count every event.
 */
class EbpfBeforeBccIT extends EbpfTestSupport {
    @Override
    protected Properties extraSettings() {
        Properties p = new EbpfBesideBccIT().extraSettings();
        p.put("camel.component.bitcoin-ebpf.configuration.bcc-compatible", "true");
        return p;
    }

    @AfterEach
    void removePidFile() throws Exception {
        Files.deleteIfExists(PID_FILE);
    }

    @Test
    void bothCountEveryEventWithOursAttachedFirst() throws Exception {
        try (UsdtTarget target = UsdtTarget.start(EbpfBesideBccIT.PROBES, EbpfBesideBccIT.COUNT, 3000, "-w", "120")) {
            target.stop();
            Files.writeString(PID_FILE, target.pid() + "\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> ebpfConsumer().getAttachedProbes() == 6);
            try (BccCounter bcc = new BccCounter(target.pid(), EbpfBesideBccIT.PROBES)) {
                target.resume();
                assertEquals(3L * EbpfBesideBccIT.COUNT, target.awaitFired());
                EbpfBesideBccIT.assertBothCounted(bcc.counted());
            }
        }
    }
}
