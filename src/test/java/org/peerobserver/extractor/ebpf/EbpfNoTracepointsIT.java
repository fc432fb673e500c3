package org.peerobserver.extractor.ebpf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.junit.jupiter.api.Test;

/** A process whose binary has no tracepoints: attached to, but with no probe, so health is DOWN and says why. */
class EbpfNoTracepointsIT extends EbpfTestSupport {
    private static final String SLEEP = "/usr/bin/sleep";

    @Override
    protected Properties extraSettings() {
        return props("ebpf.bitcoind-path", SLEEP, "camel.component.bitcoin-ebpf.configuration.messages", "false", "camel.component.bitcoin-ebpf.configuration.connections", "false", "camel.component.bitcoin-ebpf.configuration.mempool", "false",
                "camel.component.bitcoin-ebpf.configuration.utxocache", "false");
    }

    @Test
    void healthIsDownWhileNoProbeIsAttached() throws Exception {
        Process sleep = new ProcessBuilder(SLEEP, "30").start();
        try {
            Files.writeString(PID_FILE, sleep.pid() + "\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> ebpfConsumer().getAttachedPid() == sleep.pid());
            assertEquals(0, ebpfConsumer().getAttachedProbes());
            HealthCheck.Result health = ((HealthCheckAware) ebpfConsumer()).getHealthCheck().call();
            assertEquals(HealthCheck.State.DOWN, health.getState());
            String why = health.getMessage().orElseThrow();
            assertTrue(why.startsWith("no tracepoint attached to bitcoind PID " + sleep.pid() + ": "), why);
        } finally {
            sleep.destroyForcibly();
            Files.deleteIfExists(PID_FILE);
        }
    }
}
