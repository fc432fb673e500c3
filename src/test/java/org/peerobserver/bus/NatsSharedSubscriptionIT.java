package org.peerobserver.bus;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.rpc.rpc;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.SampleEvents;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The subscribing routes of one process share one NATS subscription per subject: each message is
 * decoded once and every route gets it; a route that leaves does not take the subject from the others.
 */
class NatsSharedSubscriptionIT {
    private static final SampleEvents EVENTS = new SampleEvents(21, 1_700_000_000_000L);

    @Test
    void routesShareASubjectAndOneLeavingKeepsTheOthersFed() throws Exception {
        try (NatsServer nats = new NatsServer()) {
            DefaultCamelContext context = new DefaultCamelContext();
            context.start();
            BusComponent component = new BusComponent();
            component.setCamelContext(context);
            component.getConfiguration().setType("nats");
            component.getConfiguration().setServers(nats.url());
            component.getConfiguration().setNode("n");
            component.start();
            try (Connection plain = Nats.connect(nats.url())) {
                Bus bus = component.bus();
                AtomicInteger first = new AtomicInteger();
                AtomicInteger second = new AtomicInteger();
                AutoCloseable leaving = bus.subscribe("first", List.of("rpc"), batch -> first.addAndGet(batch.size()));
                AutoCloseable staying = bus.subscribe("second", List.of("rpc", "netmsg"), batch -> second.addAndGet(batch.size()));
                publish(bus, 10);
                await().atMost(5, TimeUnit.SECONDS).until(() -> first.get() == 10 && second.get() == 10);
                assertEquals(20, component.getStatistics().received());

                plain.publish("rpc", new byte[] {1, 2, 3});
                publish(bus, 1);
                await().atMost(5, TimeUnit.SECONDS).until(() -> second.get() == 11);
                assertEquals(1, component.getStatistics().malformed(), "decoded once for both routes");

                leaving.close();
                publish(bus, 10);
                await().atMost(5, TimeUnit.SECONDS).until(() -> second.get() == 21);
                Thread.sleep(200);
                assertEquals(11, first.get(), "nothing after leaving");
                staying.close();
            } finally {
                component.stop();
                context.stop();
            }
        }
    }

    private static void publish(Bus bus, int n) {
        for (int i = 0; i < n; i++) {
            Event e = EVENTS.rpc(rpc.newBuilder().setUptime(i).build());
            bus.publish(e, EventKind.of(e), "n");
        }
    }
}
