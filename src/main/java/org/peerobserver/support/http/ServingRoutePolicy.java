package org.peerobserver.support.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/**
 * A tool's route policy that serves HTTP while its route runs: the ports it opens with {@link #serve} (in
 * {@code onStart}) are closed when the route stops or is removed, and when a later one of them fails to open.
 */
public abstract class ServingRoutePolicy extends RoutePolicySupport {
    private final List<HttpPort> ports = new CopyOnWriteArrayList<>();

    /** {@link HttpPort#open} on the route's context, the port kept to be closed with the route. */
    protected HttpPort serve(Route route, String name, InetSocketAddress address, KeyCertOptions tls,
            Handler<HttpServerRequest> handler) throws IOException {
        try {
            HttpPort port = HttpPort.open(route.getCamelContext(), name, address, tls, handler);
            ports.add(port);
            return port;
        } catch (IOException | RuntimeException e) {
            closePorts();
            throw e;
        }
    }

    @Override
    public void onStop(Route route) {
        closePorts();
    }

    @Override
    public void onRemove(Route route) {
        onStop(route);
    }

    private void closePorts() {
        ports.forEach(HttpPort::close);
        ports.clear();
    }
}
