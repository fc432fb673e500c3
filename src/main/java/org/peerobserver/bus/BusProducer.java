package org.peerobserver.bus;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import org.peerobserver.event.EventCodec;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;

/**
 * Publishes the body (an {@code Event}, a {@code ReceivedEvent}, or an event's bytes) on the subject its
 * content calls for, and stamps the event headers on the exchange. A body that is no valid event fails
 * the exchange. A {@code List} body (a batch from a fast source, or events a tool made) publishes each
 * element the same way, in order, without the subject and kind headers; a {@code ReceivedEvent} keeps its kind,
 * its weight and its node (when it has one).
 */
public class BusProducer extends DefaultProducer {

    BusProducer(BusEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public BusEndpoint getEndpoint() {
        return (BusEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String node = exchange.getIn().getHeader(EventHeaders.NODE, String.class);
        if (node == null) {
            node = getEndpoint().getComponent().getNode();
        }
        exchange.getIn().setHeader(EventHeaders.NODE, node);
        Bus bus = getEndpoint().getComponent().bus();
        Object body = exchange.getIn().getBody();
        if (body instanceof List<?> batch) {
            List<ReceivedEvent> events = new ArrayList<>(batch.size());
            try {
                for (Object element : batch) {
                    if (element instanceof ReceivedEvent r) {
                        events.add(r.node() != null ? r : new ReceivedEvent(r.event(), r.kind(), node, r.weight()));
                    } else {
                        Event event = event(exchange, element);
                        events.add(new ReceivedEvent(event, EventKind.of(event), node));
                    }
                }
            } finally {
                // the events before an invalid one are sent, as they would have been one by one
                bus.publishAll(events);
            }
            return;
        }
        Event event = event(exchange, body);
        EventKind kind = EventKind.of(event);
        exchange.getIn().setHeader(EventHeaders.SUBJECT, kind.subject());
        exchange.getIn().setHeader(EventHeaders.KIND, kind.kind());
        bus.publish(event, kind, node);
    }

    private static Event event(Exchange exchange, Object body) throws InvalidPayloadException, InvalidProtocolBufferException {
        if (body instanceof Event e) {
            return e;
        }
        if (body instanceof ReceivedEvent r) {
            return r.event();
        }
        if (body instanceof byte[] bytes) {
            return EventCodec.decode(bytes);
        }
        throw new InvalidPayloadException(exchange, Event.class);
    }
}
