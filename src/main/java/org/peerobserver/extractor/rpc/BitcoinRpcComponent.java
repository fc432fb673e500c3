package org.peerobserver.extractor.rpc;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * {@code bitcoin-rpc:<name>} polls a Bitcoin Core node and emits upstream's rpc events;
 * {@code bitcoin-rpc:call?method=...} calls one method per exchange. Connection and credentials are best
 * set once on the component ({@code camel.component.bitcoin-rpc.configuration.*}), so no URI carries them.
 */
@Component("bitcoin-rpc")
public class BitcoinRpcComponent extends HealthCheckComponent {

    @Metadata(description = "Defaults for every endpoint of this component")
    private BitcoinRpcConfiguration configuration = new BitcoinRpcConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BitcoinRpcEndpoint endpoint = new BitcoinRpcEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public BitcoinRpcConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(BitcoinRpcConfiguration configuration) {
        this.configuration = configuration;
    }
}
