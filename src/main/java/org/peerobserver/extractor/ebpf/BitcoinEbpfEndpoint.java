package org.peerobserver.extractor.ebpf;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.peerobserver.event.EventHeaders;

@UriEndpoint(firstVersion = "0.1.0", scheme = "bitcoin-ebpf", title = "Bitcoin Core USDT tracepoints (eBPF)",
             syntax = "bitcoin-ebpf:binary", consumerOnly = true, remote = false, category = { Category.MONITORING },
             headersClass = EventHeaders.class)
public class BitcoinEbpfEndpoint extends DefaultEndpoint {

    @UriPath(description = "Path of the bitcoind binary (built with tracepoints, Bitcoin Core v29 or newer)")
    @Metadata(required = true)
    private final String binary;
    @UriParam
    private final BitcoinEbpfConfiguration configuration;

    BitcoinEbpfEndpoint(String uri, BitcoinEbpfComponent component, String binary, BitcoinEbpfConfiguration configuration) {
        super(uri, component);
        this.binary = binary;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("bitcoin-ebpf: is a source only");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (binary == null || binary.isBlank()) {
            throw new IllegalArgumentException("bitcoin-ebpf needs the path of the bitcoind binary (setting BITCOIND_PATH)");
        }
        configuration.validate();
        BitcoinEbpfConsumer consumer = new BitcoinEbpfConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getBinary() {
        return binary;
    }

    public BitcoinEbpfConfiguration getConfiguration() {
        return configuration;
    }
}
