package org.peerobserver.extractor.p2p;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * {@code bitcoin-p2p:listen} (nodes dial us, e.g. with {@code -addnode}), {@code bitcoin-p2p:connect} (we dial a
 * node) and {@code bitcoin-p2p:handshake} (a producer that dials, exchanges versions and reports the node's).
 * Options are best set once on the component ({@code camel.component.bitcoin-p2p.configuration.*}).
 */
@Component("bitcoin-p2p")
public class BitcoinP2pComponent extends HealthCheckComponent {

    @Metadata(description = "Defaults for every endpoint of this component")
    private BitcoinP2pConfiguration configuration = new BitcoinP2pConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BitcoinP2pEndpoint.Mode mode = BitcoinP2pEndpoint.Mode.of(remaining);
        BitcoinP2pEndpoint endpoint = new BitcoinP2pEndpoint(uri, this, mode, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public BitcoinP2pConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(BitcoinP2pConfiguration configuration) {
        this.configuration = configuration;
    }
}
