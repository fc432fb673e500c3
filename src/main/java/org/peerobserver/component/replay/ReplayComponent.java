package org.peerobserver.component.replay;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** {@code replay:<capture file>}: emits the events of a capture, at recorded pace or as fast as possible. */
@Component("replay")
public class ReplayComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ReplayEndpoint endpoint = new ReplayEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
