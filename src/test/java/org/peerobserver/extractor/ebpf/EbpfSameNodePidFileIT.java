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

/**
 * With a pid file, as bitcoind -pid writes it (and deletes it on shutdown): when the watched node stops
 * while another node of the same binary runs, the extractor waits for the pid file, never attaches to the
 * other node, and attaches to the watched node when it is back. Health says why it waits.
 */
class EbpfSameNodePidFileIT extends EbpfTestSupport {

    @Override
    protected Properties extraSettings() {
        // the two groups the targets fire: attaching fewer probes is faster
        return props("camel.component.bitcoin-ebpf.configuration.messages", "false", "camel.component.bitcoin-ebpf.configuration.connections", "false", "camel.component.bitcoin-ebpf.configuration.utxocache", "false");
    }

    @Test
    void waitsForThePidFileNotForAnyProcessOfTheBinary() throws Exception {
        Files.deleteIfExists(PID_FILE);
        try (UsdtTarget other = UsdtTarget.start("validation:block_connected", 2, 0)) {
            try (UsdtTarget watched = UsdtTarget.start("mempool:added", 3, 0)) {
                Files.writeString(PID_FILE, watched.pid() + "\n");
                assertEquals(3, watched.awaitFired());
            }
            Files.delete(PID_FILE);
            await().atMost(Duration.ofSeconds(10)).until(() -> ebpfConsumer().getAttachedPid() == 0);
            HealthCheck.Result waiting = health();
            assertEquals(HealthCheck.State.DOWN, waiting.getState());
            assertEquals("waiting for bitcoind to write its pid file " + PID_FILE, waiting.getMessage().orElseThrow());
            // ten checks with another node of the binary running: it is never taken
            long until = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < until) {
                assertTrue(ebpfConsumer().getAttachedPid() != other.pid(), "attached to the other node");
                Thread.sleep(20);
            }
            assertTrue(other.isAlive(), "the other node was attached to and fired");

            try (UsdtTarget back = UsdtTarget.start("mempool:added", 3, 2)) {
                Files.writeString(PID_FILE, back.pid() + "\n");
                await().atMost(Duration.ofSeconds(10)).until(() -> ebpfConsumer().getAttachedPid() == back.pid());
                assertEquals(HealthCheck.State.UP, health().getState());
                assertEquals(3, back.awaitFired());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.size() == 6);
            assertTrue(other.isAlive(), "the other node was attached to and fired");
        } finally {
            Files.deleteIfExists(PID_FILE);
        }
        assertTrue(RECEIVED.stream().allMatch(e -> e.getEbpfExtractor().hasMempool()), RECEIVED::toString);
    }

    private HealthCheck.Result health() {
        return ((HealthCheckAware) ebpfConsumer()).getHealthCheck().call();
    }
}
