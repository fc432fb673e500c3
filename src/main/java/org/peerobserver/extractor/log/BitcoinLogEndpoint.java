package org.peerobserver.extractor.log;

import java.nio.file.Path;

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

@UriEndpoint(firstVersion = "0.1.0", scheme = "bitcoin-log", title = "Bitcoin Core debug.log", syntax = "bitcoin-log:file",
             consumerOnly = true, remote = false, category = { Category.FILE, Category.MONITORING },
             headersClass = EventHeaders.class)
public class BitcoinLogEndpoint extends DefaultEndpoint {

    @UriPath(description = "Path of debug.log, or of a FIFO given to bitcoind as -debuglogfile; a leading ~/ is the home directory")
    @Metadata(required = true)
    private final String file;
    @UriParam
    private final BitcoinLogConfiguration configuration;

    BitcoinLogEndpoint(String uri, BitcoinLogComponent component, String file, BitcoinLogConfiguration configuration) {
        super(uri, component);
        this.file = file;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("bitcoin-log: is a source only");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("bitcoin-log needs the path of debug.log (setting BITCOIN_DEBUG_LOG)");
        }
        configuration.validate();
        BitcoinLogConsumer consumer = new BitcoinLogConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The file to follow, with a leading {@code ~/} made the user's home directory. */
    Path path() {
        return file.startsWith("~/") ? Path.of(System.getProperty("user.home"), file.substring(2)) : Path.of(file);
    }

    public String getFile() {
        return file;
    }

    public BitcoinLogConfiguration getConfiguration() {
        return configuration;
    }
}
