package org.peerobserver.bus;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import org.peerobserver.event.EventCodec;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.BusStamp;

/**
 * A NATS message's payload: upstream's {@code Event}, preceded by our {@link BusStamp} (node name, and a
 * number per publisher and subject) as field 2047, which upstream's schema does not have and its
 * decoders skip. The stamp used to travel as NATS headers; those cost each JVM about a third of its CPU
 * per small event (jnats builds, copies, writes and parses a header map per message).
 */
public final class NatsPayload {
    /** Ours: outside upstream's field numbers, and the highest with a two-byte tag. */
    static final int STAMP_FIELD = 2047;
    private static final int STAMP_TAG = STAMP_FIELD << 3 | 2;   // length-delimited

    /** A decoded payload; {@code sequence} 0 when the publisher did not number it (upstream's do not). */
    public record Decoded(Event event, String node, long publisher, long sequence) {
    }

    private NatsPayload() {
    }

    /** The payload for {@code event} from {@code node}, numbered {@code sequence} by {@code publisher}. */
    public static byte[] encode(Event event, String node, long publisher, long sequence) {
        BusStamp.Builder stamp = BusStamp.newBuilder().setPublisher(publisher).setSequence(sequence);
        if (node != null) {
            stamp.setNode(node);
        }
        BusStamp s = stamp.build();
        byte[] payload = new byte[CodedOutputStream.computeMessageSize(STAMP_FIELD, s) + event.getSerializedSize()];
        CodedOutputStream out = CodedOutputStream.newInstance(payload);
        try {
            out.writeMessage(STAMP_FIELD, s);
            event.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("serializing into an array of the computed size", e);
        }
        return payload;
    }

    /**
     * The event and, if the publisher stamped it, its node and number.
     *
     * @throws IOException an {@link InvalidProtocolBufferException} for bytes that are not an event
     */
    public static Decoded decode(byte[] payload) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(payload);
        BusStamp stamp = BusStamp.getDefaultInstance();
        int eventStart = 0;
        if (in.readTag() == STAMP_TAG) {
            stamp = in.readMessage(BusStamp.parser(), ExtensionRegistryLite.getEmptyRegistry());
            eventStart = in.getTotalBytesRead();
        }
        Event event = EventCodec.decode(payload, eventStart, payload.length - eventStart);
        return new Decoded(event, stamp.hasNode() ? stamp.getNode() : null, stamp.getPublisher(), stamp.getSequence());
    }
}
