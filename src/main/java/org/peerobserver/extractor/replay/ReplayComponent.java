package org.peerobserver.extractor.replay;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * {@code replay:<capture file>}: emits the events of a capture, at recorded pace or as fast as possible.
 * Its options are best set once on the component ({@code camel.component.replay.configuration.*}).
 */
@Component("replay")
public class ReplayComponent extends HealthCheckComponent {

    @Metadata(description = "Defaults for every endpoint of this component")
    private ReplayConfiguration configuration = new ReplayConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        // a capture that is not there is a mistake in the settings, not a replay to wait for: the start fails
        if (!remaining.startsWith(ReplayConsumer.ARCHIVE) && !CaptureReader.exists(remaining)) {
            throw new IllegalArgumentException("the capture " + remaining + " cannot be read (missing, not a file, or no"
                    + " permission; setting REPLAY_FILE or --replay-file)");
        }
        ReplayEndpoint endpoint = new ReplayEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public ReplayConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(ReplayConfiguration configuration) {
        this.configuration = configuration;
    }
}
