package org.peerobserver.event;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultConsumer;
import org.peerobserver.proto.event.Event;

/** How every event source hands one event to its route. */
public final class EventExchanges {
    private EventExchanges() {
    }

    /**
     * Processes {@code event} (of {@code kind}) as a new exchange of {@code consumer}, with the event headers set
     * ({@code node} only when known). Failures go to the consumer's exception handler.
     */
    public static void emit(DefaultConsumer consumer, Event event, EventKind kind, String node) {
        Exchange exchange = consumer.createExchange(false);
        try {
            exchange.getIn().setBody(event);
            exchange.getIn().setHeader(EventHeaders.SUBJECT, kind.subject());
            exchange.getIn().setHeader(EventHeaders.KIND, kind.kind());
            if (node != null) {
                exchange.getIn().setHeader(EventHeaders.NODE, node);
            }
            consumer.getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                consumer.getExceptionHandler().handleException("Error processing an event", exchange, exchange.getException());
            }
            consumer.releaseExchange(exchange, false);
        }
    }
}
