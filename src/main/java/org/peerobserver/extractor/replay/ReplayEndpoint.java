package org.peerobserver.extractor.replay;

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

@UriEndpoint(firstVersion = "0.1.0", scheme = "replay", title = "Replay a capture", syntax = "replay:file",
             consumerOnly = true, remote = false, category = { Category.FILE }, headersClass = EventHeaders.class)
public class ReplayEndpoint extends DefaultEndpoint {

    @UriPath(description = "Capture file, or classpath:name for one shipped in the jar")
    @Metadata(required = true)
    private final String file;
    @UriParam
    private final ReplayConfiguration configuration;

    ReplayEndpoint(String uri, ReplayComponent component, String file, ReplayConfiguration configuration) {
        super(uri, component);
        this.file = file;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("replay: is a source only; the record tool writes captures");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        configuration.validate();
        ReplayConsumer consumer = new ReplayConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getFile() {
        return file;
    }

    public ReplayConfiguration getConfiguration() {
        return configuration;
    }
}
