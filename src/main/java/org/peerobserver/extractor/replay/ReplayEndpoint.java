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
    @UriParam(defaultValue = "1.0",
              description = "Pace: 1 replays at the recorded pace, 2 twice as fast; 0 as fast as possible")
    private double speed = 1.0;
    @UriParam(defaultValue = "false", description = "Start again from the beginning at the end of the capture")
    private boolean loop;
    @UriParam(defaultValue = "1", description = "Most events per exchange: 1 gives one event per exchange with the event"
            + " headers; above 1, the events due at once go as one list (bus:publish publishes each), which a replay at"
            + " full speed needs to be fast")
    private int batchSize = 1;
    @UriParam(defaultValue = "16777216", description = "Largest event accepted, in bytes")
    private int maxEventSize = 16 * 1024 * 1024;
    @UriParam(defaultValue = "false", description = "Stop the application when the replay is over: at the end of the"
            + " capture (unless loop), or at a damaged record")
    private boolean exitAtEnd;

    ReplayEndpoint(String uri, ReplayComponent component, String file) {
        super(uri, component);
        this.file = file;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("replay: is a source only; the record tool writes captures");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (speed < 0) {
            throw new IllegalArgumentException("replay speed must be 0 (as fast as possible) or more, not " + speed);
        }

        ReplayConsumer consumer = new ReplayConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getFile() {
        return file;
    }

    public double getSpeed() {
        return speed;
    }

    public void setSpeed(double speed) {
        this.speed = speed;
    }

    public boolean isLoop() {
        return loop;
    }

    public void setLoop(boolean loop) {
        this.loop = loop;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public boolean isExitAtEnd() {
        return exitAtEnd;
    }

    public void setExitAtEnd(boolean exitAtEnd) {
        this.exitAtEnd = exitAtEnd;
    }

    public int getMaxEventSize() {
        return maxEventSize;
    }

    public void setMaxEventSize(int maxEventSize) {
        this.maxEventSize = maxEventSize;
    }
}
