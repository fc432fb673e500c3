package org.peerobserver.tool.websocket;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.peerobserver.support.RateLimitedLog;
import org.peerobserver.event.EventFilter;
import org.peerobserver.event.EventJson;
import org.peerobserver.event.ReceivedEvent;
import org.slf4j.LoggerFactory;

/**
 * The websocket tool's clients and the fan-out of events to them. The {@code tool-websocket-clients} route
 * calls {@link #open} and {@link #close} on the connection events of the vertx-websocket consumer, and
 * {@code tool-websocket} calls {@link #publish} for every event from the bus. Publishing never waits for a
 * client: each has its own bounded queue ({@link FeedClient}).
 */
public class WebsocketFeed implements WebsocketFeedMBean {
    static final String JMX_NAME = "org.peerobserver:type=tool,name=websocket";
    private static final RateLimitedLog REFUSED_LOG = new RateLimitedLog(LoggerFactory.getLogger(WebsocketFeed.class));
    // websocket close codes (RFC 6455): policy violation, try again later
    private static final short POLICY_VIOLATION = 1008;
    private static final short TRY_AGAIN_LATER = 1013;

    private final Map<String, FeedClient> clients = new ConcurrentHashMap<>();
    private final LongAdder refusedFilters = new LongAdder();
    private final LongAdder refusedFull = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private int queueSize = 1000;
    private int maxClients = 100;
    private FeedFormat format = FeedFormat.PROTO_JSON;

    public void setQueueSize(int queueSize) {
        if (queueSize < 1) {
            throw new IllegalArgumentException("WEBSOCKET_CLIENT_QUEUE_SIZE must be at least 1, not " + queueSize);
        }
        this.queueSize = queueSize;
    }

    public void setMaxClients(int maxClients) {
        if (maxClients < 1) {
            throw new IllegalArgumentException("WEBSOCKET_MAX_CLIENTS must be at least 1, not " + maxClients);
        }
        this.maxClients = maxClients;
    }

    /** WEBSOCKET_FORMAT: the frames of clients that do not ask with the {@code format} query parameter. */
    public void setFormat(String format) {
        this.format = FeedFormat.of(format, "WEBSOCKET_FORMAT");
    }

    /**
     * A client connected: its filters are the {@code subjects} and {@code kinds} query parameters, its frames'
     * format the {@code format} one.
     */
    public void open(Exchange exchange) {
        Message in = exchange.getIn();
        String key = in.getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class);
        ServerWebSocket socket = in.getBody(ServerWebSocket.class);
        FeedClient client;
        try {
            client = new FeedClient(socket, eventLoop(), new EventFilter(filter(in, "subjects"), filter(in, "kinds")),
                    format(in), queueSize);
        } catch (IllegalArgumentException e) {
            refuse(socket, refusedFilters, POLICY_VIOLATION, e.getMessage());
            return;
        }
        if (clients.size() >= maxClients) {
            refuse(socket, refusedFull, TRY_AGAIN_LATER, "too many clients (WEBSOCKET_MAX_CLIENTS=" + maxClients + ")");
            return;
        }
        clients.put(key, client);
        // connection events run unordered: the close may already have been handled
        if (client.isClosed()) {
            clients.remove(key);
        }
    }

    public void close(Exchange exchange) {
        clients.remove(exchange.getIn().getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class));
    }

    /** Clients have nothing to say to the feed. */
    public void ignore() {
        ignored.increment();
    }

    /** Events as {@code bus:subscribe?batchSize=...} hands them over, each to every client that wants it. */
    public void publish(List<ReceivedEvent> events) {
        events.forEach(this::publish);
    }

    /** Each format's JSON is made once, and only if someone wants the event in it. */
    private void publish(ReceivedEvent event) {
        String subject = event.subject();
        String kind = event.kind().kind();
        boolean upstreamHasIt = UpstreamJson.has(event.event());
        String[] json = new String[2];
        Supplier<String> ours = () -> json[0] != null ? json[0] : (json[0] = EventJson.of(event));
        Supplier<String> upstreams = () -> json[1] != null ? json[1] : (json[1] = UpstreamJson.of(event.event()));
        clients.values().forEach(client -> {
            if (!client.wants(subject, kind)) {
                return;
            }
            boolean upstream = client.format() == FeedFormat.UPSTREAM;
            if (upstream && !upstreamHasIt) {
                return;
            }
            (client.offer(upstream ? upstreams : ours) ? queued : missed).increment();
        });
    }

    /** The consumer hands connection events over as blocking work of the connection's own context. */
    private static Context eventLoop() {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("a websocket client opened outside Vert.x");
        }
        return context;
    }

    private void refuse(ServerWebSocket socket, LongAdder count, short code, String reason) {
        count.increment();
        REFUSED_LOG.warn("Refused a websocket client from " + socket.remoteAddress() + ": " + reason);
        // a close reason must fit in a control frame (125 bytes)
        socket.close(code, reason.length() > 120 ? reason.substring(0, 120) : reason);
    }

    private FeedFormat format(Message in) {
        Object value = in.getHeader("format");
        if (value instanceof Iterable<?>) {
            throw new IllegalArgumentException("format: given more than once");
        }
        return value == null ? format : FeedFormat.of(value.toString(), "format");
    }

    /** A comma-separated query parameter (also given several times); empty: no filter. */
    private static List<String> filter(Message in, String name) {
        Object value = in.getHeader(name);
        return EventFilter.entries(name, value instanceof Iterable<?> repeated ? repeated : value == null ? List.of() : List.of(value));
    }

    /** Clients refused for filters that are not subjects or kinds. */
    LongAdder refusedFilters() {
        return refusedFilters;
    }

    /** Clients refused for WEBSOCKET_MAX_CLIENTS. */
    LongAdder refusedFull() {
        return refusedFull;
    }

    /** Registers the counters in JMX (the bean's init method). */
    public void start() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(JMX_NAME);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(this, name);
    }

    /** Unregisters them and forgets the clients (the bean's destroy method). */
    public void stop() throws JMException {
        ObjectName name = new ObjectName(JMX_NAME);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        clients.clear();
    }

    @Override
    public int getClients() {
        return clients.size();
    }

    @Override
    public long getClientsRefused() {
        return refusedFilters.sum() + refusedFull.sum();
    }

    @Override
    public long getFramesQueued() {
        return queued.sum();
    }

    @Override
    public long getFramesMissed() {
        return missed.sum();
    }

    @Override
    public long getClientMessagesIgnored() {
        return ignored.sum();
    }
}
