package org.peerobserver.event;

import com.google.protobuf.InvalidProtocolBufferException;
import org.peerobserver.proto.event.Event;

/** Bytes to events, tolerant the way upstream's prost decoder is. */
public final class EventCodec {
    private EventCodec() {
    }

    /**
     * Decodes one event. Partial parsing, because upstream passes enum numbers our closed proto2
     * enums do not know (they then sit in the unknown fields, which a strict parse reports as a
     * missing required field). An event that no subject fits is refused like undecodable bytes.
     */
    public static Event decode(byte[] bytes) throws InvalidProtocolBufferException {
        return decode(bytes, 0, bytes.length);
    }

    /** {@link #decode(byte[])} of {@code length} bytes from {@code offset}. */
    public static Event decode(byte[] bytes, int offset, int length) throws InvalidProtocolBufferException {
        Event event = Event.parser().parsePartialFrom(bytes, offset, length);
        try {
            EventKind.of(event);
        } catch (EventKind.InvalidEventException e) {
            throw new InvalidProtocolBufferException(e.getMessage());
        }
        return event;
    }
}
