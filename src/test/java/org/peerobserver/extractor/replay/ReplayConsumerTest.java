package org.peerobserver.extractor.replay;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.rpc.rpc;
import org.peerobserver.testing.SampleCapture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay source on its own: pacing from the recorded timestamps, speed factor, looping, headers. */
class ReplayConsumerTest extends CamelTestSupport {
    @TempDir
    static Path dir;
    static Path capture;
    static List<Event> events;

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        // five events recorded 400 ms apart: 1.6 s at the recorded pace
        capture = dir.resolve("paced.capture");
        events = new ArrayList<>();  // a context, and so this method, per test
        try (OutputStream out = Files.newOutputStream(capture)) {
            for (int i = 0; i < 5; i++) {
                Event e = Event.newBuilder().setTimestamp(1_700_000_000_000L + i * 400L)
                        .setRpcExtractor(rpc.newBuilder().setUptime(i)).build();
                events.add(e);
                e.writeDelimitedTo(out);
            }
        }
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("replay:" + capture + "?speed=1").routeId("paced").to("mock:paced");
                from("replay:" + capture + "?speed=4").routeId("fast").to("mock:fast");
                from("replay:" + capture + "?speed=0&loop=true").routeId("loop").to("mock:loop");
            }
        };
    }

    @Test
    void recordedPaceSpeedFactorAndLoop() throws Exception {
        MockEndpoint paced = getMockEndpoint("mock:paced");
        MockEndpoint fast = getMockEndpoint("mock:fast");
        paced.expectedMessageCount(events.size());
        fast.expectedMessageCount(events.size());
        fast.assertIsSatisfied(10_000);
        paced.assertIsSatisfied(10_000);
        assertEquals(events, bodies(fast));
        assertEquals(events, bodies(paced));
        // lower bounds only, from the route's start to its last event (the routes start before the test does):
        // the waits the recorded timestamps call for must have happened
        assertTrue(sinceStart("paced", paced) >= 1500, "recorded pace took " + sinceStart("paced", paced) + " ms for 1.6 s of events");
        assertTrue(sinceStart("fast", fast) >= 350, "4x pace took " + sinceStart("fast", fast) + " ms for 0.4 s of events");

        MockEndpoint loop = getMockEndpoint("mock:loop");
        loop.expectedMinimumMessageCount(3 * events.size());
        loop.assertIsSatisfied(10_000);
        assertEquals(events.get(0), loop.getReceivedExchanges().get(events.size()).getIn().getBody(), "starts again");
        assertEquals("rpc.uptime", loop.getReceivedExchanges().get(0).getIn().getHeader(EventHeaders.KIND));
        assertEquals("rpc", loop.getReceivedExchanges().get(0).getIn().getHeader(EventHeaders.SUBJECT));
    }

    private long sinceStart(String routeId, MockEndpoint mock) {
        long routeStarted = System.currentTimeMillis() - context.getRoute(routeId).getUptimeMillis();
        List<Exchange> got = mock.getReceivedExchanges();
        return got.get(got.size() - 1).getClock().getCreated() - routeStarted;
    }

    private static List<Object> bodies(MockEndpoint mock) {
        return mock.getReceivedExchanges().stream().map(x -> x.getIn().getBody()).toList();
    }

    @Test
    void theBundledSampleIsOnTheClassPath() throws Exception {
        try (CaptureReader r = new CaptureReader("classpath:samples/sample.capture.gz", 1 << 20)) {
            assertTrue(r.isGzip());
            assertEquals(SampleCapture.events().get(0), r.next());
        }
    }
}
