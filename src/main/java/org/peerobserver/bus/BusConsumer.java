package org.peerobserver.bus;

import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.peerobserver.event.EventExchanges;

/** Hands each event of the subscribed subjects to the route, body {@code Event}, with the event headers. */
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
                (event, kind, node) -> EventExchanges.emit(this, event, kind, node));
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
