package org.peerobserver.event;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.message.Inv;
import org.peerobserver.proto.ebpf.message.Ping;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.testing.SampleEvents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTextTest {
    private static final Address ADDRESS = Address.newBuilder().setTimestamp(1).setIpv4("192.0.2.1").setServices(1).setPort(8333)
            .build();
    private final SampleEvents events = new SampleEvents(1, 1_700_000_000_000L);

    @Test
    void pingReadsAsOneLineWithUnsignedNonce() {
        Event e = events.message(3, "1.2.3.4:8333", "ping", false, 8, b -> b.setPing(Ping.newBuilder().setValue(-1L)));
        assertEquals("message.ping node=alice at=2023-11-14T22:13:20Z meta={peer_id=3 addr=1.2.3.4:8333 "
                + "conn_type=OutboundFullRelay command=ping inbound=false size=8} ping={value=18446744073709551615}",
                EventText.line(e, "message.ping", "alice"));
    }

    @Test
    void hashesInDisplayOrderAndLongListsCut() {
        byte[] hash = new byte[32];
        hash[0] = 0x01;  // internal order: first byte shows last
        Inv.Builder inv = Inv.newBuilder();
        for (int i = 0; i < 20; i++) {
            inv.addItems(InventoryItem.newBuilder().setWtx(ByteString.copyFrom(hash)));
        }
        String line = EventText.line(events.message(1, "x:1", "inv", true, 721, b -> b.setInv(inv)), "message.inv", "n");
        assertTrue(line.contains("{wtx=" + "00".repeat(31) + "01}"), line);
        assertTrue(line.contains("… +12 more]"), line);
    }

    @Test
    void stringsAreQuotedEscapedAndCutSoNoValuePassesForAnotherFieldOrLine() {
        Event e = events.message(3, "1.2.3.4:8333", "version", true, 102, b -> b.setVersion(Version.newBuilder()
                .setVersion(70016).setServices(1).setTimestamp(1).setReceiver(ADDRESS).setSender(ADDRESS).setNonce(1).setStartHeight(1)
                .setRelay(true).setUserAgent("/x\" fake=1 \\\n\u001b[31m" + "A".repeat(4096))));
        String line = EventText.line(e, "message.version", "bad\nnode");
        assertTrue(line.startsWith("message.version node=\"bad\\nnode\" at="), line);
        String agent = line.substring(line.indexOf("user_agent=") + "user_agent=".length());
        assertTrue(agent.startsWith("\"/x\\\" fake=1 \\\\\\n\\x1b[31mAAA"), agent);
        assertTrue(agent.contains("A...(3864 more)\""), agent);
        assertTrue(line.chars().noneMatch(c -> c < ' '), line);
    }

    @Test
    void plainStringsStayUnquoted() {
        Event e = events.message(3, "[2001:db8::1]:8333", "ping", false, 8, b -> b.setPing(Ping.newBuilder().setValue(1)));
        assertTrue(EventText.line(e, "message.ping", "alice").contains("addr=[2001:db8::1]:8333 "));
    }
}
