package org.peerobserver.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import org.peerobserver.event.EventCodec;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus on a NATS server, through jnats (the client camel-nats wraps). Camel-nats' own endpoints
 * are not used here: they fail the whole application when NATS is down at start, and they have no
 * user/password or token options. This bus keeps trying to connect in the background (health DOWN
 * meanwhile), and once connected lets jnats reconnect without limit and restore subscriptions.
 *
 * <p>Payloads are upstream's (one protobuf {@code Event} per message); the node name travels as
 * the NATS header {@code eventNode}, which upstream tools ignore.
 */
final class NatsBus implements Bus {
    private static final Logger LOG = LoggerFactory.getLogger(NatsBus.class);

    private final Options options;
    private final BusStatistics statistics;
    private final RateLimitedLog publishFailures = new RateLimitedLog(LOG);
    private final RateLimitedLog malformedLog = new RateLimitedLog(LOG);
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Thread connector;
    private volatile Connection connection;
    private volatile String lastConnectError = "not tried yet";
    /** jnats reports the real cause of a failed connect (refused, certificate, ...) only to the error listener. */
    private volatile String lastClientError;
    private volatile boolean closed;
    private volatile NodeHeaders nodeHeaders;

    NatsBus(Options.Builder options, BusStatistics statistics, String servers) {
        this.statistics = statistics;
        this.options = options.maxReconnects(-1).connectionListener(stateLogger(servers))
                .errorListener(new QuietErrors()).build();
        statistics.addOverflowSource(() -> subscriptions.stream().mapToLong(Subscription::dropped).sum());
        this.connector = new Thread(this::connectUntilConnected, "nats-connect");
        this.connector.setDaemon(true);
        this.connector.start();
    }

    /** Waits a little for the first connection, so events at start-up are not lost to a race. */
    void awaitFirstConnection(long millis) throws InterruptedException {
        if (millis > 0) {
            connector.join(millis);
        }
    }

    private static ConnectionListener stateLogger(String servers) {
        return (conn, event) -> {
            switch (event) {
                case CONNECTED -> LOG.info("Connected to NATS at {}", conn.getConnectedUrl());
                case DISCONNECTED -> {
                    if (conn.getConnectedUrl() != null) {
                        LOG.warn("Lost the NATS connection to {}; reconnecting without limit", servers);
                    }
                }
                case RECONNECTED -> LOG.info("Reconnected to NATS at {}", conn.getConnectedUrl());
                default -> LOG.debug("NATS connection event {}", event);
            }
        };
    }

    /** jnats logs every failed attempt as an error; the bus reports state changes and counts instead. */
    private final class QuietErrors implements ErrorListener {
        private final RateLimitedLog serverErrors = new RateLimitedLog(LOG);

        @Override
        public void errorOccurred(Connection conn, String error) {
            serverErrors.warn("NATS server says: " + error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.debug("NATS client: {}", exp.toString());
            Throwable root = exp;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            lastClientError = root.getMessage() == null ? root.toString() : root.getMessage();
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            serverErrors.warn("A NATS subscriber is too slow; jnats drops events for it"
                    + " (counted in peerobserver_bus_dropped{reason=\"subscriber_overflow\"})");
        }
    }

    /** The first connection: jnats only reconnects by itself once it has been connected. */
    private void connectUntilConnected() {
        long wait = 500;
        while (!closed && connection == null) {
            try {
                Connection c = Nats.connect(options);
                synchronized (this) {
                    if (closed) {
                        c.close();
                        return;
                    }
                    connection = c;
                    subscriptions.forEach(s -> s.start(c));
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                String reason = (e.getMessage() == null ? e.toString() : e.getMessage())
                        + (lastClientError == null ? "" : ": " + lastClientError);
                if (!reason.equals(lastConnectError)) {
                    LOG.warn("Cannot connect to NATS ({}); retrying in the background", reason);
                }
                lastConnectError = reason;
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException ie) {
                    return;
                }
                wait = Math.min(wait * 2, 5000);
            }
        }
    }

    @Override
    public void publish(Event event, EventKind kind, String node) {
        Connection c = connection;
        if (c == null) {
            failed("not connected to NATS yet (" + lastConnectError + ")");
            return;
        }
        try {
            c.publish(kind.subject(), headers(node), event.toByteArray());
            statistics.published.increment();
        } catch (RuntimeException e) {
            // reconnect buffer full, payload over the server's max_payload, connection closed
            failed(e.getMessage());
        }
    }

    /** Read-only headers are published as they are; jnats copies any others, once per message. */
    private Headers headers(String node) {
        NodeHeaders h = nodeHeaders;
        if (h == null || !h.node.equals(node)) {
            h = new NodeHeaders(node, new Headers(new Headers().put(EventHeaders.NODE, node), true));
            nodeHeaders = h;
        }
        return h.headers;
    }

    private record NodeHeaders(String node, Headers headers) {
    }

    private void failed(String reason) {
        statistics.publishFailed.increment();
        publishFailures.warn("Events are not reaching NATS: " + reason
                + " (counted in peerobserver_bus_dropped{reason=\"publish_failed\"})");
    }

    @Override
    public synchronized AutoCloseable subscribe(List<String> subjects, Sink sink) {
        Subscription s = new Subscription(subjects, sink);
        subscriptions.add(s);
        if (connection != null) {
            s.start(connection);
        }
        return () -> {
            subscriptions.remove(s);
            s.stop();
        };
    }

    @Override
    public String unavailableReason() {
        Connection c = connection;
        if (c == null) {
            return "not connected to NATS yet: " + lastConnectError;
        }
        return c.getStatus() == Connection.Status.CONNECTED ? null : "NATS connection is " + c.getStatus();
    }

    @Override
    public void close() {
        closed = true;
        connector.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.flush(Duration.ofSeconds(2));
            } catch (Exception e) {
                LOG.debug("Flush on close failed: {}", e.toString());
            }
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Subscription {
        final List<String> subjects;
        final Sink sink;
        Dispatcher dispatcher;

        Subscription(List<String> subjects, Sink sink) {
            this.subjects = new ArrayList<>(subjects);
            this.sink = sink;
        }

        synchronized void start(Connection c) {
            dispatcher = c.createDispatcher(msg -> {
                Event event;
                EventKind kind;
                try {
                    event = EventCodec.decode(msg.getData());
                    kind = EventKind.of(event);
                } catch (Exception e) {
                    statistics.malformed.increment();
                    malformedLog.warn("Skipped a payload on NATS subject " + msg.getSubject()
                            + " that is not a peer-observer event: " + e.getMessage()
                            + " (counted in peerobserver_bus_dropped{reason=\"malformed\"})");
                    return;
                }
                statistics.received.increment();
                String node = msg.getHeaders() == null ? null : msg.getHeaders().getFirst(EventHeaders.NODE);
                try {
                    sink.accept(event, kind, node == null ? "unknown" : node);
                } catch (Exception e) {
                    // the sink is a Camel consumer that handles its own errors; this is a last resort
                    LOG.warn("Subscriber failed on an event: {}", e.toString());
                }
            });
            subjects.forEach(dispatcher::subscribe);
        }

        synchronized long dropped() {
            return dispatcher == null ? 0 : dispatcher.getDroppedCount();
        }

        synchronized void stop() {
            if (dispatcher != null && connection != null) {
                connection.closeDispatcher(dispatcher);
            }
        }
    }
}
