package org.peerobserver.extractor.p2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.bitcoinj.base.Coin;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.core.AddressV2Message;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.FeeFilterMessage;
import org.bitcoinj.core.InventoryItem;
import org.bitcoinj.core.InventoryMessage;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.core.Peer;
import org.bitcoinj.core.PeerAddress;
import org.bitcoinj.core.Services;
import org.bitcoinj.core.VersionMessage;
import org.bitcoinj.net.NioClientManager;
import org.bitcoinj.params.RegTestParams;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.Hashes;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.InventoryItem.ItemCase;

/**
 * bitcoinj, an independent Bitcoin P2P implementation, connects to the listener as a node would: it completes
 * the handshake, pings us and answers our pings, and its addrv2, inv and feefilter messages (serialized by
 * bitcoinj) come out as upstream's p2p-extractor events.
 */
class BitcoinjInteropTest extends CamelTestSupport {
    final int port = BitcoinP2pListenTest.freePort();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bitcoin-p2p:listen?port=" + port + "&network=regtest&pingInterval=300&nodeNames=127.0.0.1=bitcoinj")
                        .routeId("listen").to("mock:events");
            }
        };
    }

    @Test
    void bitcoinjPeerHandshakesPingsAndAnnounces() throws Exception {
        NetworkParameters params = RegTestParams.get();
        Context.propagate(new Context());
        NioClientManager manager = new NioClientManager();
        manager.startAsync().awaitRunning();
        try {
            Peer peer = new Peer(params, new VersionMessage(params, 0), PeerAddress.simple(InetAddress.getLoopbackAddress(), port), null);
            manager.openConnection(new InetSocketAddress("127.0.0.1", port), peer);
            peer.getVersionHandshakeFuture().get(10, TimeUnit.SECONDS);
            assertEquals("/peer-observer-camel:0.1.0/", peer.getPeerVersionMessage().subVer);
            assertTrue(peer.getPeerVersionMessage().services().has(Services.NODE_WITNESS));

            // bitcoinj pings us and gets its pong
            assertTrue(peer.sendPing().get(10, TimeUnit.SECONDS).toMillis() < 5000);

            Sha256Hash txid = Sha256Hash.wrap("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
            InventoryMessage inv = InventoryMessage.read(ByteBuffer.wrap(new byte[] {0}));
            inv.addItem(new InventoryItem(InventoryItem.Type.TRANSACTION, txid));
            inv.addItem(new InventoryItem(InventoryItem.Type.WITNESS_BLOCK, Sha256Hash.ZERO_HASH));
            peer.sendMessage(inv);

            AddressV2Message addr = AddressV2Message.read(ByteBuffer.wrap(new byte[] {0}));
            addr.addAddress(PeerAddress.inet(InetAddress.getByName("203.0.113.7"), 8333, Services.of(Services.NODE_NETWORK
                    | Services.NODE_WITNESS), Instant.ofEpochSecond(1_700_000_000L)));
            addr.addAddress(PeerAddress.inet(InetAddress.getByName("2001:db8::5"), 18444, Services.none(),
                    Instant.ofEpochSecond(1_700_000_001L)));
            peer.sendMessage(addr);

            peer.sendMessage(FeeFilterMessage.of(Coin.valueOf(1234)));

            MockEndpoint events = getMockEndpoint("mock:events");
            await().atMost(Duration.ofSeconds(10)).until(() -> BitcoinP2pListenTest.kinds(events).containsAll(List.of(
                    "p2p.ping_duration", "p2p.inventory_announcement", "p2p.address_announcement", "p2p.feefilter_announcement")));

            // bitcoinj answered our pings (nonce = now in ns): the round trip is published
            long rtt = BitcoinP2pListenTest.first(events, "p2p.ping_duration").getP2PExtractor().getPingDuration().getDuration();
            assertTrue(rtt > 0 && rtt < 5_000_000_000L, "ping duration " + rtt);

            Event invEvent = BitcoinP2pListenTest.first(events, "p2p.inventory_announcement");
            var items = invEvent.getP2PExtractor().getInventoryAnnouncement().getInventoryList();
            assertEquals(ItemCase.TRANSACTION, items.get(0).getItemCase());
            assertEquals(txid.toString(), Hashes.displayHex(items.get(0).getTransaction().toByteArray()));
            assertEquals(ItemCase.WITNESS_BLOCK, items.get(1).getItemCase());

            List<Address> addresses = BitcoinP2pListenTest.first(events, "p2p.address_announcement").getP2PExtractor()
                    .getAddressAnnouncement().getAddressesList();
            assertEquals(2, addresses.size());
            assertEquals("203.0.113.7", addresses.get(0).getIpv4());
            assertEquals(8333, addresses.get(0).getPort());
            assertEquals(9, addresses.get(0).getServices());
            assertEquals(1_700_000_000, addresses.get(0).getTimestamp());
            assertEquals("2001:db8::5", addresses.get(1).getIpv6());
            assertEquals(18444, addresses.get(1).getPort());

            assertEquals(1234, BitcoinP2pListenTest.first(events, "p2p.feefilter_announcement").getP2PExtractor()
                    .getFeefilterAnnouncement());
            assertEquals("bitcoinj", events.getReceivedExchanges().get(0).getIn().getHeader(EventHeaders.NODE));

            BitcoinP2pConsumer c = (BitcoinP2pConsumer) context.getRoute("listen").getConsumer();
            assertEquals(1, c.getConnectedPeers());
            assertTrue(c.getPeers().get(0).startsWith("bitcoinj 127.0.0.1:"), c.getPeers().toString());
            assertEquals(0, c.getDropsTotal(), c.getDrops().toString());
            peer.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> c.getConnectedPeers() == 0);
            assertEquals(0, c.getDropsTotal(), c.getDrops().toString());
        } finally {
            manager.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
        }
    }
}
