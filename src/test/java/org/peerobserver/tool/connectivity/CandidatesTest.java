package org.peerobserver.tool.connectivity;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.P2pHeaders;
import org.peerobserver.event.EventHeaders;
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
        Exchange x = new DefaultExchange(new DefaultCamelContext());
        x.getIn().setBody(event);
        x.getIn().setHeader(EventHeaders.NODE, "alice");
        if (peerHeader != null) {
            x.getIn().setHeader(P2pHeaders.PEER, peerHeader);
        }
        return check.candidates(x);
    }

    @Test
    void p2pExtractorAnnouncementsAreAddrv2FromTheNodeThatSentThem() {
        check.setI2pProxy("127.0.0.1:4447");
        String i2p = "a".repeat(52) + ".b32.i2p";
        Event e = Event.newBuilder().setTimestamp(1_700_000_000_123L).setP2PExtractor(p2p.newBuilder().setAddressAnnouncement(
                AddressAnnouncement.newBuilder().addAddresses(ipv4("203.0.113.7", 8333, 1_699_999_000))
                        .addAddresses(Address.newBuilder().setTimestamp(1).setI2P(i2p).setServices(1).setPort(0))
                        .addAddresses(ipv4("203.0.113.8", 0, 1))
                        .addAddresses(Address.newBuilder().setTimestamp(1).setI2P("example.com").setServices(1).setPort(0))
                        .addAddresses(Address.newBuilder().setTimestamp(1).setCjdns("fc00::1").setServices(1).setPort(8333))
                        .addAddresses(Address.newBuilder().setTimestamp(1).setUnknown(UnknownAddress.newBuilder().setId(9)
                                .setAddress(com.google.protobuf.ByteString.EMPTY)).setServices(1).setPort(8333)))).build();
        assertEquals(List.of(
                new Candidate("IPv4(203.0.113.7)", "203.0.113.7", 8333, 9, 1_699_999_000, "IPv4", "addrv2", "2001:db8::5", 0, 1_700_000_000),
                new Candidate("I2p(" + i2p + ")", i2p, 0, 1, 1, "I2P", "addrv2", "2001:db8::5", 0, 1_700_000_000)),
                candidates(e, "[2001:db8::5]:50312"));
        assertEquals(2, check.metrics().skipped.value("unsupported_network"));
        assertEquals(1, check.metrics().skipped.value("bad_port"));
        assertEquals(1, check.metrics().skipped.value("bad_address"), "an I2P address that is a name to look up");
        assertEquals("alice", candidates(e, null).get(0).sourceIp(), "without the connection's address: the node's name");
    }

    @Test
    void exactlyOneThousandEntriesAreAGetaddrAnswer() {
        List<Address> entries = java.util.Collections.nCopies(999, ipv4("203.0.113.7", 8333, 1));
        assertEquals(999, candidates(ConnectivityEvents.message(0, false, true, "1.2.3.4:8333", entries), null).size());
        List<Address> thousand = java.util.Collections.nCopies(1000, ipv4("203.0.113.7", 8333, 1));
        assertEquals(0, candidates(ConnectivityEvents.message(0, false, true, "1.2.3.4:8333", thousand), null).size());
        assertEquals(1000, check.metrics().skipped.value("getaddr_answer"));
    }
}
