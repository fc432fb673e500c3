package org.peerobserver.extractor.p2p;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadEncoder;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 connection attempts from loopback against a listener that allows 100 connections: the excess
 * is refused and counted, memory stays bounded, and a node that was connected before keeps being served.
 */
class P2pFloodTest extends CamelTestSupport {
    private static final int ATTEMPTS = 10_000;
    private static final int HELD = 500;
    private static final int MAX_CONNECTIONS = 100;
    final int port = BitcoinP2pListenTest.freePort();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bitcoin-p2p:listen?port=" + port + "&network=regtest&pingInterval=300&handshakeTimeout=60000"
                        + "&maxConnections=" + MAX_CONNECTIONS).routeId("listen").to("mock:events");
            }
        };
    }

    private BitcoinP2pConsumer listener() {
        return (BitcoinP2pConsumer) context.getRoute("listen").getConsumer();
    }

    @Test
    void floodIsRefusedAndCountedWhileAConnectedNodeIsServed() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (FakeNode node = FakeNode.connect(port, BitcoinNetwork.REGTEST)) {
            node.handshake();
            long heapBefore = BitcoinP2pListenTest.usedHeap();
            int maxOpen = 0;
            int failedConnects = 0;
            for (int i = 0; i < ATTEMPTS; i++) {
                // the first ones stay open and fill the listener; the rest connect and leave at once
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                } catch (IOException refusedByTheKernel) {
                    failedConnects++;
                }
                if (i < HELD) {
                    held.add(s);
                } else {
                    s.close();
                }
                if (i % 100 == 0) {
                    maxOpen = Math.max(maxOpen, listener().getOpenConnections());
                }
            }
            long refusedBelow = ATTEMPTS - MAX_CONNECTIONS - failedConnects;
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> listener().drops(DropReason.TOO_MANY_CONNECTIONS) >= refusedBelow);
            long heapGrowth = BitcoinP2pListenTest.usedHeap() - heapBefore;

            // the node connected before the flood is still served: our pings reach it, its messages become events
            node.expect("ping");
            node.send("feefilter", PayloadEncoder.feeFilter(2000));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> BitcoinP2pListenTest.kinds(getMockEndpoint("mock:events")).contains("p2p.feefilter_announcement"));

            System.out.printf("P2P flood: %d attempts, %d refused and counted (too_many_connections), at most %d open,"
                    + " heap grew by %d KiB, %d connects failed in the kernel%n", ATTEMPTS,
                    listener().drops(DropReason.TOO_MANY_CONNECTIONS), maxOpen, heapGrowth >> 10, failedConnects);
            assertTrue(maxOpen <= MAX_CONNECTIONS + 1, "open connections bounded: " + maxOpen);
            assertTrue(heapGrowth < 64L << 20, "heap grew by " + (heapGrowth >> 20) + " MiB");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
