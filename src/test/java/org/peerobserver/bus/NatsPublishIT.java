package org.peerobserver.bus;

import java.io.IOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.UnknownFieldSet;
import io.nats.client.Connection;
import io.nats.client.Message;
import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.NatsAppTestSupport;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An extractor-side route (replay → bus:publish) on NATS, read by plain jnats as upstream tools read it. */
class NatsPublishIT extends NatsAppTestSupport {

    @Override
    protected Properties extraSettings() {
        return props("extractors", "replay", "camel.component.replay.configuration.speed", "0", "replay.file", SampleCapture.tempFile(SampleCapture.events()));
    }

    @Test
    void upstreamSubscribersDecodeTheBytesAndNeverSeeExtSubjects() throws Exception {
        Connection c = client();
        List<Message> upstreamView = collect(c, "*");
        List<Message> extView = collect(c, "ext.*");
        context.start();

        List<Event> sample = SampleCapture.events();
        List<Event> upstreamEvents = sample.stream().filter(e -> !e.hasExtension()).toList();
        List<Event> extEvents = sample.stream().filter(Event::hasExtension).toList();
        await().atMost(20, TimeUnit.SECONDS).until(() -> upstreamView.size() >= upstreamEvents.size()
                && extView.size() >= extEvents.size());
        assertEquals(upstreamEvents.size(), upstreamView.size(), "a * subscriber sees every upstream event and no ext one");
        for (int i = 0; i < upstreamEvents.size(); i++) {
            Message m = upstreamView.get(i);
            // as upstream's decoder does: our stamp is a field its schema lacks, skipped
            Event decoded = Event.parseFrom(m.getData());
            assertEquals(upstreamEvents.get(i), withoutUnknownFields(decoded));
            assertEquals(EventKind.of(decoded).subject(), m.getSubject());
            assertEquals("alpha", NatsPayload.decode(m.getData()).node());
        }
        assertEquals(extEvents.size(), extView.size());
        assertEquals("ext.rpc_result", extView.get(0).getSubject());
        assertEquals(extEvents.get(0), NatsPayload.decode(extView.get(0).getData()).event());
    }

    @Test
    void aListBodyIsPublishedEventByEventInOrderOnEachSubject() throws Exception {
        Connection c = client();
        List<Message> seen = collect(c, ">");
        context.start();
        List<Event> sample = SampleCapture.events();
        // elements as a batching source sends them, and one as bytes: each is decoded on its own
        List<Object> batch = List.of(sample.get(0), sample.get(1).toByteArray(), sample.get(2));
        context.createProducerTemplate().sendBodyAndHeader("bus:publish", batch, EventHeaders.NODE, "batcher");

        await().atMost(20, TimeUnit.SECONDS).until(() -> seen.stream().filter(this::fromBatcher).count() >= 3);
        List<Message> published = seen.stream().filter(this::fromBatcher).toList();
        assertEquals(3, published.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(sample.get(i), NatsPayload.decode(published.get(i).getData()).event());
            assertEquals(EventKind.of(sample.get(i)).subject(), published.get(i).getSubject());
        }
    }

    private boolean fromBatcher(Message m) {
        try {
            return "batcher".equals(NatsPayload.decode(m.getData()).node());
        } catch (IOException e) {
            return false;
        }
    }

    private static Event withoutUnknownFields(Event e) {
        return e.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).build();
    }
}
