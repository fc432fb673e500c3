package org.peerobserver.extractor.replay;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.peerobserver.support.EndpointDefaults;

/**
 * Options of {@code replay:}. The component holds one instance, set once from application.properties
 * ({@code camel.component.replay.configuration.*}); each endpoint gets a copy and may override options
 * in its URI.
 */
@UriParams
@Configurer
public class ReplayConfiguration extends EndpointDefaults<ReplayConfiguration> {

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

    /** Fails early, at route start, on settings that could never work. */
    void validate() {
        if (speed < 0) {
            throw new IllegalArgumentException("replay speed must be 0 (as fast as possible) or more, not " + speed);
        }
        if (batchSize < 1 || maxEventSize < 1) {
            throw new IllegalArgumentException("replay batchSize and maxEventSize must be at least 1, not " + batchSize
                    + " and " + maxEventSize);
        }
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

    public int getMaxEventSize() {
        return maxEventSize;
    }

    public void setMaxEventSize(int maxEventSize) {
        this.maxEventSize = maxEventSize;
    }

    public boolean isExitAtEnd() {
        return exitAtEnd;
    }

    public void setExitAtEnd(boolean exitAtEnd) {
        this.exitAtEnd = exitAtEnd;
    }

}
