package org.peerobserver.extractor.ebpf;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * {@code bitcoin-ebpf:<bitcoind binary>}: Bitcoin Core's USDT tracepoints through eBPF, as events. Its
 * options are best set once on the component ({@code camel.component.bitcoin-ebpf.configuration.*}).
 */
@Component("bitcoin-ebpf")
public class BitcoinEbpfComponent extends HealthCheckComponent {

    @Metadata(description = "Defaults for every endpoint of this component")
    private BitcoinEbpfConfiguration configuration = new BitcoinEbpfConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BitcoinEbpfEndpoint endpoint = new BitcoinEbpfEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public BitcoinEbpfConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(BitcoinEbpfConfiguration configuration) {
        this.configuration = configuration;
    }
}
