package org.peerobserver.bus;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import org.peerobserver.event.EventCodec;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;

/**
 * Publishes the body (an {@code Event}, or its bytes) on the subject its content calls for, and
 * stamps the event headers on the exchange. A body that is no valid event fails the exchange.
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
        Event event = event(exchange);
        EventKind kind = EventKind.of(event);
        String node = exchange.getIn().getHeader(EventHeaders.NODE, String.class);
        if (node == null) {
            node = getEndpoint().getComponent().getNode();
        }
        exchange.getIn().setHeader(EventHeaders.SUBJECT, kind.subject());
        exchange.getIn().setHeader(EventHeaders.KIND, kind.kind());
        exchange.getIn().setHeader(EventHeaders.NODE, node);
        getEndpoint().getComponent().bus().publish(event, kind, node);
    }

    private static Event event(Exchange exchange) throws InvalidPayloadException, InvalidProtocolBufferException {
        Object body = exchange.getIn().getBody();
        if (body instanceof Event e) {
            return e;
        }
        if (body instanceof byte[] bytes) {
            return EventCodec.decode(bytes);
        }
        throw new InvalidPayloadException(exchange, Event.class);
    }
}
