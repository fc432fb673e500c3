package org.peerobserver.bus;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.Subscription;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.apache.camel.util.URISupport;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.event.SubjectFilter;
import org.peerobserver.proto.event.Event;
import org.peerobserver.support.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus on a NATS server, through jnats (the client camel-nats wraps). Camel-nats' own endpoints
 * are not used here: they fail the whole application when NATS is down at start, and they have no
 * user/password or token options. This bus keeps trying to connect in the background (health DOWN
 * meanwhile), and once connected lets jnats reconnect without limit and restore subscriptions.
 *
 * <p>Payloads are upstream's (one protobuf {@code Event} per message), led by our stamp with the node
 * name and a per-subject number ({@link NatsPayload}), which upstream tools skip.
 */
final class NatsBus implements Bus {
    private static final Logger LOG = LoggerFactory.getLogger(NatsBus.class);
    /** Payload bytes jnats holds for the process's subscriptions before it drops: a few full blocks. */
    private static final long PENDING_BYTES = 32L * 1024 * 1024;
    /** Payload bytes waiting to be sent before a publish fails (counted) rather than growing the heap. */
    private static final long OUTGOING_BYTES = 32L * 1024 * 1024;
    private static final long READ_PENDING_EVERY = 1024 * 1024;

    private final Options options;
    private final BusStatistics statistics;
    private final RateLimitedLog publishFailures = new RateLimitedLog(LOG);
    private final RateLimitedLog malformedLog = new RateLimitedLog(LOG);
    private final RateLimitedLog publishRetries = new RateLimitedLog(LOG);
    private final RateLimitedLog lostLog = new RateLimitedLog(LOG);
    private final List<JetStreamSubscription> jetStreamSubscriptions = new CopyOnWriteArrayList<>();
    /**
     * Core NATS: one NATS subscription per subject for the whole process, on one dispatcher; each message
     * is decoded once and queued for every route that asked for its subject.
     */
    private final Map<String, List<SubscriberQueue>> routesBySubject = new ConcurrentHashMap<>();
    private final Map<String, Subscription> serverSubscriptions = new ConcurrentHashMap<>();
    private Dispatcher dispatcher;
    /** Stamped with a per-subject number on every message, so receivers can count what never arrived. */
    private final long publisherId = new SecureRandom().nextLong();
    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
    private final Gaps gaps = new Gaps();
    private final AtomicLong publishedSinceReading = new AtomicLong();
    private volatile long pendingAtReading;
    /** JetStream stream name, or null for core NATS (at most once). */
    private final JetStreamSettings jetStream;
    /**
     * Messages a subscription holds before jnats drops them (counted as subscriber_overflow). jnats'
     * own 512k, with a header object per message, is more than a small heap holds: a burst then ends in
     * back-to-back full GCs instead of counted drops.
     */
    private final int pendingLimit;
    private final int queueSize;
    private final long queueBytes;
    private volatile JetStream js;
    private final Thread connector;
    private volatile Connection connection;
    private volatile String lastConnectError = "not tried yet";
    /** jnats reports the real cause of a failed connect (refused, certificate, ...) only to the error listener. */
    private volatile String lastClientError;
    private volatile boolean closed;

