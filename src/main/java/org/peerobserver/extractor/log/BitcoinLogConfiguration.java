package org.peerobserver.extractor.log;

import java.time.Duration;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.peerobserver.support.EndpointDefaults;

/**
 * Options of {@code bitcoin-log:}. The component holds one instance, set once from application.properties
 * ({@code camel.component.bitcoin-log.configuration.*}); each endpoint gets a copy and may override
 * options in its URI.
 */
@UriParams
@Configurer
public class BitcoinLogConfiguration extends EndpointDefaults<BitcoinLogConfiguration> {

    @UriParam(defaultValue = "false", description = "Read the file from its start; by default only lines written from now on")
    private boolean fromStart;
    @UriParam(defaultValue = "200ms", javaType = "java.time.Duration",
              description = "How long to wait for new lines (or for the file to appear) before looking again")
    private Duration pollInterval = Duration.ofMillis(200);
    @UriParam(defaultValue = "65536", description = "Longest line kept, in bytes; longer lines are skipped and counted")
    private int maxLineLength = 64 * 1024;

    /** Fails early, at route start, on settings that could never work. */
    void validate() {
        if (pollInterval.toMillis() < 1 || maxLineLength < 1) {
            throw new IllegalArgumentException("bitcoin-log pollInterval must be at least 1ms and maxLineLength at least 1, not "
                    + pollInterval + " and " + maxLineLength);
        }
    }

    public boolean isFromStart() {
        return fromStart;
    }

    public void setFromStart(boolean fromStart) {
        this.fromStart = fromStart;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public int getMaxLineLength() {
        return maxLineLength;
    }

    public void setMaxLineLength(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

}
