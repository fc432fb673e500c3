package org.peerobserver.extractor.log;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/** {@code bitcoin-log:<debug.log path>}: follows a Bitcoin Core debug.log and emits log events. */
@Component("bitcoin-log")
public class BitcoinLogComponent extends HealthCheckComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BitcoinLogEndpoint endpoint = new BitcoinLogEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
