package org.peerobserver.bus;

import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.SampleCapture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NatsPayloadTest {
    private final List<Event> sample = SampleCapture.events();

    @Test
    void theStampAndTheEventComeBack() throws Exception {
        for (Event e : sample) {
            NatsPayload.Decoded d = NatsPayload.decode(NatsPayload.encode(e, "alpha", -42L, 7));
            assertEquals(e, d.event());
            assertEquals("alpha", d.node());
            assertEquals(-42L, d.publisher());
            assertEquals(7, d.sequence());
        }
    }

    @Test
    void upstreamDecodersSeeTheSameEventAndSkipTheStampAsAnUnknownField() throws Exception {
        Event e = sample.get(0);
        byte[] payload = NatsPayload.encode(e, "alpha", 1, 1);
        Event upstreamView = Event.parseFrom(payload);
        assertTrue(upstreamView.getUnknownFields().hasField(NatsPayload.STAMP_FIELD));
        assertEquals(e, upstreamView.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).build());
        // after the stamp, the bytes are exactly upstream's encoding of the event
        byte[] event = e.toByteArray();
        byte[] tail = java.util.Arrays.copyOfRange(payload, payload.length - event.length, payload.length);
        assertArrayEquals(event, tail);
    }

    @Test
    void anUnstampedPayloadIsAnEventWithoutNodeOrNumber() throws Exception {
        Event e = sample.get(1);
        NatsPayload.Decoded d = NatsPayload.decode(e.toByteArray());
        assertEquals(e, d.event());
        assertNull(d.node());
        assertEquals(0, d.sequence());
        assertNull(NatsPayload.decode(NatsPayload.encode(e, null, 1, 1)).node());
    }

    @Test
    void aBrokenStampOrGarbageIsRefused() {
        byte[] payload = NatsPayload.encode(sample.get(0), "alpha", 1, 1);
        payload[2] = 0x7f;   // the stamp's length now runs past the payload
        assertThrows(InvalidProtocolBufferException.class, () -> NatsPayload.decode(payload));
        assertThrows(InvalidProtocolBufferException.class, () -> NatsPayload.decode(new byte[] {(byte) 0xfa, 0x7f, 3, 1, 2}));
        assertThrows(InvalidProtocolBufferException.class, () -> NatsPayload.decode(new byte[] {1, 2, 3}));
    }

    @Test
    void gapsCountWhatNeverArrivedPerPublisherAndSubject() {
        NatsBus.Gaps gaps = new NatsBus.Gaps();
        assertEquals(0, gaps.missedBefore("netmsg", 1, 1));
        assertEquals(0, gaps.missedBefore("netmsg", 1, 2));
        assertEquals(2, gaps.missedBefore("netmsg", 1, 5));
        assertEquals(0, gaps.missedBefore("netmsg", 2, 1), "another publisher numbers on its own");
        assertEquals(0, gaps.missedBefore("conn", 1, 1), "and so does another subject");
        assertEquals(0, gaps.missedBefore("netmsg", 1, 4), "a late message is no gap");
        assertEquals(0, gaps.missedBefore("netmsg", 9, 0), "unnumbered: upstream's publishers");
    }
}
