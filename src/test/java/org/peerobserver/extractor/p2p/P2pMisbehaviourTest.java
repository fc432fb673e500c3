package org.peerobserver.extractor.p2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadDecoder;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.testing.CapturedLog;

/**
 * What Bitcoin Core disconnects a peer for, we disconnect it for too, counted by reason: a protocol version
 * below 31800 (-1 included), a message with more entries than Core accepts, pings left unanswered past the ping
 * timeout. A peer's user agent is cut to 256 bytes and reaches the log as one escaped line.
 */
class P2pMisbehaviourTest extends CamelTestSupport {
    static final BitcoinNetwork REGTEST = BitcoinNetwork.REGTEST;
    final int port = BitcoinP2pListenTest.freePort();
    final int shortPingsPort = BitcoinP2pListenTest.freePort();
    final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("metricsRegistry", metrics);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // our pings are rare here: the scripted nodes do not answer them
                from("bitcoin-p2p:listen?port=" + port + "&network=regtest&pingInterval=600000").routeId("listen").to("mock:events");
                from("bitcoin-p2p:listen?port=" + shortPingsPort + "&network=regtest&pingInterval=200&pingTimeout=1000")
                        .routeId("short-pings").to("mock:short");
            }
        };
    }

    private BitcoinP2pConsumer listener(String route) {
        return (BitcoinP2pConsumer) context.getRoute(route).getConsumer();
    }

    @Test
    void protocolVersionsBelow31800AreRefusedMinusOneIncluded() throws Exception {
        for (int version : new int[] {-1, 0, 209, 31799}) {
            long before = listener("listen").drops(DropReason.PROTOCOL);
            try (FakeNode node = FakeNode.connect(port, REGTEST)) {
                node.send("version", PayloadEncoder.version(FakeNode.version(version, "/old/", 1)));
                assertTrue(node.closedByPeer(), "version " + version + " was not refused");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> listener("listen").drops(DropReason.PROTOCOL) == before + 1);
        }
        // 31800 itself is fine (and gets neither wtxidrelay nor sendaddrv2)
        try (FakeNode node = FakeNode.connect(port, REGTEST)) {
            node.send("version", PayloadEncoder.version(FakeNode.version(31800, "/oldest/", 1)));
            node.expect("version");
            assertEquals("verack", node.read().command());
            node.send("verack", PayloadEncoder.empty());
            await().atMost(Duration.ofSeconds(5)).until(() -> listener("listen").getConnectedPeers() == 1);
        }
    }

    @Test
    void messagesWithMoreEntriesThanCoreAcceptsAreDropped() throws Exception {
        byte[] wtx = new byte[36];
        wtx[0] = 5; // MSG_WTX, then the hash
        byte[] addr = new byte[30]; // time, services, ::ffff:203.0.113.7, port
        addr[22] = (byte) 0xff;
        addr[23] = (byte) 0xff;
        addr[24] = (byte) 203;
        addr[26] = 113;
        addr[27] = 7;
        byte[] addrV2 = {0, 0, 0, 0, 9, 1, 4, (byte) 203, 0, 113, 7, 0x20, (byte) 0x8d}; // time, services, IPv4, port
        byte[] header = new byte[81]; // 80 bytes of header, then no transactions
        try (CapturedLog log = new CapturedLog("org.peerobserver.extractor.p2p")) {
            for (Object[] limit : new Object[][] {{"inv", 50_000, wtx}, {"getdata", 50_000, wtx}, {"addr", 1_000, addr},
                    {"addrv2", 1_000, addrV2}, {"headers", 2_000, header}}) {
                String command = (String) limit[0];
                int max = (int) limit[1];
                long before = listener("listen").drops(DropReason.TOO_MANY_ITEMS);
                try (FakeNode node = FakeNode.connect(port, REGTEST)) {
                    node.handshake();
                    node.send(command, list(max, (byte[]) limit[2]));
                    // still connected: our pong comes back
                    node.send("ping", PayloadEncoder.nonce(max));
                    assertEquals(max, PayloadDecoder.nonce(node.expect("pong").payload()), command);
                    node.send(command, list(max + 1, (byte[]) limit[2]));
                    assertTrue(node.closedByPeer(), command + " with " + (max + 1) + " entries was accepted");
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> listener("listen").drops(DropReason.TOO_MANY_ITEMS) == before + 1);
            }
            // the largest inv and addrv2 that Core accepts are published whole
            assertEquals(50_000, BitcoinP2pListenTest.first(getMockEndpoint("mock:events"), "p2p.inventory_announcement")
                    .getP2PExtractor().getInventoryAnnouncement().getInventoryCount());
            assertEquals(1_000, BitcoinP2pListenTest.first(getMockEndpoint("mock:events"), "p2p.address_announcement")
                    .getP2PExtractor().getAddressAnnouncement().getAddressesCount());
            assertEquals(1, log.lines().stream().filter(l -> l.contains("[too_many_items]")).count(), log.lines().toString());
            assertTrue(metrics.scrape().contains("peerobserver_p2p_dropped_total{reason=\"too_many_items\",route=\"listen\"} 5.0"),
                    metrics.scrape());
        }
    }

    /** {@code n} copies of {@code entry} after their CompactSize count. */
    static byte[] list(int n, byte[] entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(9 + n * entry.length);
        if (n < 0xfd) {
            out.write(n);
        } else if (n <= 0xffff) {
            out.write(0xfd);
            out.write(n);
            out.write(n >>> 8);
        } else {
            out.write(0xfe);
            for (int i = 0; i < 4; i++) {
                out.write(n >>> (8 * i));
            }
        }
        for (int i = 0; i < n; i++) {
            out.writeBytes(entry);
        }
        return out.toByteArray();
    }

    @Test
    void aNodeThatLeavesOurPingsUnansweredIsDroppedAfterThePingTimeout() throws Exception {
        try (FakeNode silent = FakeNode.connect(shortPingsPort, REGTEST); FakeNode answering = FakeNode.connect(shortPingsPort, REGTEST)) {
            silent.handshake();
            answering.handshake();
            // the answering node echoes every ping for three ping timeouts
            long until = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < until) {
                answering.send("pong", answering.expect("ping").payload());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> listener("short-pings").drops(DropReason.PING_TIMEOUT) == 1);
            assertTrue(silent.closedByPeer(), "the silent node is still connected");
            assertEquals(1, listener("short-pings").getConnectedPeers());
            assertTrue(getMockEndpoint("mock:short").getReceivedCounter() >= 5, "ping durations of the answering node");
        }
    }

    @Test
    void aUserAgentIsCutTo256BytesAndReachesTheLogAsOneEscapedLine() throws Exception {
        String userAgent = "/evil\nINFO tool-logger - FAKE LINE\r\u001b[31mred\u0000/" + "x".repeat(3_900);
        try (CapturedLog log = new CapturedLog("org.peerobserver.extractor.p2p"); FakeNode node = FakeNode.connect(port, REGTEST)) {
            node.send("version", PayloadEncoder.version(FakeNode.version(70016, userAgent, 5)));
            node.expect("verack");
            node.send("verack", PayloadEncoder.empty());
            await().atMost(Duration.ofSeconds(5)).until(() -> listener("listen").getConnectedPeers() == 1);
            String line = log.lines().stream().filter(l -> l.contains("connected over P2P")).findFirst().orElseThrow();
            assertTrue(line.contains("/evil\\nINFO tool-logger - FAKE LINE\\r\\x1b[31mred\\x00/xxx"), line);
            assertTrue(line.length() < 600, line.length() + " characters");
            String peer = listener("listen").getPeers().get(0);
            assertTrue(peer.length() < 400, peer);
            for (String shown : List.of(line, peer)) {
                assertFalse(shown.chars().anyMatch(c -> c < 0x20), "a control character in " + shown);
            }
        }
    }
}
