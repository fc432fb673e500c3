package org.peerobserver.extractor.p2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.FrameHeader;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadDecoder;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.ebpf.message.Version;

/** We dial (connect, with reconnects) and the handshake producer, against scripted nodes and our own listener. */
class BitcoinP2pConnectAndHandshakeTest extends CamelTestSupport {
    final int nodePort = BitcoinP2pListenTest.freePort();
    final int listenPort = BitcoinP2pListenTest.freePort();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bitcoin-p2p:connect?port=" + nodePort + "&network=regtest&pingInterval=300&reconnectDelay=100"
                        + "&maxReconnectDelay=400&node=alice&v2Transport=disable").routeId("connect").to("mock:events");
                from("bitcoin-p2p:listen?port=" + listenPort + "&network=regtest&pingInterval=0&addressAnnouncements=false"
                        + "&inventoryAnnouncements=false&feefilterAnnouncements=false&pingDuration=false").routeId("listen")
                        .to("mock:quiet");
                from("direct:handshake").to("bitcoin-p2p:handshake?network=regtest&readTimeout=700&connectTimeout=700&v2Transport=disable");
                from("direct:handshake-v2").to("bitcoin-p2p:handshake?network=regtest&readTimeout=8000&connectTimeout=2000");
            }
        };
    }

    @Test
    void weDialSendVersionFirstAndDialAgainAfterAClose() throws Exception {
        // the node comes up after we started dialling: the connection is retried
        Thread.sleep(500);
        BitcoinP2pConsumer connect = (BitcoinP2pConsumer) context.getRoute("connect").getConsumer();
        HealthCheck.Result down = connect.getHealthCheck().call();
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertTrue(down.getMessage().orElseThrow().startsWith("cannot connect to the Bitcoin node at 127.0.0.1:" + nodePort),
                down.getMessage().orElseThrow());
        try (ServerSocket server = new ServerSocket(nodePort)) {
            server.setSoTimeout(5000);
            for (int round = 0; round < 2; round++) {
                try (FakeNode node = new FakeNode(server.accept(), BitcoinNetwork.REGTEST)) {
                    Version ours = PayloadDecoder.version(node.read().payload()); // we speak first
                    assertEquals(70016, ours.getVersion());
                    node.send("version", PayloadEncoder.version(FakeNode.version(70016, "/Satoshi:29.0.0/", 3)));
                    assertEquals(List.of("wtxidrelay", "sendaddrv2", "verack"), List.of(node.read().command(), node.read().command(),
                            node.read().command()));
                    node.send("verack", PayloadEncoder.empty());
                    long nonce = PayloadDecoder.nonce(node.expect("ping").payload());
                    node.send("pong", PayloadEncoder.nonce(nonce));
                    MockEndpoint events = getMockEndpoint("mock:events");
                    int expected = round + 1;
                    await().atMost(Duration.ofSeconds(5)).until(() -> events.getReceivedCounter() >= expected);
                    assertEquals("alice", events.getReceivedExchanges().get(0).getIn().getHeader(EventHeaders.NODE));
                    assertEquals(HealthCheck.State.UP, connect.getHealthCheck().call().getState());
                }
            }
        }
        BitcoinP2pConsumer c = (BitcoinP2pConsumer) context.getRoute("connect").getConsumer();
        assertEquals(2, c.getHandshakes());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> handshake(int port) {
        return template.requestBodyAndHeader("direct:handshake", null, BitcoinP2pConstants.PORT, port, Map.class);
    }

    @Test
    void handshakeWithOurListenerReturnsItsVersion() {
        Map<String, Object> r = handshake(listenPort);
        assertEquals(true, r.get("reachable"), r.toString());
        assertEquals(70016L, r.get("protocolVersion"));
        assertEquals(9L, r.get("services"));
        assertEquals("/peer-observer-camel:0.1.0/", r.get("userAgent"));
        assertEquals(0, r.get("startHeight"));
        assertEquals(true, r.get("relay"));
        assertTrue(Math.abs((Long) r.get("timestamp") - System.currentTimeMillis() / 1000) < 60);
        assertEquals("127.0.0.1:" + listenPort, r.get("address"));
        assertEquals("0.0.0.0", r.get("senderAddress"));
        assertEquals(0, r.get("senderPort"));
        assertTrue(r.get("nonce") instanceof Long, r.toString());
        assertEquals("v1", r.get("transport"));
        // the listener published nothing: every event was switched off
        assertEquals(0, getMockEndpoint("mock:quiet").getReceivedCounter());
    }

    @Test
    @SuppressWarnings("unchecked")
    void handshakeInV2WithOurListenerAndInV1WithAV1OnlyNode() throws Exception {
        Map<String, Object> r = template.requestBodyAndHeader("direct:handshake-v2", null, BitcoinP2pConstants.PORT, listenPort, Map.class);
        assertEquals(true, r.get("reachable"), r.toString());
        assertEquals("v2", r.get("transport"));
        assertEquals("/peer-observer-camel:0.1.0/", r.get("userAgent"));
        // a v1-only node closes on our v2 key; the second connection, in v1, gets its version
        int v1Port = BitcoinP2pListenTest.freePort();
        try (ServerSocket server = new ServerSocket(v1Port)) {
            server.setSoTimeout(5000);
            Thread node = new Thread(() -> {
                try {
                    server.accept().close();
                    try (FakeNode v1 = new FakeNode(server.accept(), BitcoinNetwork.REGTEST)) {
                        v1.read();
                        v1.send("version", PayloadEncoder.version(FakeNode.version(70016, "/v1only/", 3)));
                        v1.socket.getInputStream().read();
                    }
                } catch (java.io.IOException e) {
                    // the test fails on the answer below
                }
            });
            node.start();
            Map<String, Object> v1 = template.requestBodyAndHeader("direct:handshake-v2", null, BitcoinP2pConstants.PORT, v1Port, Map.class);
            assertEquals(true, v1.get("reachable"), v1.toString());
            assertEquals("v1", v1.get("transport"));
            assertEquals("/v1only/", v1.get("userAgent"));
            node.join(5000);
        }
    }

    @Test
    void handshakeFailuresAreReasons() throws Exception {
        int closed = BitcoinP2pListenTest.freePort();
        Map<String, Object> refused = handshake(closed);
        assertEquals(false, refused.get("reachable"));
        assertTrue(((String) refused.get("failure")).startsWith("cannot connect"), refused.toString());

        try (ServerSocket mute = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (Socket s = mute.accept()) {
                    Thread.sleep(2000);
                } catch (Exception ignored) {
                    // test over
                }
            });
            t.start();
            Map<String, Object> r = handshake(mute.getLocalPort());
            assertEquals(false, r.get("reachable"));
            assertTrue(((String) r.get("failure")).startsWith("timed out waiting for its version"), r.toString());
            t.join();
        }

        try (ServerSocket mainnet = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (Socket s = mainnet.accept()) {
                    s.getOutputStream().write(FrameHeader.frame(BitcoinNetwork.MAINNET, "version",
                            PayloadEncoder.version(FakeNode.version(70016, "/Satoshi:30.0.0/", 1))));
                    Thread.sleep(500);
                } catch (Exception ignored) {
                    // test over
                }
            });
            t.start();
            Map<String, Object> r = handshake(mainnet.getLocalPort());
            assertEquals("the node is on mainnet, not regtest", r.get("failure"));
            t.join();
        }

        try (ServerSocket hangsUp = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (Socket s = hangsUp.accept()) {
                    s.getInputStream().read();
                } catch (Exception ignored) {
                    // test over
                }
            });
            t.start();
            Map<String, Object> r = handshake(hangsUp.getLocalPort());
            assertEquals("the node closed the connection before sending its version", r.get("failure"));
            t.join();
        }
    }

    @Test
    void endpointsCheckTheirOptions() {
        assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint("bitcoin-p2p:listen?colour=blue"));
        assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint("bitcoin-p2p:gossip"));
        BitcoinP2pEndpoint e = context.getEndpoint("bitcoin-p2p:connect?network=signet", BitcoinP2pEndpoint.class);
        assertEquals(38333, e.effectivePort());
        assertEquals(8555, context.getEndpoint("bitcoin-p2p:listen", BitcoinP2pEndpoint.class).effectivePort());
        assertThrows(IllegalArgumentException.class, () -> context.getEndpoint("bitcoin-p2p:listen?network=dogecoin",
                BitcoinP2pEndpoint.class).createConsumer(x -> { }));
        assertThrows(IllegalArgumentException.class, () -> context.getEndpoint("bitcoin-p2p:listen?nodeNames=alice",
                BitcoinP2pEndpoint.class).createConsumer(x -> { }));
        assertThrows(IllegalArgumentException.class, () -> context.getEndpoint("bitcoin-p2p:listen", BitcoinP2pEndpoint.class)
                .createProducer());
        assertEquals(Map.of("10.0.0.5", "alice", "::1", "bob"), context.getEndpoint(
                "bitcoin-p2p:listen?nodeNames=10.0.0.5=alice,[::1]=bob", BitcoinP2pEndpoint.class).getConfiguration().nodeNameMap());
    }
}
