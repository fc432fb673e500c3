package org.peerobserver.extractor.ebpf;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/** {@code bitcoin-ebpf:<bitcoind binary>}: Bitcoin Core's USDT tracepoints through eBPF, as events. */
@Component("bitcoin-ebpf")
public class BitcoinEbpfComponent extends HealthCheckComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BitcoinEbpfEndpoint endpoint = new BitcoinEbpfEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
