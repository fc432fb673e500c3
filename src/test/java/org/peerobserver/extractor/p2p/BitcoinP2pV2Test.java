package org.peerobserver.extractor.p2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.core.Peer;
import org.bitcoinj.core.PeerAddress;
import org.bitcoinj.core.VersionMessage;
import org.bitcoinj.net.NioServer;
import org.bitcoinj.params.RegTestParams;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.FrameHeader;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.bitcoin.V2Transport;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.P2pTransport;

/**
 * BIP324 v2 end to end on loopback: our connector and our listener agree on v2 (both record it); our connector
 * falls back to v1 against bitcoinj (v1 only), the way Bitcoin Core does; a listener that requires v2 refuses a v1
 * node; and bytes that are no v2 session (no garbage terminator, a forged tag, an oversize packet) are refused,
 * counted and the connection closed.
 */
class BitcoinP2pV2Test extends CamelTestSupport {
    final int listenPort = BitcoinP2pListenTest.freePort();
    final int requirePort = BitcoinP2pListenTest.freePort();
    final int bitcoinjPort = BitcoinP2pListenTest.freePort();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bitcoin-p2p:listen?port=" + listenPort + "&network=regtest&pingInterval=300&handshakeTimeout=3000")
                        .routeId("listen").to("mock:listen");
                from("bitcoin-p2p:connect?nodes=127.0.0.1:" + listenPort + "&network=regtest&pingInterval=300&reconnectDelay=100"
                        + "&maxReconnectDelay=400").routeId("connect").to("mock:connect");
                from("bitcoin-p2p:connect?nodes=127.0.0.1:" + bitcoinjPort + "&network=regtest&pingInterval=300&reconnectDelay=100"
                        + "&maxReconnectDelay=400").routeId("to-bitcoinj").to("mock:bitcoinj");
                from("bitcoin-p2p:listen?port=" + requirePort + "&network=regtest&v2Transport=require").routeId("require")
                        .to("mock:require");
            }
        };
    }

    private BitcoinP2pConsumer consumer(String route) {
        return (BitcoinP2pConsumer) context.getRoute(route).getConsumer();
    }

    private static List<P2pTransport> transports(MockEndpoint events) {
        return events.getReceivedExchanges().stream().filter(e -> "ext.p2p_transport".equals(e.getIn().getHeader(EventHeaders.KIND)))
                .map(e -> e.getIn().getBody(Event.class).getExtension().getP2PTransport()).collect(Collectors.toList());
    }

    @Test
    void connectorAndListenerSpeakV2AndSaySo() {
        MockEndpoint connect = getMockEndpoint("mock:connect");
        MockEndpoint listen = getMockEndpoint("mock:listen");
        await().atMost(Duration.ofSeconds(15)).until(() -> !transports(connect).isEmpty() && !transports(listen).isEmpty()
                && BitcoinP2pListenTest.kinds(connect).contains("p2p.ping_duration"));
        P2pTransport ours = transports(connect).get(0);
        P2pTransport theirs = transports(listen).get(0);
        assertEquals("v2", ours.getTransport());
        assertEquals("127.0.0.1:" + listenPort, ours.getPeer(), "a dialled session knows where it went");
        assertFalse(ours.getInbound());
        assertEquals("v2", theirs.getTransport());
        assertTrue(theirs.getInbound());
        assertEquals(64, ours.getSessionId().length());
        assertEquals(ours.getSessionId(), theirs.getSessionId(), "both sides derive the same session id");
        assertEquals(1, consumer("connect").getV2Handshakes());
        assertEquals(1, consumer("listen").getV2Handshakes());
        assertEquals(0, consumer("connect").getDropsTotal(), consumer("connect").getDrops().toString());
    }

    @Test
    void aV1OnlyNodeIsDialledAgainInV1() throws Exception {
        NetworkParameters params = RegTestParams.get();
        Context.propagate(new Context());
        NioServer bitcoinj = new NioServer((ip, port) -> new Peer(params, new VersionMessage(params, 0),
                PeerAddress.simple(ip, port), null), new InetSocketAddress("127.0.0.1", bitcoinjPort));
        bitcoinj.startAsync().awaitRunning(10, TimeUnit.SECONDS);
        try {
            MockEndpoint events = getMockEndpoint("mock:bitcoinj");
            await().atMost(Duration.ofSeconds(15)).until(() -> !transports(events).isEmpty());
            assertEquals("v1", transports(events).get(0).getTransport());
            assertFalse(transports(events).get(0).hasSessionId());
            BitcoinP2pConsumer c = consumer("to-bitcoinj");
            assertTrue(c.drops(DropReason.V2_UNANSWERED) >= 1, c.getDrops().toString());
            assertEquals(1, c.getHandshakes());
            assertEquals(0, c.getV2Handshakes());
        } finally {
            bitcoinj.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aListenerThatRequiresV2RefusesV1() throws Exception {
        try (FakeNode node = FakeNode.connect(requirePort, BitcoinNetwork.REGTEST)) {
            node.send("version", PayloadEncoder.version(FakeNode.version(70016, "/v1/", 1)));
            node.socket.setSoTimeout(4000);
            assertTrue(node.closedByPeer());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> consumer("require").drops(DropReason.V1_REFUSED) == 1);
    }

    @Test
    void whatIsNoV2SessionIsRefusedCountedAndClosed() throws Exception {
        // a key, then more garbage than allowed and no terminator
        refused(s -> s.getOutputStream().write(BitcoinP2pListenTest.random(64 + V2Transport.MAX_GARBAGE + 16)), DropReason.V2_HANDSHAKE);
        // a real handshake, then a packet whose tag was tampered with
        refused(s -> {
            V2Transport v2 = handshake(s);
            byte[][] packet = new byte[1][];
            v2.send("ping", PayloadEncoder.nonce(7), b -> packet[0] = b);
            packet[0][packet[0].length - 1] ^= 1;
            s.getOutputStream().write(packet[0]);
        }, DropReason.BAD_TAG);
        // a real handshake, then a message larger than allowed before the version handshake
        refused(s -> {
            V2Transport v2 = handshake(s);
            v2.send("block", new byte[P2pFrameDecoder.MAX_HANDSHAKE_PAYLOAD + FrameHeader.COMMAND_SIZE + 1], b -> write(s, b));
        }, DropReason.OVERSIZE);
    }

    interface Script {
        void run(Socket s) throws Exception;
    }

    private void refused(Script script, DropReason reason) throws Exception {
        long before = consumer("listen").drops(reason);
        try (Socket s = new Socket("127.0.0.1", listenPort)) {
            s.setSoTimeout(4000);
            script.run(s);
            InputStream in = s.getInputStream();
            byte[] sink = new byte[8192];
            int n;
            do {
                n = in.read(sink);
            } while (n > 0);
            assertEquals(-1, n, reason + ": the listener did not close the connection");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(before + 1, consumer("listen").drops(reason),
                consumer("listen").getDrops().toString()));
    }

    private static void write(Socket s, byte[] b) {
        try {
            s.getOutputStream().write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Our own initiator over a plain socket, up to the listener's version packet. */
    static V2Transport handshake(Socket s) throws Exception {
        V2Transport v2 = new V2Transport(BitcoinNetwork.REGTEST, true, new SecureRandom(), 4096);
        s.getOutputStream().write(v2.greeting());
        DataInputStream in = new DataInputStream(s.getInputStream());
        ByteBuffer buffer = ByteBuffer.allocate(16384);
        while (!v2.versionReceived()) {
            int n = in.read(buffer.array(), buffer.position(), buffer.remaining());
            assertTrue(n > 0, "the listener closed during the v2 handshake");
            buffer.position(buffer.position() + n).flip();
            assertEquals(null, v2.receive(buffer, b -> write(s, b)));
            buffer.compact();
        }
        assertNotNull(v2.sessionId());
        return v2;
    }
}
