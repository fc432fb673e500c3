package org.peerobserver.tool.websocket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import org.peerobserver.proto.event.Event;

/** The feed's text frames, as docs/websocket.md describes them. */
final class FeedFrames {
    private static final ObjectMapper JSON = new ObjectMapper();
    // snake_case field names, as in the .proto files and upstream's JSON
    private static final JsonFormat.Printer EVENT = JsonFormat.printer().preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    private FeedFrames() {
    }

    /** {@code {"subject","kind","node","timestamp","event"}}: the event in protobuf's JSON mapping. */
    static String event(Event event, String subject, String kind, String node) {
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

    /** Told to a client before the next frame it gets after frames were dropped for it. */
    static String missed(long sinceLastNotice, long total) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("missed", sinceLastNotice);
        frame.put("missed_total", total);
        return frame.toString();
    }
}
