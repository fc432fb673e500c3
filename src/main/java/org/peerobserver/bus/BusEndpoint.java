package org.peerobserver.bus;

import java.util.List;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.peerobserver.event.EventFilter;
import org.peerobserver.event.EventHeaders;

/** {@code bus:publish} (producer) or {@code bus:subscribe?subjects=...&kinds=...} (consumer). */
@UriEndpoint(firstVersion = "0.1.0", scheme = "bus", title = "Event bus", syntax = "bus:operation",
             category = { Category.MESSAGING }, headersClass = EventHeaders.class)
public class BusEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    @UriPath(enums = "publish,subscribe", description = "publish (producer) or subscribe (consumer)")
    @Metadata(required = true)
    private final String operation;
    @UriParam(label = "consumer", defaultValue = "*,ext.*",
              description = "Subjects to receive, comma-separated, with NATS wildcards; the default is every peer-observer and ext subject")
    private String subjects = "*,ext.*";
    @UriParam(label = "consumer",
              description = "Kinds to receive, comma-separated: a kind (message.addr) or a group of them (message); empty:"
                      + " every kind of the subjects. Filtered before queueing, so batches stay whole")
    private String kinds = "";
    @UriParam(label = "consumer", defaultValue = "1",
              description = "Most events per exchange. Above 1 (tools): the events waiting, up to this many, as one"
                      + " exchange, body List<ReceivedEvent>; 1: one exchange per event, body Event with the event headers,"
                      + " for routes that choose per event by header")
    private int batchSize = 1;

    BusEndpoint(String uri, BusComponent component, String operation) {
        super(uri, component);
        if (!operation.equals("publish") && !operation.equals("subscribe")) {
            throw new IllegalArgumentException("bus endpoint must be bus:publish or bus:subscribe, not bus:" + operation);
        }
        this.operation = operation;
    }

    @Override
    public BusComponent getComponent() {
        return (BusComponent) super.getComponent();
    }

    /** Each consumer is a subscription of its own, so tools with the same subjects (logger, metrics, ...) each get every event. */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Producer createProducer() {
        if (!operation.equals("publish")) {
            throw new IllegalArgumentException("bus:" + operation + " cannot be sent to; use bus:publish");
        }
        return new BusProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!operation.equals("subscribe")) {
            throw new IllegalArgumentException("bus:" + operation + " cannot be consumed from; use bus:subscribe");
        }
        BusConsumer consumer = new BusConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    List<String> subjectList() {
        return EventFilter.entries("subjects", List.of(subjects)).stream().distinct().toList();
    }

    EventFilter kindFilter() {
        return new EventFilter(List.of(), EventFilter.entries("kinds", List.of(kinds)));
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public String getSubjects() {
        return subjects;
    }

    public void setSubjects(String subjects) {
        EventFilter.entries("subjects", List.of(subjects));
        this.subjects = subjects;
    }

    public String getKinds() {
        return kinds;
    }

    public void setKinds(String kinds) {
        EventFilter.entries("kinds", List.of(kinds));
        this.kinds = kinds;
    }
}
