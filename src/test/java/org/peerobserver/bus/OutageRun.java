package org.peerobserver.bus;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.rpc.rpc;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.SampleEvents;

/**
 * An extractor publishing numbered events at a fixed rate through the application's bus while
 * nats-server is killed and started again, and a tool in its own bus (own connection, as in another
 * process) that notes which numbers arrive. The numbers ride in rpc.uptime.
 */
final class OutageRun implements AutoCloseable {
    private static final SampleEvents EVENTS = new SampleEvents(13, 1_700_000_000_000L);

    final Set<Long> seen = ConcurrentHashMap.newKeySet();
    final AtomicLong deliveries = new AtomicLong();
    private final DefaultCamelContext toolContext = new DefaultCamelContext();
    final BusComponent tool = new BusComponent();
    long sent;
    private volatile long restartedNanos;
    private volatile long firstDeliveryAfterRestart;
    double achievedRate;

    /** The tool: a bus of its own on the same server and settings, subscribed to everything. */
    OutageRun(NatsServer nats, String jetStream) throws Exception {
        toolContext.start();
        tool.setCamelContext(toolContext);
        tool.getConfiguration().setType("nats");
        tool.getConfiguration().setServers(nats.url());
        tool.getConfiguration().setNode("tool");
        tool.getConfiguration().setJetStream(jetStream);
        tool.getConfiguration().setAckWait(Duration.ofSeconds(3));
        tool.start();
        tool.bus().subscribe("tool-outage", List.of("*", "ext.*"), batch -> batch.forEach(received -> {
            seen.add((long) received.event().getRpcExtractor().getUptime());
            deliveries.incrementAndGet();
            if (restartedNanos != 0 && firstDeliveryAfterRestart == 0) {
                firstDeliveryAfterRestart = System.nanoTime();
            }
        }));
    }

    /**
     * Sends {@code rate} events a second for {@code seconds}; kills nats-server after {@code killAt}
     * seconds and starts it again {@code outage} seconds later. Ticks that fall behind (a publisher
     * held back by JetStream) send their events as soon as it lets them.
     */
    void publish(ProducerTemplate extractor, NatsServer nats, int rate, int seconds, double killAt, double outage)
            throws Exception {
        int perTick = rate / 100;
        long start = System.nanoTime();
        // on their own thread: a publisher held back must not hold back the outage
        ScheduledExecutorService outages = Executors.newSingleThreadScheduledExecutor();
        try {
            outages.schedule(() -> {
                nats.stop();
                return null;
            }, (long) (killAt * 1000), TimeUnit.MILLISECONDS);
            outages.schedule(() -> {
                nats.start();
                restartedNanos = System.nanoTime();
                return null;
            }, (long) ((killAt + outage) * 1000), TimeUnit.MILLISECONDS);
            for (int tick = 0; tick < seconds * 100; tick++) {
                long due = start + tick * 10_000_000L;
                while (System.nanoTime() < due) {
                    Thread.sleep(1);
                }
                for (int i = 0; i < perTick; i++) {
                    extractor.sendBody("bus:publish", event(sent++));
                }
            }
        } finally {
            outages.shutdown();
            outages.awaitTermination(30, TimeUnit.SECONDS);
        }
        achievedRate = sent / ((System.nanoTime() - start) / 1e9);
    }

    /** Milliseconds from nats-server listening again to the first event the tool received after it (-1: none yet). */
    long recoveryMillis() {
        if (firstDeliveryAfterRestart == 0) {
            return -1;
        }
        return TimeUnit.NANOSECONDS.toMillis(firstDeliveryAfterRestart - restartedNanos);
    }

    static Event event(long n) {
        return EVENTS.rpc(rpc.newBuilder().setUptime((int) n).build());
    }

    @Override
    public void close() throws Exception {
        tool.stop();
        toolContext.stop();
    }
}
