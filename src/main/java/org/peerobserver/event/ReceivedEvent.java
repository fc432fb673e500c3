package org.peerobserver.event;

import org.peerobserver.proto.event.Event;

/**
 * One event as a subscriber gets it: with its kind and the node it came from. A {@code bus:subscribe}
 * route with {@code batchSize} above 1 gets a {@code List<ReceivedEvent>} body instead of one event and headers.
 */
public record ReceivedEvent(Event event, EventKind kind, String node) {

    public String subject() {
        return kind.subject();
    }
}
