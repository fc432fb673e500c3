package org.peerobserver.extractor.log;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * {@code bitcoin-log:<debug.log path>}: follows a Bitcoin Core debug.log and emits log events. Its
 * options are best set once on the component ({@code camel.component.bitcoin-log.configuration.*}).
 */
@Component("bitcoin-log")
public class BitcoinLogComponent extends HealthCheckComponent {

    @Metadata(description = "Defaults for every endpoint of this component")
    private BitcoinLogConfiguration configuration = new BitcoinLogConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BitcoinLogEndpoint endpoint = new BitcoinLogEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public BitcoinLogConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(BitcoinLogConfiguration configuration) {
        this.configuration = configuration;
    }
}
