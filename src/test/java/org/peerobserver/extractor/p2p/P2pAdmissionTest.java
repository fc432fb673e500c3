package org.peerobserver.extractor.p2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.core.Peer;
import org.bitcoinj.core.PeerAddress;
import org.bitcoinj.core.VersionMessage;
import org.bitcoinj.net.NioClientManager;
import org.bitcoinj.params.RegTestParams;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.FrameHeader;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.testing.CapturedLog;

/**
 * The admission attack: thousands of idle connections and sixteen peers that only ever send their version,
 * all opened again as soon as the listener closes them, from other netgroups than the node's (each 127.x/16
 * stands for a network elsewhere). A node (bitcoinj) still completes its handshake within 5 s; what was
 * refused or evicted is counted by reason, in the metrics too, and logged once.
 */
class P2pAdmissionTest extends CamelTestSupport {
    private static final int MAX_CONNECTIONS = 4000;
    private static final int PER_NETGROUP = 1000;
    final int port = BitcoinP2pListenTest.freePort();
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
                from("bitcoin-p2p:listen?port=" + port + "&network=regtest&pingInterval=300&maxConnections=" + MAX_CONNECTIONS
                        + "&maxConnectionsPerNetgroup=" + PER_NETGROUP).routeId("listen").to("mock:events");
            }
        };
    }

    private BitcoinP2pConsumer listener() {
        return (BitcoinP2pConsumer) context.getRoute("listen").getConsumer();
    }

    private static byte[] versionFrame(long nonce) {
        return FrameHeader.frame(BitcoinNetwork.REGTEST, "version", PayloadEncoder.version(FakeNode.version(70016, "/flood/", nonce)));
    }

    @Test
    void aNodeGetsInDuringAFloodOfIdleAndVersionOnlyConnections() throws Exception {
        try (CapturedLog log = new CapturedLog("org.peerobserver.extractor.p2p");
                // sixteen peers from 127.5/16 that send their version and never a verack: every peer slot
                Flood versionOnly = new Flood(port, List.of("127.5.0.1"), 16, versionFrame(7))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> listener().getMessagesOut().getOrDefault("verack", 0L) >= 16);
            // 4,000 idle connections from four other netgroups: every connection slot
            try (Flood idle = new Flood(port, List.of("127.1.0.1", "127.2.0.1", "127.3.0.1", "127.4.0.1"), 1000, null)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> idle.connected() + versionOnly.connected() >= MAX_CONNECTIONS
                        && listener().getOpenConnections() >= MAX_CONNECTIONS);
                long evictionsBefore = listener().getEvictions();

                NetworkParameters params = RegTestParams.get();
                Context.propagate(new Context());
                NioClientManager manager = new NioClientManager();
                manager.startAsync().awaitRunning();
                try {
                    Peer node = new Peer(params, new VersionMessage(params, 0),
                            PeerAddress.simple(InetAddress.getLoopbackAddress(), port), null);
                    long start = System.nanoTime();
                    manager.openConnection(new InetSocketAddress("127.0.0.1", port), node);
                    node.getVersionHandshakeFuture().get(5, TimeUnit.SECONDS);
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    await().atMost(Duration.ofSeconds(5)).until(() -> listener().getConnectedPeers() == 1);

                    // room was made: a connection slot (an idle stranger) and a peer slot (a version-only one)
                    assertTrue(listener().getEvictions() >= evictionsBefore + 2, "evictions " + listener().getEvictions());
                    assertTrue(listener().drops(DropReason.TOO_MANY_PEERS) >= 1, listener().getDrops().toString());
                    assertTrue(listener().drops(DropReason.TOO_MANY_CONNECTIONS) >= 1, listener().getDrops().toString());
                    // the flood goes on (more strangers refused or evicted), and the node stays
                    long dropsBefore = listener().getDropsTotal();
                    await().atMost(Duration.ofSeconds(5)).until(() -> listener().getDropsTotal() > dropsBefore + 10);
                    assertTrue(node.sendPing().get(5, TimeUnit.SECONDS).toMillis() < 5000);
                    assertEquals(1, listener().getConnectedPeers());
                    assertTrue(listener().getOpenConnections() <= MAX_CONNECTIONS + 1, "open " + listener().getOpenConnections());
                    System.out.printf("P2P admission: node handshaked in %d ms among %d open connections; drops %s, %d evictions,"
                            + " %d strangers' connections reopened%n", millis, listener().getOpenConnections(), listener().getDrops(),
                            listener().getEvictions(), idle.reopened() + versionOnly.reopened());
                    node.close();
                } finally {
                    manager.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
                }
            }
            String scrape = metrics.scrape();
            assertTrue(scrape.contains("peerobserver_p2p_dropped_total{reason=\"too_many_peers\",route=\"listen\"}"), scrape);
            assertTrue(scrape.contains("peerobserver_p2p_evicted_total{route=\"listen\"}"), scrape);
            // counted by the thousand, logged once a minute per reason
            for (String reason : List.of("too_many_connections", "too_many_peers")) {
                assertEquals(1, log.lines().stream().filter(l -> l.contains("[" + reason + "]")).count(), log.lines().toString());
            }
            assertFalse(log.sawThrowable(), log.lines().toString());
        }
    }

    @Test
    void oneNetgroupGetsNoMoreThanItsShare() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_NETGROUP + 50; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(i % 2 == 0 ? "127.6.0.1" : "127.6.200.9", 0));
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                held.add(s);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> listener().drops(DropReason.TOO_MANY_CONNECTIONS) == 50);
            assertEquals(PER_NETGROUP, listener().getOpenConnections());
            assertEquals(0, listener().getEvictions());
            // another netgroup is not affected
            try (FakeNode node = FakeNode.connect(port, BitcoinNetwork.REGTEST)) {
                node.handshake();
                node.expect("ping");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
