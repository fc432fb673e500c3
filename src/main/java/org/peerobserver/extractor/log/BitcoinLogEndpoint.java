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
    @UriParam(defaultValue = "false", description = "Read the file from its start; by default only lines written from now on")
    private boolean fromStart;
    @UriParam(defaultValue = "200", description = "How long to wait for new lines (or for the file to appear) before looking again, in ms")
    private long pollInterval = 200;
    @UriParam(defaultValue = "65536", description = "Longest line kept, in bytes; longer lines are skipped and counted")
    private int maxLineLength = 64 * 1024;

    BitcoinLogEndpoint(String uri, BitcoinLogComponent component, String file) {
        super(uri, component);
        this.file = file;
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
        if (pollInterval < 1 || maxLineLength < 1) {
            throw new IllegalArgumentException("bitcoin-log pollInterval and maxLineLength must be at least 1, not "
                    + pollInterval + " and " + maxLineLength);
        }
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

    public boolean isFromStart() {
        return fromStart;
    }

    public void setFromStart(boolean fromStart) {
        this.fromStart = fromStart;
    }

    public long getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(long pollInterval) {
        this.pollInterval = pollInterval;
    }

    public int getMaxLineLength() {
        return maxLineLength;
    }

    public void setMaxLineLength(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }
}
