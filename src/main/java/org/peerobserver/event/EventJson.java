package org.peerobserver.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import org.peerobserver.proto.event.Event;

/**
 * An event as one line of JSON: {@code {"subject","kind","node","timestamp","event"}}, the event in protobuf's
 * JSON mapping with the .proto files' snake_case names, as upstream's JSON. The websocket feed's frames and
 * the type converters (docs/events.md) both write this.
 */
public final class EventJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Printer EVENT = JsonFormat.printer().preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    private EventJson() {
    }

    /** {@code node} may be null (an event not yet published has none). */
    public static String of(Event event, String subject, String kind, String node) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("subject", subject);
        frame.put("kind", kind);
        frame.put("node", node);
        frame.put("timestamp", event.getTimestamp());
        try {
            frame.putRawValue("event", new RawValue(EVENT.print(event)));
        } catch (InvalidProtocolBufferException e) {
            // only for Any fields with unknown types, which our protos do not have
            throw new IllegalStateException(e);
        }
        return frame.toString();
    }

    /** An event as a source made it: no node yet. */
    public static String of(Event event) {
        EventKind kind = EventKind.of(event);
        return of(event, kind.subject(), kind.kind(), null);
    }

    public static String of(ReceivedEvent event) {
        return of(event.event(), event.subject(), event.kind().kind(), event.node());
    }
}
