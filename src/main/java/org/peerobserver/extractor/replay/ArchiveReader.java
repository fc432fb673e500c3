package org.peerobserver.extractor.replay;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import org.peerobserver.bus.NatsPayload;
import org.peerobserver.event.EventFilter;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.event.SubjectFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events a JetStream stream (a hub's archive) stored in a time window, oldest first, through an
 * ordered consumer that starts at {@code from}: the server seeks to the time, the reader stops at the
 * first message stored after {@code to}, or at the last one the stream held when it got there (a replay
 * of the past does not follow live events). Nodes and subjects are filtered here: nats-server 2.9
 * takes one filter subject per consumer.
 */
final class ArchiveReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveReader.class);
    private static final Duration NEXT_WAIT = Duration.ofSeconds(2);
    /** A cluster that just lost a server takes a few seconds to answer JetStream requests. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration GIVE_UP = Duration.ofSeconds(120);

    private final Connection connection;
    private final IterableConsumer consumer;
    private final Instant to;
    /** Null: every subject. */
    private final SubjectFilter subjects;
    /** Checked once the event is decoded: the subject alone does not say its kind. */
    private final EventFilter kinds;
    private final Set<String> nodes;
    private long skipped;
    private long malformed;
    private boolean over;
    private long quietSince = System.nanoTime();

    ArchiveReader(Options options, String stream, Instant from, Instant to, List<String> subjects, List<String> kinds, Set<String> nodes)
            throws IOException, InterruptedException, JetStreamApiException {
        this.to = to;
        this.subjects = subjects.isEmpty() ? null : new SubjectFilter(subjects);
        this.kinds = new EventFilter(List.of(), kinds);
        this.nodes = nodes;
        this.connection = Nats.connect(options);
        try {
            OrderedConsumerConfiguration window = new OrderedConsumerConfiguration();
            if (from != null) {
                window.deliverPolicy(DeliverPolicy.ByStartTime).startTime(from.atZone(ZoneOffset.UTC));
            }
            this.consumer = consumer(connection, stream, window);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The window's consumer, asked for again while the cluster does not answer, for up to {@link #GIVE_UP}. */
    private static IterableConsumer consumer(Connection connection, String stream, OrderedConsumerConfiguration window)
            throws IOException, InterruptedException, JetStreamApiException {
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            try {
                return connection.getStreamContext(stream, JetStreamOptions.builder().requestTimeout(REQUEST_TIMEOUT).build())
                        .createOrderedConsumer(window).iterate();
            } catch (IOException e) {
                // a cluster that lost a server leaves a request unanswered while it settles, and, before nats-server
                // 2.9.12, whenever it places the new consumer on the lost server (one time in three)
                if (System.nanoTime() - giveUp > 0) {
                    throw e;
                }
                LOG.warn("The archive {} did not answer within {} s ({}); asking again", stream, REQUEST_TIMEOUT.toSeconds(),
                        e.getMessage());
            }
        }
    }

    /** The next event of the window that passes the filters, or null when the window is over. */
    ReceivedEvent next() throws InterruptedException, JetStreamStatusCheckedException {
        while (!over) {
            Message m = consumer.nextMessage(NEXT_WAIT);
            if (m == null) {
                // a busy server may just be slow: the window is over only when nothing is pending
                over = pendingOnServer() == 0;
                continue;
            }
            quietSince = System.nanoTime();
            Instant stored = m.metaData().timestamp().toInstant();
            if (to != null && stored.isAfter(to)) {
                over = true;
                break;
            }
            over = m.metaData().pendingCount() == 0;
            ReceivedEvent event = passing(m);
            if (event != null) {
                return event;
            }
            skipped++;
        }
        return null;
    }

    private long pendingOnServer() throws InterruptedException {
        try {
            return consumer.getConsumerInfo().getNumPending();
        } catch (IOException | JetStreamApiException e) {
            if (System.nanoTime() - quietSince > GIVE_UP.toNanos()) {
                throw new IllegalStateException("the archive stopped answering for " + GIVE_UP.toSeconds() + " s: " + e.getMessage(), e);
            }
            return 1;
        }
    }

    private ReceivedEvent passing(Message m) {
        if (subjects != null && !subjects.matches(m.getSubject())) {
            return null;
        }
        NatsPayload.Decoded d;
        try {
            d = NatsPayload.decode(m.getData());
        } catch (IOException e) {
            malformed++;
            return null;
        }
        String node = d.node() == null ? "unknown" : d.node();
        if (!nodes.isEmpty() && !nodes.contains(node)) {
            return null;
        }
        EventKind kind;
        try {
            kind = EventKind.of(d.event());
        } catch (EventKind.InvalidEventException e) {
            malformed++;
            return null;
        }
        return kinds.wantsKind(kind.kind()) ? new ReceivedEvent(d.event(), kind, node) : null;
    }

    /** Read but filtered out (other nodes, subjects or kinds). */
    long skipped() {
        return skipped;
    }

    long malformed() {
        return malformed;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            consumer.stop();
        } finally {
            connection.close();
        }
    }
}
