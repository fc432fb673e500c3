package org.peerobserver.bus;

import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bus:subscribe?kinds=...} in batches, and each route's events counted in JMX. */
class BusSubscribeTest extends CamelTestSupport {
    private static final List<Event> EVENTS = SampleCapture.events();
    private final List<Object> bodies = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withJMX(true);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        BusComponent bus = new BusComponent();
        bus.getConfiguration().setQueueSize(8);
        bus.getConfiguration().setPublishTimeout(Duration.ofMillis(200));
        context.addComponent("bus", bus);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:subscribe?kinds=message.addrv2,rpc&batchSize=500").routeId("kinds")
                        .process(x -> bodies.add(x.getIn().getBody()));
                from("bus:subscribe?batchSize=1").routeId("failing").process(x -> {
                    if (x.getIn().getHeader("eventSubject", String.class).equals("rpc")) {
                        throw new IllegalStateException("refused for the test");
                    }
                });
                from("bus:subscribe?kinds=message.ping&batchSize=500").routeId("stuck").process(x -> release.await());
            }
        };
    }

    private static long count(Predicate<String> kind) {
        return EVENTS.stream().map(e -> EventKind.of(e).kind()).filter(kind).count();
    }

    private static long attribute(String route, String name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName pattern = new ObjectName("org.apache.camel:type=events,name=" + ObjectName.quote(route) + ",*");
        ObjectName found = server.queryNames(pattern, null).stream().findFirst().orElseThrow();
        return (Long) server.getAttribute(found, name);
    }

    @Test
    void kindsFilterBeforeTheBatchAndEveryRouteCountsEvents() throws Exception {
        EVENTS.forEach(e -> template.sendBody("bus:publish", e));
        long wanted = count(k -> k.equals("message.addrv2") || k.startsWith("rpc."));
        long pings = count(k -> k.equals("message.ping"));
        long rpc = count(k -> k.startsWith("rpc."));
        assertTrue(wanted > rpc && rpc > 0, "the sample has addr and rpc events");

        await().atMost(10, TimeUnit.SECONDS).until(() -> bodies.stream().mapToInt(b -> ((List<?>) b).size()).sum() == wanted);
        for (Object body : bodies) {
            for (Object e : (List<?>) body) {
                String kind = ((ReceivedEvent) e).kind().kind();
                assertTrue(kind.equals("message.addrv2") || kind.startsWith("rpc."), kind);
            }
        }
        assertEquals(wanted, attribute("kinds", "EventsIn"));
        assertEquals(wanted, attribute("kinds", "EventsOut"));
        assertEquals(0, attribute("kinds", "EventsDropped"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> attribute("failing", "EventsIn") == EVENTS.size());
        assertEquals(EVENTS.size() - rpc, attribute("failing", "EventsOut"));
        assertEquals(rpc, attribute("failing", "EventsDropped"), "the exchanges that failed");

        // the stuck route's queue (8) filled: the rest of its pings were dropped at its door, counted for it and by the bus
        long dropped = attribute("stuck", "EventsDropped");
        assertTrue(dropped > 0, "dropped " + dropped);
        assertEquals(dropped, context.getComponent("bus", BusComponent.class).getStatistics().subscriberOverflow());
        release.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(() -> attribute("stuck", "EventsOut") == pings - dropped);
        assertEquals(pings - dropped, attribute("stuck", "EventsIn"));
    }

    @Test
    void kindsAreCheckedAndBoundedLikeSubjects() {
        Exception bad = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:subscribe?kinds=message/addr").routeId("bad-kind").to("log:x");
            }
        }));
        assertTrue(rootMessage(bad).contains("kinds: 'message/addr' is not a subject or kind"), rootMessage(bad));
        Exception many = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:subscribe?kinds=" + "k,".repeat(33)).routeId("many-kinds").to("log:x");
            }
        }));
        assertTrue(rootMessage(many).contains("kinds: more than 32 entries"), rootMessage(many));
        release.countDown();
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }
}
