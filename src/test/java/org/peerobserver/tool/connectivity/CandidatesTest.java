package org.peerobserver.tool.connectivity;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.p2p.AddressAnnouncement;
import org.peerobserver.proto.p2p.p2p;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.UnknownAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.peerobserver.tool.connectivity.ConnectivityEvents.ipv4;

/** What the tool takes from an event, before any dial. */
class CandidatesTest {
    private final ConnectivityCheck check = new ConnectivityCheck();

    private List<Candidate> candidates(Event event, String peerHeader) {
        return check.candidates(event, "alice", peerHeader);
    }

    @Test
    void p2pExtractorAnnouncementsAreAddrv2FromTheNodeThatSentThem() {
        check.setI2pProxy("127.0.0.1:4447");
        String i2p = "a".repeat(52) + ".b32.i2p";
        Event e = Event.newBuilder().setTimestamp(1_700_000_000_123L).setP2PExtractor(p2p.newBuilder().setAddressAnnouncement(
                AddressAnnouncement.newBuilder().addAddresses(ipv4("1.2.3.4", 8333, 1_699_999_000))
                        .addAddresses(Address.newBuilder().setTimestamp(1).setI2P(i2p).setServices(1).setPort(0))
                        .addAddresses(ipv4("1.2.3.5", 0, 1))
                        .addAddresses(Address.newBuilder().setTimestamp(1).setI2P("example.com").setServices(1).setPort(0))
                        .addAddresses(Address.newBuilder().setTimestamp(1).setCjdns("fc00::1").setServices(1).setPort(8333))
                        .addAddresses(Address.newBuilder().setTimestamp(1).setUnknown(UnknownAddress.newBuilder().setId(9)
                                .setAddress(com.google.protobuf.ByteString.EMPTY)).setServices(1).setPort(8333)))).build();
        assertEquals(List.of(
                new Candidate("IPv4(1.2.3.4)", "1.2.3.4", 8333, 9, 1_699_999_000, "IPv4", "addrv2", "2001:db8::5", 0, 1_700_000_000),
                new Candidate("I2p(" + i2p + ")", i2p, 0, 1, 1, "I2P", "addrv2", "2001:db8::5", 0, 1_700_000_000)),
                candidates(e, "[2001:db8::5]:50312"));
        assertEquals(2, check.metrics().skipped.value("unsupported_network"));
        assertEquals(1, check.metrics().skipped.value("bad_port"));
        assertEquals(1, check.metrics().skipped.value("bad_address"), "an I2P address that is a name to look up");
        assertEquals("alice", new ConnectivityCheck().candidates(e, "alice", null).get(0).sourceIp(),
                "without the connection's address: the node's name");
    }

    @Test
    void anAddressIsDialledOncePerCacheWindowAlsoWithinOneMessage() {
        Address a = ipv4("1.2.3.4", 8333, 1);
        Address otherPort = ipv4("1.2.3.4", 8334, 1);
        Address mapped = Address.newBuilder().setTimestamp(1).setIpv6("::ffff:1.2.3.4").setServices(9).setPort(8333).build();
        List<Candidate> first = candidates(ConnectivityEvents.message(0, true, true, "5.6.7.8:8333", List.of(a, otherPort, a, mapped)), null);
        assertEquals(List.of("IPv4(1.2.3.4) 8333", "IPv4(1.2.3.4) 8334"), first.stream().map(c -> c.display() + " " + c.port()).toList());
        assertEquals(0, candidates(ConnectivityEvents.message(0, false, true, "5.6.7.9:8333", List.of(a)), null).size(),
                "a later message from another peer: not dialled again");
        assertEquals(3, check.metrics().skipped.value("repeated"), "the IPv4-mapped form is the same address");
        // one that did not fit in the queue was not dialled: the next announcement is
        check.overflow(first.get(0));
        assertEquals(1, candidates(ConnectivityEvents.message(0, true, true, "5.6.7.8:8333", List.of(a, a)), null).size());
        assertEquals(4, check.metrics().skipped.value("repeated"));

        ConnectivityCheck noCache = new ConnectivityCheck();
        noCache.setCacheSeconds(0);
        assertEquals(2, noCache.candidates(ConnectivityEvents.message(0, true, true, "5.6.7.8:8333", List.of(a, a)), "bob", null).size(),
                "no cache window: every announcement is dialled");
    }

    @Test
    void exactlyOneThousandEntriesAreAGetaddrAnswer() {
        List<Address> entries = IntStream.range(0, 999).mapToObj(i -> ipv4("1.2." + i / 256 + "." + i % 256, 8333, 1)).toList();
        assertEquals(999, candidates(ConnectivityEvents.message(0, false, true, "1.2.3.4:8333", entries), null).size());
        List<Address> thousand = java.util.Collections.nCopies(1000, ipv4("1.2.3.4", 8333, 1));
        assertEquals(0, candidates(ConnectivityEvents.message(0, false, true, "1.2.3.4:8333", thousand), null).size());
        assertEquals(1000, check.metrics().skipped.value("getaddr_answer"));
    }
}
