package org.peerobserver.extractor.rpc;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

@UriEndpoint(firstVersion = "0.1.0", scheme = "bitcoin-rpc", title = "Bitcoin Core JSON-RPC", syntax = "bitcoin-rpc:name",
             category = { Category.MONITORING, Category.RPC }, headersClass = BitcoinRpcConstants.class)
public class BitcoinRpcEndpoint extends ScheduledPollEndpoint {

    @UriPath(description = "A name for this endpoint, e.g. node (consumer) or call (producer)")
    @Metadata(required = true)
    private final String name;
    @UriParam
    private final BitcoinRpcConfiguration configuration;

    BitcoinRpcEndpoint(String uri, BitcoinRpcComponent component, String name, BitcoinRpcConfiguration configuration) {
        super(uri, component);
        this.name = name;
        this.configuration = configuration;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        configuration.validate();
        if (configuration.polledMethods().isEmpty()) {
            throw new IllegalArgumentException("bitcoin-rpc:" + name + " has every RPC switched off: nothing to poll");
        }
        BitcoinRpcConsumer consumer = new BitcoinRpcConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        configuration.validate();
        return new BitcoinRpcProducer(this);
    }

    public String getName() {
        return name;
    }

    public BitcoinRpcConfiguration getConfiguration() {
        return configuration;
    }
}