    NatsBus(Options.Builder options, BusStatistics statistics, String servers, JetStreamSettings jetStream, int pendingLimit,
            int queueSize, long queueBytes) {
        this.pendingLimit = pendingLimit;
        this.queueSize = queueSize;
        this.queueBytes = queueBytes;
        this.statistics = statistics;
        this.jetStream = jetStream;
        this.options = options.maxReconnects(-1).connectionListener(stateLogger(servers))
                .errorListener(new QuietErrors()).build();
        statistics.addOverflowSource(this::droppedByClient);
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

    /** A server URL may carry user:password@; the log shows it masked. */
    private static ConnectionListener stateLogger(String servers) {
        String shown = Arrays.stream(servers.split(",")).map(URISupport::sanitizeUri).collect(Collectors.joining(","));
        return (conn, event) -> {
            switch (event) {
                case CONNECTED -> LOG.info("Connected to NATS at {}", URISupport.sanitizeUri(conn.getConnectedUrl()));
                case DISCONNECTED -> {
                    if (conn.getConnectedUrl() != null) {
                        LOG.warn("Lost the NATS connection to {}; reconnecting without limit", shown);
                    }
                }
                case RECONNECTED -> LOG.info("Reconnected to NATS at {}", URISupport.sanitizeUri(conn.getConnectedUrl()));
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
                JetStream stream = null;
                if (jetStream != null) {
                    try {
                        stream = jetStream.open(c);
                    } catch (Exception e) {
                        c.close();
                        throw new IllegalStateException("no JetStream stream " + jetStream.stream() + " (" + e.getMessage()
                                + "; is nats-server started with -js?)", e);
                    }
                }
                synchronized (this) {
                    if (closed) {
                        c.close();
                        return;
                    }
                    js = stream;
                    connection = c;
                    routesBySubject.keySet().forEach(subject -> subscribeOnServer(c, subject));
                    jetStreamSubscriptions.forEach(s -> s.start(c));
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
        boolean awaitAck = jetStream != null && jetStream.awaitAck();
        if (c == null && !awaitAck) {
            failed("not connected to NATS yet (" + lastConnectError + ")");
            return;
        }
        String subject = kind.subject();
        AtomicLong numbers = sequences.computeIfAbsent(subject, x -> new AtomicLong());
        if (awaitAck) {
            long n = numbers.incrementAndGet();
            publishUntilStored(subject, NatsPayload.encode(event, node, publisherId, n), n);
            return;
        }
        if (outgoingFull(c, event.getSerializedSize())) {
            failed("more than " + OUTGOING_BYTES / (1024 * 1024) + " MiB wait to be sent to NATS");
            return;
        }
        // a number is used only by a message jnats took: one it refused is counted here as publish_failed,
        // and must not show as a gap (lost) at the receivers as well
        synchronized (numbers) {
            long n = numbers.get() + 1;
            try {
                c.publish(subject, NatsPayload.encode(event, node, publisherId, n));
                numbers.set(n);
                statistics.published.increment();
            } catch (RuntimeException e) {
                // reconnect buffer full, payload over the server's max_payload, connection closed
                failed(e.getMessage());
            }
        }
    }

    /**
     * JetStream: the event counts as published once the stream acknowledged it. Until then the
     * publisher waits and tries again (the message id lets the stream drop a copy it already has), so
     * an outage holds the extractor back instead of losing events.
     */
    /**
     * Whether {@code size} more bytes would pass OUTGOING_BYTES waiting to be sent. Reading jnats' count
     * takes its writer's lock, which cost the publishing thread 2% per small event; so it is read once
     * per 1 MiB published, and on every publish while the last reading was near the limit.
     */
    private boolean outgoingFull(Connection c, int size) {
        long since = publishedSinceReading.addAndGet(size);
        if (since < READ_PENDING_EVERY && pendingAtReading + since <= OUTGOING_BYTES) {
            return false;
        }
        publishedSinceReading.set(0);
        pendingAtReading = c.outgoingPendingBytes();
        return pendingAtReading + size > OUTGOING_BYTES;
    }

    private void publishUntilStored(String subject, byte[] payload, long n) {
        PublishOptions id = PublishOptions.builder().messageId(subject + " " + Long.toHexString(publisherId) + " " + n)
                .expectedStream(jetStream.stream()).build();
        while (!closed) {
            JetStream stream = js;
            try {
                if (stream != null) {
                    stream.publish(subject, payload, id);
                    statistics.published.increment();
                    return;
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                publishRetries.warn("JetStream stream " + jetStream.stream() + " did not store an event (" + e.getMessage()
                        + "); the publisher waits and retries until it does");
            }
        }
        failed("the bus closed before JetStream stored the event");
    }

    private void failed(String reason) {
        statistics.publishFailed.increment();
        publishFailures.warn("Events are not reaching NATS: " + reason
                + " (counted in peerobserver_bus_dropped{reason=\"publish_failed\"})");
    }

    @Override
    public synchronized AutoCloseable subscribe(String name, List<String> subjects, Sink sink) {
        if (jetStream != null) {
            JetStreamSubscription s = new JetStreamSubscription(name, subjects, sink);
            jetStreamSubscriptions.add(s);
            if (connection != null) {
                s.start(connection);
            }
            return () -> {
                jetStreamSubscriptions.remove(s);
                s.stop();
            };
        }
        SubscriberQueue queue = new SubscriberQueue(name, subjects, sink, statistics, queueSize, queueBytes);
        for (String subject : subjects) {
            List<SubscriberQueue> routes = routesBySubject.computeIfAbsent(subject, x -> new CopyOnWriteArrayList<>());
            routes.add(queue);
            if (routes.size() == 1 && connection != null) {
                subscribeOnServer(connection, subject);
            }
        }
        return () -> unsubscribe(subjects, queue);
    }

    private synchronized void unsubscribe(List<String> subjects, SubscriberQueue queue) {
        for (String subject : subjects) {
            List<SubscriberQueue> routes = routesBySubject.get(subject);
            if (routes != null && routes.remove(queue) && routes.isEmpty()) {
                routesBySubject.remove(subject);
                Subscription server = serverSubscriptions.remove(subject);
                if (server != null && dispatcher.isActive()) {
                    dispatcher.unsubscribe(server);
                }
            }
        }
        queue.stop();
    }

    /**
     * Subscribes on the process's dispatcher, then waits for the server's round trip, so the subscription
     * is in place when the route says it started: the first events after that are received, not silently
     * missed before any number was seen.
     */
    private synchronized void subscribeOnServer(Connection c, String subject) {
        if (dispatcher == null) {
            dispatcher = c.createDispatcher();
            dispatcher.setPendingLimits(pendingLimit, PENDING_BYTES);
        }
        serverSubscriptions.put(subject, dispatcher.subscribe(subject, msg -> fanOut(msg, subject)));
        try {
            c.flush(Duration.ofSeconds(2));
        } catch (Exception e) {
            LOG.debug("NATS flush after subscribing: {}", e.toString());
        }
    }

    /** One message of a core NATS subject: decoded once, gaps counted once, queued for each route of the subject. */
    private void fanOut(Message msg, String subscribedSubject) {
        NatsPayload.Decoded d = decode(msg);
        if (d == null) {
            return;
        }
        countGaps(msg.getSubject(), d);
        ReceivedEvent received = received(d);
        int size = msg.getData().length;
        for (SubscriberQueue route : routesBySubject.getOrDefault(subscribedSubject, List.of())) {
            if (route.wants(received)) {
                route.offer(received, size, 0);
            }
        }
    }

    private static ReceivedEvent received(NatsPayload.Decoded d) {
        return new ReceivedEvent(d.event(), EventKind.of(d.event()), d.node() == null ? "unknown" : d.node());
    }

    /** The payload of a NATS message, or null (counted and logged) when it is not an event. */
    private NatsPayload.Decoded decode(Message msg) {
        try {
            return NatsPayload.decode(msg.getData());
        } catch (Exception e) {
            statistics.malformed.increment();
            malformedLog.warn("Skipped a payload on NATS subject " + msg.getSubject()
                    + " that is not a peer-observer event: " + e.getMessage()
                    + " (counted in peerobserver_bus_dropped{reason=\"malformed\"})");
            return null;
        }
    }

    private void countGaps(String subject, NatsPayload.Decoded d) {
        long lost = gaps.missedBefore(subject, d.publisher(), d.sequence());
        if (lost > 0) {
            countLost(subject, lost);
        }
    }

    private void countLost(String subject, long lost) {
        statistics.lost.add(lost);
        lostLog.warn(lost + " events on NATS subject " + subject + " never arrived (core NATS delivers at most"
                + " once, a full JetStream stream drops its oldest; counted in peerobserver_bus_dropped{reason=\"lost\"})");
    }

    /**
     * JetStream: a gap in a publisher's numbers counts only between two messages that this consumer saw with
     * every stream message between them. A redelivery (an older stream sequence) and messages lost in flight
     * to this process (a jump in the stream sequence, e.g. when a hub server dies) come back, and are no loss;
     * a publisher's gap inside an unbroken run of the stream is loss before the stream (a site's full stream).
     */
    static final class StreamGaps {
        private static final int MAX_STREAMS = 10_000;
        private final Map<Key, long[]> last = new ConcurrentHashMap<>();
        private long next;
        private long unbrokenFrom;

        private record Key(long publisher, String subject) {
        }

        synchronized long missedBefore(String subject, long publisher, long n, long streamSequence) {
            if (streamSequence < next) {
                return 0;
            }
            if (streamSequence > next) {
                unbrokenFrom = streamSequence;
            }
            next = streamSequence + 1;
            if (n == 0) {
                return 0;    // upstream publishers do not number their messages
            }
            if (last.size() >= MAX_STREAMS) {
                last.clear();
            }
            long[] before = last.put(new Key(publisher, subject), new long[] { n, streamSequence });
            return before == null || before[1] < unbrokenFrom ? 0 : Math.max(0, n - before[0] - 1);
        }
    }

    private synchronized long droppedByClient() {
        return (dispatcher == null ? 0 : dispatcher.getDroppedCount())
                + jetStreamSubscriptions.stream().mapToLong(JetStreamSubscription::dropped).sum();
    }

    @Override
    public String unavailableReason() {
        Connection c = connection;
        if (c == null) {
            return "not connected to NATS yet: " + lastConnectError;
        }
        if (c.getStatus() != Connection.Status.CONNECTED) {
            return "NATS connection is " + c.getStatus();
        }
        return null;
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
        // what was received is still handed to the routes
        routesBySubject.values().stream().flatMap(List::stream).distinct().forEach(SubscriberQueue::stop);
        routesBySubject.clear();
    }

    /** JetStream: each route reads its own durable consumer, and an event is acknowledged once the route took it. */
    private final class JetStreamSubscription {
        final String name;
        final SubjectFilter filter;
        final Sink sink;
        final StreamGaps gaps = new StreamGaps();
        Dispatcher dispatcher;

        JetStreamSubscription(String name, List<String> subjects, Sink sink) {
            this.name = name;
            this.filter = new SubjectFilter(subjects);
            this.sink = sink;
        }

        synchronized void start(Connection c) {
            dispatcher = c.createDispatcher();
            dispatcher.setPendingLimits(pendingLimit, PENDING_BYTES);
            try {
                jetStream.subscribe(js, dispatcher, name, this::deliver);
            } catch (Exception e) {
                LOG.warn("Cannot read JetStream stream {} for {}: {}", jetStream.stream(), name, e.getMessage());
            }
        }

        /** Every message of the stream comes here (so that holes in its sequence show); the route takes its subjects. */
        private void deliver(Message msg) {
            NatsPayload.Decoded d = decode(msg);
            if (d == null) {
                return;
            }
            // a site's stream that overflowed while its link was down shows as a gap here
            long lost = gaps.missedBefore(msg.getSubject(), d.publisher(), d.sequence(), msg.metaData().streamSequence());
            if (lost > 0) {
                countLost(msg.getSubject(), lost);
            }
            if (!filter.matches(msg.getSubject())) {
                return;
            }
            ReceivedEvent received = received(d);
            if (!sink.wants(received)) {
                return;
            }
            statistics.received.increment();
            try {
                sink.accept(List.of(received));
            } catch (Exception e) {
                // the sink is a Camel consumer that handles its own errors; this is a last resort
                LOG.warn("Subscriber failed on an event: {}", e.toString());
            }
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

    /**
     * The last number seen per publisher and subject: a jump means events were lost between a publisher
     * and this process (a NATS restart drops what was in flight). Bounded: past the limit it forgets all
     * and starts again, which can only miss a gap, never invent one.
     */
    static final class Gaps {
        private static final int MAX_STREAMS = 10_000;
        private final Map<Stream, Long> last = new ConcurrentHashMap<>();

        private record Stream(long publisher, String subject) {
        }

        long missedBefore(String subject, long publisher, long n) {
            if (n == 0) {
                return 0;    // upstream publishers do not number their messages
            }
            if (last.size() >= MAX_STREAMS) {
                last.clear();
            }
            long[] missed = {0};
            last.merge(new Stream(publisher, subject), n, (before, now) -> {
                missed[0] = Math.max(0, now - before - 1);
                return Math.max(before, now);
            });
            return missed[0];
        }
    }
}
