package org.peerobserver.bus;

import java.util.List;

import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.peerobserver.event.EventExchanges;
import org.peerobserver.event.ReceivedEvent;

/**
 * Hands each event of the subscribed subjects to the route, body {@code Event}, with the event headers;
 * or, with {@code batchSize} above 1, the events waiting as one exchange, body {@code List<ReceivedEvent>}.
 */
public class BusConsumer extends DefaultConsumer {
    private AutoCloseable subscription;

    BusConsumer(BusEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public BusEndpoint getEndpoint() {
        return (BusEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        subscription = getEndpoint().getComponent().bus().subscribe(getRouteId(), getEndpoint().subjectList(),
                this::deliver);
    }

    private void deliver(List<ReceivedEvent> events) {
        int batch = getEndpoint().getBatchSize();
        if (batch <= 1) {
            events.forEach(e -> EventExchanges.emit(this, e.event(), e.kind(), e.node()));
            return;
        }
        for (int from = 0; from < events.size(); from += batch) {
            EventExchanges.emitBatch(this, events.subList(from, Math.min(events.size(), from + batch)));
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        super.doStop();
    }
}
