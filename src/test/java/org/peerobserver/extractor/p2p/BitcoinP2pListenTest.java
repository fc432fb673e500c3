package org.peerobserver.extractor.p2p;

import org.peerobserver.testing.CapturedLog;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.FrameHeader;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadDecoder;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.InventoryItem;

/** The listener against a scripted node: handshake, pings both ways, events, and what a bad peer gets. */
class BitcoinP2pListenTest extends CamelTestSupport {
    static final BitcoinNetwork REGTEST = BitcoinNetwork.REGTEST;
    final int port = freePort();

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bitcoin-p2p:listen?port=" + port + "&network=regtest&pingInterval=300&handshakeTimeout=1500&maxPeers=4")
                        .routeId("listen").to("mock:events");
            }
        };
    }

    BitcoinP2pConsumer listener() {
        return (BitcoinP2pConsumer) context.getRoute("listen").getConsumer();
    }

    @Test
    void handshakeLikeCoreThenPingsAndEvents() throws Exception {
        MockEndpoint events = getMockEndpoint("mock:events");
        try (FakeNode node = FakeNode.connect(port, REGTEST)) {
            Version ours = node.handshake();
            assertEquals(70016, ours.getVersion());
            assertEquals(PayloadEncoder.NODE_NETWORK | PayloadEncoder.NODE_WITNESS, ours.getServices());
            assertTrue(ours.getRelay());
            assertEquals("/peer-observer-camel:0.1.0/", ours.getUserAgent());
            assertEquals(0, ours.getStartHeight());
            assertEquals("127.0.0.1", ours.getReceiver().getIpv4());

            // our ping carries the time in nanoseconds
            long nonce = PayloadDecoder.nonce(node.expect("ping").payload());
            Instant now = Instant.now();
            long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            assertTrue(Math.abs(nowNanos - nonce) < 10_000_000_000L, "nonce " + nonce + " is not now in ns");
            node.send("pong", PayloadEncoder.nonce(nonce));
            // a pong nobody asked for is ignored (no negative or absurd duration)
            node.send("pong", PayloadEncoder.nonce(Long.MAX_VALUE));

            // the node's ping is answered
            node.send("ping", PayloadEncoder.nonce(77));
            assertEquals(77, PayloadDecoder.nonce(node.expect("pong").payload()));

            byte[] hash = new byte[32];
            hash[31] = 9;
            node.send("inv", PayloadEncoder.inventory(List.of(InventoryItem.newBuilder().setWtx(ByteString.copyFrom(hash)).build())));
            node.send("addrv2", PayloadEncoder.addrV2(List.of(Address.newBuilder().setTimestamp(1_700_000_000).setServices(1033)
                    .setIpv4("203.0.113.5").setPort(8333).build())));
            node.send("feefilter", PayloadEncoder.feeFilter(1000));
            node.send("sendtxrcncl", new byte[12]);

            await().atMost(Duration.ofSeconds(5)).until(() -> kinds(events).containsAll(
                    List.of("p2p.ping_duration", "p2p.inventory_announcement", "p2p.address_announcement", "p2p.feefilter_announcement")));
            Event ping = first(events, "p2p.ping_duration");
            assertTrue(ping.getP2PExtractor().getPingDuration().getDuration() > 0);
            assertTrue(ping.getP2PExtractor().getPingDuration().getDuration() < 5_000_000_000L);
            assertEquals(9, first(events, "p2p.inventory_announcement").getP2PExtractor().getInventoryAnnouncement()
                    .getInventory(0).getWtx().byteAt(31));
            Address a = first(events, "p2p.address_announcement").getP2PExtractor().getAddressAnnouncement().getAddresses(0);
            assertEquals("203.0.113.5", a.getIpv4());
            assertEquals(1033, a.getServices());
            assertEquals(1000, first(events, "p2p.feefilter_announcement").getP2PExtractor().getFeefilterAnnouncement());
            Exchange any = events.getReceivedExchanges().get(1);
            assertEquals("ext.p2p_transport", events.getReceivedExchanges().get(0).getIn().getHeader(EventHeaders.KIND));
            assertEquals("p2p-extractor", any.getIn().getHeader(EventHeaders.SUBJECT));
            assertEquals("127.0.0.1", any.getIn().getHeader(EventHeaders.NODE));
            assertTrue(any.getIn().getHeader(BitcoinP2pConstants.PEER, String.class).startsWith("127.0.0.1:"));
            // only one ping event: the unasked pong did not count
            assertEquals(1, kinds(events).stream().filter("p2p.ping_duration"::equals).count());

            BitcoinP2pConsumer c = listener();
            assertEquals(1, c.getConnectedPeers());
            assertEquals(1, c.getMessagesIn().get("feefilter"));
            assertEquals(1, c.getMessagesIn().get("sendtxrcncl"));
            assertEquals(1, c.getMessagesOut().get("version"));
            assertTrue(c.getMessagesOut().get("ping") >= 1);
            assertEquals(1, c.getPeers().size());
            assertTrue(c.getPeers().get(0).contains("/Satoshi:30.0.0/"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> listener().getConnectedPeers() == 0);
        assertEquals(0, listener().getDropsTotal());
    }

    @Test
    void aLargeMessageInTheSameWriteAsTheVerackIsTakenAsAfterTheHandshake() throws Exception {
        try (FakeNode node = FakeNode.connect(port, REGTEST)) {
            node.send("version", PayloadEncoder.version(FakeNode.version(70016, "/eager/", 3)));
            node.expect("verack");
            // 1,000 inventory entries (36 KB) behind the verack, in one write: the 4 KB limit before the handshake
            // must not apply to them
            List<InventoryItem> items = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                items.add(InventoryItem.newBuilder().setWtx(ByteString.copyFrom(new byte[32])).build());
            }
            byte[] verack = FrameHeader.frame(REGTEST, "verack", PayloadEncoder.empty());
            byte[] inv = FrameHeader.frame(REGTEST, "inv", PayloadEncoder.inventory(items));
            byte[] both = java.util.Arrays.copyOf(verack, verack.length + inv.length);
            System.arraycopy(inv, 0, both, verack.length, inv.length);
            node.raw(both);
            await().atMost(Duration.ofSeconds(5)).until(() -> kinds(getMockEndpoint("mock:events")).contains("p2p.inventory_announcement"));
            assertEquals(1000, first(getMockEndpoint("mock:events"), "p2p.inventory_announcement").getP2PExtractor()
                    .getInventoryAnnouncement().getInventoryCount());
            assertEquals(0, listener().getDropsTotal(), listener().getDrops().toString());
        }
    }

    static List<String> kinds(MockEndpoint events) {
        List<String> out = new ArrayList<>();
        for (Exchange e : events.getReceivedExchanges()) {
            out.add(e.getIn().getHeader(EventHeaders.KIND, String.class));
        }
        return out;
    }

    static Event first(MockEndpoint events, String kind) {
        return events.getReceivedExchanges().stream().filter(e -> kind.equals(e.getIn().getHeader(EventHeaders.KIND)))
                .findFirst().orElseThrow().getIn().getBody(Event.class);
    }

    @Test
    void badPeersAreDroppedByReasonAndOthersKeepBeingServed() throws Exception {
        try (CapturedLog log = new CapturedLog("org.peerobserver.extractor.p2p"); CapturedLog netty = new CapturedLog("io.netty")) {
            // a BIP324 v2 key, then more garbage than allowed and no garbage terminator
            dropped(node -> node.raw(random(64 + 4095 + 16)), DropReason.V2_HANDSHAKE);
            // a mainnet node at a regtest listener
            dropped(node -> node.raw(FrameHeader.frame(BitcoinNetwork.MAINNET, "version",
                    PayloadEncoder.version(FakeNode.version(70016, "/x/", 1)))), DropReason.WRONG_NETWORK);
            // oversize before the handshake: refused from the header alone
            dropped(node -> node.raw(header("version", 100_000)), DropReason.OVERSIZE);
            // oversize after the handshake: more than 4,000,000 announced
            dropped(node -> {
                node.handshake();
                node.raw(header("block", 4_000_001));
            }, DropReason.OVERSIZE);
            dropped(node -> {
                node.handshake();
                byte[] f = FrameHeader.frame(REGTEST, "feefilter", PayloadEncoder.feeFilter(5));
                f[FrameHeader.SIZE] ^= 1;
                node.raw(f);
            }, DropReason.BAD_CHECKSUM);
            dropped(node -> {
                node.handshake();
                node.raw(FrameHeader.frame(BitcoinNetwork.TESTNET4, "ping", PayloadEncoder.nonce(1)));
            }, DropReason.BAD_MAGIC);
            dropped(node -> {
                node.handshake();
                node.raw(random(200));
            }, DropReason.BAD_MAGIC);
            dropped(node -> {
                node.handshake();
                byte[] f = FrameHeader.frame(REGTEST, "ping", PayloadEncoder.nonce(1));
                f[6] = 1;
                node.raw(f);
            }, DropReason.BAD_COMMAND);
            dropped(node -> {
                node.handshake();
                node.send("addrv2", Vectors0.ADDRV2_MAPPED_AS_IPV6);
            }, DropReason.MALFORMED);
            dropped(node -> node.send("version", new byte[10]), DropReason.MALFORMED);
            dropped(node -> node.send("version", PayloadEncoder.version(FakeNode.version(209, "/old/", 1))), DropReason.PROTOCOL);
            // the handshake never finishes: dropped after handshakeTimeout (1.5 s here, 60 s by default)
            dropped(node -> node.send("version", PayloadEncoder.version(FakeNode.version(70016, "/slow/", 1))),
                    DropReason.HANDSHAKE_TIMEOUT);
            // truncated: half a frame, then the peer hangs up
            try (FakeNode node = FakeNode.connect(port, REGTEST)) {
                node.handshake();
                byte[] f = FrameHeader.frame(REGTEST, "feefilter", PayloadEncoder.feeFilter(5));
                node.raw(java.util.Arrays.copyOf(f, 30));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> listener().drops(DropReason.TRUNCATED) == 1);

            // still serving
            try (FakeNode node = FakeNode.connect(port, REGTEST)) {
                node.handshake();
                node.expect("ping");
            }
            assertFalse(log.sawThrowable(), "a stack trace was logged: " + log.lines());
            assertTrue(netty.lines().isEmpty(), "netty logged: " + netty.lines());
            // the same address and reason is logged once
            assertEquals(1, log.lines().stream().filter(l -> l.contains("[bad_magic]")).count(), log.lines().toString());
            assertEquals(2, listener().getDrops().get("bad_magic"));
        }
    }

    interface Script {
        void run(FakeNode node) throws Exception;
    }

    void dropped(Script script, DropReason reason) throws Exception {
        long before = listener().drops(reason);
        try (FakeNode node = FakeNode.connect(port, REGTEST)) {
            script.run(node);
            node.socket.setSoTimeout(4000);
            assertTrue(node.closedByPeer(), reason + ": the listener did not close the connection");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> listener().drops(reason) == before + 1);
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        b[0] = 0x13; // no network's magic starts like this
        return b;
    }

    static byte[] header(String command, int length) {
        byte[] h = FrameHeader.frame(REGTEST, command, new byte[0]);
        h[16] = (byte) length;
        h[17] = (byte) (length >>> 8);
        h[18] = (byte) (length >>> 16);
        h[19] = (byte) (length >>> 24);
        return h;
    }

    @Test
    void aThousandIdleConnectionsDoNotKeepANodeOut() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                idle.add(new Socket("127.0.0.1", port));
            }
            // accepted, all of them (the first may already be timing out on a slow machine)
            await().atMost(Duration.ofSeconds(10)).until(() -> listener().getConnectionsTotal() >= 1000);
            long usedBefore = usedHeap();
            try (FakeNode node = FakeNode.connect(port, REGTEST)) {
                node.handshake();
                node.expect("ping");
                node.send("feefilter", PayloadEncoder.feeFilter(2000));
                await().atMost(Duration.ofSeconds(5)).until(() -> kinds(getMockEndpoint("mock:events")).contains("p2p.feefilter_announcement"));
            }
            // a thousand idle connections hold no buffers worth speaking of
            assertTrue(usedHeap() - usedBefore < 64L << 20, "heap grew by " + ((usedHeap() - usedBefore) >> 20) + " MB");
            // and the handshake timeout clears them
            await().atMost(Duration.ofSeconds(10)).until(() -> listener().drops(DropReason.HANDSHAKE_TIMEOUT) >= 1000);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener().getOpenConnections() == 0);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        System.gc();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void moreNodesThanMaxPeersAreRefused() throws Exception {
        List<FakeNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                FakeNode n = FakeNode.connect(port, REGTEST);
                nodes.add(n);
                n.handshake();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> listener().getConnectedPeers() == 4);
            dropped(node -> node.send("version", PayloadEncoder.version(FakeNode.version(70016, "/fifth/", 5))),
                    DropReason.TOO_MANY_PEERS);
        } finally {
            for (FakeNode n : nodes) {
                n.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> listener().getConnectedPeers() == 0);
        try (FakeNode n = FakeNode.connect(port, REGTEST)) {
            n.handshake();
        }
    }
}
