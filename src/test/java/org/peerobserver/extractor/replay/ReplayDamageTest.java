package org.peerobserver.extractor.replay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.CapturedLog;
import org.peerobserver.testing.SampleCapture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture damaged at record 182 (of the 380 sample events): every event before it is published, even
 * at full speed where they wait in a batch of 500; the log names the record, where it starts and how many
 * bytes after it are lost. A capture that is not there fails the route's creation.
 */
class ReplayDamageTest extends CamelTestSupport {
    private static final List<Event> EVENTS = SampleCapture.events();
    private static final int GOOD = 181;

    @TempDir
    Path dir;

    private final CapturedLog log = new CapturedLog(ReplayConsumer.class);

    @AfterEach
    void closeLog() {
        log.close();
    }

    /** The first 181 events, a damaged record, then the rest, which are lost: the length prefix cannot be trusted. */
    private static byte[] damaged(byte[] badRecord) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SampleCapture.write(EVENTS.subList(0, GOOD), out);
        out.write(badRecord);
        SampleCapture.write(EVENTS.subList(GOOD + 1, EVENTS.size()), out);
        return out.toByteArray();
    }

    private static int sizeOf(List<Event> events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SampleCapture.write(events, out);
        return out.size();
    }

    private MockEndpoint replay(Path capture) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("replay:" + capture + "?speed=0&batchSize=500").routeId("replay").to("mock:events");
            }
        });
        return getMockEndpoint("mock:events");
    }

    @Test
    void aRecordThatIsNotAnEvent() throws Exception {
        // a length that holds, 40 bytes that are no protobuf: framing intact, content not
        byte[] garbage = new byte[41];
        garbage[0] = 40;
        Arrays.fill(garbage, 1, 41, (byte) 0xff);
        Path capture = dir.resolve("garbage.capture");
        byte[] bytes = damaged(garbage);
        Files.write(capture, bytes);

        List<Event> published = published(replay(capture));
        assertEquals(EVENTS.subList(0, GOOD), published);
        String error = awaitError();
        int offset = sizeOf(EVENTS.subList(0, GOOD));
        assertTrue(error.startsWith("ERROR Replay of " + capture + " stopped at byte " + offset + ": record 182 is not an event"), error);
        assertTrue(error.endsWith("; the 181 events before it were published, the " + (bytes.length - offset)
                + " bytes from there to the end are lost"), error);
    }

    @Test
    void aGzipCaptureCutShort() throws Exception {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(whole)) {
            gzip.write(damaged(new byte[] { (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f }));
        }
        Path capture = dir.resolve("oversized.capture.gz");
        Files.write(capture, whole.toByteArray());

        assertEquals(EVENTS.subList(0, GOOD), published(replay(capture)));
        String error = awaitError();
        assertTrue(error.contains(" (uncompressed): record 182 claims 268435455 bytes, over the limit of 16777216"), error);
        assertTrue(error.contains("; the 181 events before it were published, the "), error);
    }

    @Test
    void aCaptureThatIsNotThereFailsTheRoute() {
        Path missing = dir.resolve("missing.capture");
        FailedToCreateRouteException e = assertThrows(FailedToCreateRouteException.class, () -> replay(missing));
        assertTrue(e.getMessage().contains("the capture " + missing + " cannot be read (missing, not a file, or no permission;"
                + " setting REPLAY_FILE or --replay-file)"), e.getMessage());
    }

    @Test
    void exitAtEndStopsTheApplicationWhenTheCaptureEnds() throws Exception {
        String capture = SampleCapture.tempFile(EVENTS.subList(0, 20));
        MockEndpoint events = getMockEndpoint("mock:events");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("replay:" + capture + "?speed=0&exitAtEnd=true").routeId("replay").to("mock:events");
            }
        });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (context.getStatus() != ServiceStatus.Stopped && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(ServiceStatus.Stopped, context.getStatus());
        assertEquals(20, events.getReceivedCounter());
    }

    private static List<Event> published(MockEndpoint mock) throws InterruptedException {
        mock.expectedMinimumMessageCount(1);
        mock.assertIsSatisfied(10_000);
        Thread.sleep(300);  // nothing more comes
        return mock.getReceivedExchanges().stream().flatMap(e -> e.getIn().getBody(List.class).stream())
                .map(r -> ((ReceivedEvent) r).event()).toList();
    }

    private String awaitError() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (log.lines("ERROR").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, log.lines("ERROR").size(), log.lines().toString());
        assertTrue(!log.sawThrowable());
        return log.lines("ERROR").get(0);
    }
}
