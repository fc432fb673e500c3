package org.peerobserver.support.http;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import org.apache.camel.CamelContext;
import org.peerobserver.support.RateLimitedLog;
import org.peerobserver.support.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening HTTP/1.1 port, on the process's {@link SharedVertx}: the metrics ports, the FIBRE
 * exporter's health port and the websocket tool's port. What strangers can hold is bounded by
 * {@link HttpLimits}: a new connection must send a whole request head within the header timeout, a
 * connection waiting between requests is closed after the idle timeout, and at most maxConnections are
 * open; when a new one comes to a full port, the oldest connection waiting for a request is closed to
 * make room, and only when every connection is busy (answering, or a websocket) is the new one refused.
 * Each refusal is counted ({@code peerobserver_http_connections_refused_total{server,reason}} in the
 * metricsRegistry) and logged at most once a minute per reason.
 */
public final class HttpPort implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPort.class);
    /** How often deadlines are checked; a deadline is met to within this. */
    private static final long SWEEP_MILLIS = 200;
    /** The deadline of a connection that is answering a request or has become a websocket. */
    private static final long NONE = Long.MAX_VALUE;
    private static final int SWITCHING_PROTOCOLS = 101;
    /** host:port of the ports open in this process: Vert.x would quietly share a second listener on one. */
    private static final Set<String> BOUND = ConcurrentHashMap.newKeySet();

    /** Why a connection was closed against its will. */
    enum Refusal {
        HEADER_TIMEOUT("header_timeout", "closed a connection that sent no whole request head within %d s (HTTP_HEADER_TIMEOUT)"),
        EVICTED("evicted", "closed the oldest connection waiting for a request to make room: %d connections open (HTTP_MAX_CONNECTIONS)"),
        FULL("full", "refused a connection: all %d connections busy (HTTP_MAX_CONNECTIONS)"),
        TLS_HANDSHAKE("tls_handshake", "closed a connection whose TLS handshake failed or took over %d s (HTTP_HEADER_TIMEOUT)");

        final String label;
        final String text;

        Refusal(String label, String text) {
            this.label = label;
            this.text = text;
        }
    }

    /** One open connection; its fields are guarded by {@link #open}. */
    private static final class Slot {
        final HttpConnection connection;
        /** The request being answered; null while waiting for one. */
        HttpServerRequest request;
        /** System.nanoTime by which the next request head must be in, or {@link #NONE}. */
        long deadline;
        boolean answeredOne;

        Slot(HttpConnection connection, long deadline) {
            this.connection = connection;
            this.deadline = deadline;
        }

        boolean waiting() {
            return request == null && deadline != NONE;
        }
    }

    private final String name;
    private final HttpLimits limits;
    private final Handler<HttpServerRequest> handler;
    private final Vertx vertx;
    private final Map<HttpConnection, Slot> open = new LinkedHashMap<>();
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);
    private final Map<Refusal, RateLimitedLog> refusalLogs = new EnumMap<>(Refusal.class);
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;
    private HttpServer server;
    private long sweeper = -1;
    private String bound;

    private HttpPort(String name, HttpLimits limits, Handler<HttpServerRequest> handler) {
        this.name = name;
        this.limits = limits;
        this.handler = handler;
        for (Refusal r : Refusal.values()) {
            refused.put(r, new LongAdder());
            refusalLogs.put(r, new RateLimitedLog(LOG));
        }
        this.vertx = SharedVertx.acquire();
    }

    /**
     * Serves {@code handler} on {@code address} with the {@code httpLimits} bean of {@code context} (the
     * defaults if there is none), counting refusals in its {@code metricsRegistry} if there is one.
     * {@code name} labels the counts and the log lines; {@code tls} null: plain HTTP.
     */
    public static HttpPort open(CamelContext context, String name, InetSocketAddress address, KeyCertOptions tls,
            Handler<HttpServerRequest> handler) throws IOException {
        HttpLimits limits = context.getRegistry().lookupByNameAndType(HttpLimits.BEAN, HttpLimits.class);
        HttpPort port = new HttpPort(name, limits == null ? new HttpLimits() : limits, handler);
        try {
            port.listen(address, tls);
        } catch (IOException | RuntimeException e) {
            port.close();
            throw e;
        }
        port.count(context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class));
        return port;
    }

    private void listen(InetSocketAddress address, KeyCertOptions tls) throws IOException {
        String host = address.getHostString();
        if (address.getPort() > 0) {
            if (!BOUND.add(host + ":" + address.getPort())) {
                throw new BindException("Address already in use (by another port of this process)");
            }
            bound = host + ":" + address.getPort();
        }
        // HTTP/1.1 only: a connection carries one request at a time, which is what the deadlines follow
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false);
        if (tls != null) {
            options.setSsl(true).setKeyCertOptions(tls)
                    .setSslHandshakeTimeout(limits.getHeaderTimeout()).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
        }
        HttpServer s = vertx.createHttpServer(options)
                .connectionHandler(this::opened)
                .requestHandler(this::request)
                .exceptionHandler(e -> {
                    // before a connection exists: with TLS, a handshake that failed or timed out
                    if (tls != null) {
                        refuse(Refusal.TLS_HANDSHAKE, null, SafeText.of(e.toString()));
                    } else {
                        LOG.debug("{}: connection failed: {}", name, e.toString());
                    }
                });
        try {
            server = s.listen(address.getPort(), host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer from Vert.x within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (bound == null) {
            bound = host + ":" + server.actualPort();
            BOUND.add(bound);
        }
        sweeper = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
    }

    private void count(MeterRegistry meterRegistry) {
        registry = meterRegistry;
        if (registry == null) {
            return;
        }
        refused.forEach((reason, count) -> meters.add(FunctionCounter.builder("peerobserver_http_connections_refused", count,
                LongAdder::doubleValue).description("connections to our HTTP ports closed against their will, by port and reason")
                .tags("server", name, "reason", reason.label).register(registry)));
        meters.add(Gauge.builder("peerobserver_http_connections", this, HttpPort::connections)
                .description("connections open on our HTTP ports, by port").tag("server", name).register(registry));
    }

    /** The port bound (the one asked for, or the one the system chose for 0). */
    public int port() {
        return server.actualPort();
    }

    /** Connections open now. */
    int connections() {
        synchronized (open) {
            return open.size();
        }
    }

    private void opened(HttpConnection connection) {
        Slot evicted = null;
        boolean full = false;
        synchronized (open) {
            if (open.size() >= limits.getMaxConnections()) {
                evicted = open.values().stream().filter(Slot::waiting).findFirst().orElse(null);
                if (evicted == null) {
                    full = true;
                } else {
                    open.remove(evicted.connection);
                }
            }
            if (!full) {
                open.put(connection, new Slot(connection, System.nanoTime() + TimeUnit.SECONDS.toNanos(limits.getHeaderTimeout())));
            }
        }
        if (evicted != null) {
            refuse(Refusal.EVICTED, evicted.connection, null);
        }
        if (full) {
            refuse(Refusal.FULL, connection, null);
            return;
        }
        // a client that resets or goes away is ordinary; Vert.x would log each as an error
        connection.exceptionHandler(e -> LOG.debug("{}: connection from {}: {}", name, connection.remoteAddress(), e.toString()));
        connection.closeHandler(v -> {
            synchronized (open) {
                open.remove(connection);
            }
        });
    }

    private void request(HttpServerRequest request) {
        Slot slot;
        synchronized (open) {
            slot = open.get(request.connection());
            if (slot != null) {
                slot.request = request;
                slot.deadline = NONE;
                slot.answeredOne = true;
            }
        }
        if (slot == null) {
            // closed to make room while its request head came in
            request.connection().close();
            return;
        }
        handler.handle(request);
    }

    /** Starts the idle deadline of connections whose answer is out, and closes those past their deadline. */
    private void sweep() {
        long now = System.nanoTime();
        List<Slot> expired = new ArrayList<>();
        synchronized (open) {
            for (var it = open.values().iterator(); it.hasNext(); ) {
                Slot s = it.next();
                if (s.request != null && s.request.response().ended()) {
                    // a websocket (101) keeps its connection with no deadline: the feed bounds what it holds
                    s.deadline = s.request.response().getStatusCode() == SWITCHING_PROTOCOLS ? NONE
                            : now + TimeUnit.SECONDS.toNanos(limits.getIdleTimeout());
                    s.request = null;
                } else if (s.waiting() && now - s.deadline >= 0) {
                    it.remove();
                    expired.add(s);
                }
            }
        }
        for (Slot s : expired) {
            if (s.answeredOne) {
                s.connection.close();
            } else {
                refuse(Refusal.HEADER_TIMEOUT, s.connection, null);
            }
        }
    }

    private void refuse(Refusal reason, HttpConnection connection, String detail) {
        if (connection != null) {
            connection.close();
        }
        refused.get(reason).increment();
        int figure = reason == Refusal.EVICTED || reason == Refusal.FULL ? limits.getMaxConnections() : limits.getHeaderTimeout();
        refusalLogs.get(reason).warn("HTTP port " + name + " (" + bound + ") " + String.format(reason.text, figure)
                + (connection == null ? "" : ", from " + connection.remoteAddress())
                + (detail == null ? "" : ": " + detail)
                + " (counted in peerobserver_http_connections_refused_total{server=\"" + name + "\",reason=\"" + reason.label + "\"})");
    }

    /** Stops listening, closes every connection and gives the shared Vert.x back. */
    @Override
    public void close() {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
            sweeper = -1;
        }
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("HTTP port {} did not close cleanly: {}", name, e.toString());
            }
            server = null;
        }
        List<HttpConnection> left;
        synchronized (open) {
            left = new ArrayList<>(open.keySet());
            open.clear();
        }
        left.forEach(HttpConnection::close);
        if (registry != null) {
            meters.forEach(registry::remove);
            meters.clear();
        }
        if (bound != null) {
            BOUND.remove(bound);
            bound = null;
        }
        SharedVertx.release();
    }
}
