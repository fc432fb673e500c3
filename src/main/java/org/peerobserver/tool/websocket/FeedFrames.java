package org.peerobserver.tool.websocket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The feed's notice of missed frames (docs/websocket.md); an event's frame is {@link org.peerobserver.event.EventJson}. */
final class FeedFrames {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FeedFrames() {
    }

    /** Told to a client before the next frame it gets after frames were dropped for it. */
    static String missed(long sinceLastNotice, long total) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("missed", sinceLastNotice);
        frame.put("missed_total", total);
        return frame.toString();
    }
}
