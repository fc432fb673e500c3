package org.peerobserver.extractor.ebpf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.ObservedHealth;

/**
 * No pid file: the extractor attaches to the first process running the binary, and after that node stops
 * only to a process with its command line, never to another node of the same binary that runs meanwhile.
 * Health (/observe/health) is DOWN while no probe is attached, with the reason, and UP when attached.
 */
class EbpfSameNodeIT extends EbpfTestSupport {
    private static int managementPort;

    @Override
    protected Properties extraSettings() {
        try {
            managementPort = NatsServer.freePort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return props("camel.component.bitcoin-ebpf.configuration.pid-file", "", "camel.component.bitcoin-ebpf.configuration.messages", "false", "camel.component.bitcoin-ebpf.configuration.connections", "false", "camel.component.bitcoin-ebpf.configuration.utxocache", "false", "camel.management.enabled", "true",
                "camel.management.port", Integer.toString(managementPort));
    }

    @Test
    void reattachesOnlyToTheSameNode() throws Exception {
        assertTrue(health().down("no process runs " + UsdtTarget.BINARY), health()::toString);
        try (UsdtTarget first = UsdtTarget.start("mempool:added", 4, 4)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> ebpfConsumer().getAttachedPid() == first.pid());
            assertTrue(health().up(), health()::toString);
            try (UsdtTarget other = UsdtTarget.start("validation:block_connected", 2, 0)) {
                assertEquals(4, first.awaitFired());
                await().atMost(Duration.ofSeconds(10)).until(() -> ebpfConsumer().getAttachedPid() == 0);
                // ten checks with another node of the binary running: it is never taken
                long until = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < until) {
                    assertTrue(ebpfConsumer().getAttachedPid() != other.pid(), "attached to the other node");
                    Thread.sleep(20);
                }
                assertTrue(other.isAlive(), "the other node was attached to and fired");
                ObservedHealth down = health();
                assertTrue(down.down("as the node attached before (arguments -w 20 mempool:added 4 4, uid 0)"), down::toString);

                try (UsdtTarget again = UsdtTarget.start("mempool:added", 4, 4)) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> ebpfConsumer().getAttachedPid() == again.pid());
                    assertTrue(health().up(), health()::toString);
                    assertEquals(4, again.awaitFired());
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.size() == 8);
                assertTrue(other.isAlive(), "the other node was attached to and fired");
            }
        }
        assertTrue(RECEIVED.stream().allMatch(Event::hasEbpfExtractor)
                && RECEIVED.stream().allMatch(e -> e.getEbpfExtractor().hasMempool()), RECEIVED::toString);
    }

    private static ObservedHealth health() throws Exception {
        return ObservedHealth.of(managementPort, "consumer:extractor-ebpf");
    }
}
