package org.peerobserver.tool.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.apache.camel.CamelContext;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHost;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHostConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHostKey;
import org.peerobserver.support.http.HttpPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The websocket tool's server: vertx-websocket's router on one of our {@link HttpPort}s rather than on a
 * bare Vert.x server, so a stranger's unfinished request is timed out and connections are capped as on
 * every other port of ours.
 */
final class FeedHost extends VertxWebsocketHost {
    private static final Logger LOG = LoggerFactory.getLogger(FeedHost.class);

    private final CamelContext context;
    private final VertxWebsocketHostConfiguration configuration;
    private final VertxWebsocketHostKey key;
    private final String policy;
    private HttpPort port;

    FeedHost(CamelContext context, VertxWebsocketHostConfiguration configuration, VertxWebsocketHostKey key, String policy) {
        super(context, configuration, key);
        this.context = context;
        this.configuration = configuration;
        this.key = key;
        this.policy = policy;
    }

    @Override
    public synchronized void start() {
        if (port == null) {
            try {
                port = HttpPort.open(context, "websocket", InetSocketAddress.createUnresolved(key.getHost(), key.getPort()), null,
                        configuration.getRouter());
            } catch (IOException e) {
                throw new IllegalStateException("Cannot serve the websocket tool on " + key.getHost() + ":" + key.getPort()
                        + " (WEBSOCKET_ADDRESS): " + e.getMessage(), e);
            }
            LOG.info("Websocket feed on ws://{}:{}/events, pages on http://{}:{}/; browsers allowed: {}", key.getHost(),
                    port.port(), key.getHost(), port.port(), policy);
        }
    }

    @Override
    public synchronized void stop() {
        if (port != null) {
            port.close();
            port = null;
        }
        getConnectedPeers().clear();
    }

    @Override
    public synchronized int getPort() {
        return port == null ? 0 : port.port();
    }
}
