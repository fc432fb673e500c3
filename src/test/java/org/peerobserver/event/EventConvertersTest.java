package org.peerobserver.event;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.TypeConverter;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.SampleCapture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The conversions a route's {@code to: file:...} or {@code to: kafka:...} relies on, found as Camel finds them. */
class EventConvertersTest {
    private final CamelContext context = new DefaultCamelContext();
    private final TypeConverter converter = context.getTypeConverter();
    private final List<ReceivedEvent> batch = SampleCapture.events().subList(0, 20).stream()
            .map(e -> new ReceivedEvent(e, EventKind.of(e), "node-a")).toList();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void aBatchIsJsonLinesAsTextAndDelimitedProtobufAsBytes() throws IOException {
        String text = converter.convertTo(String.class, batch);
        String[] lines = text.split("\n");
        assertEquals(batch.size(), lines.length);
        assertEquals('\n', text.charAt(text.length() - 1));
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.length; i++) {
            JsonNode line = json.readTree(lines[i]);
            assertEquals(batch.get(i).subject(), line.get("subject").asText());
            assertEquals(batch.get(i).kind().kind(), line.get("kind").asText());
            assertEquals("node-a", line.get("node").asText());
            assertEquals(EventJson.of(batch.get(i)), lines[i]);
        }
        try (InputStream in = converter.convertTo(InputStream.class, batch)) {
            assertEquals(text, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        List<Event> back = new ArrayList<>();
        ByteArrayInputStream bytes = new ByteArrayInputStream(converter.convertTo(byte[].class, batch));
        for (Event e; (e = Event.parseDelimitedFrom(bytes)) != null; ) {
            back.add(e);
        }
        assertEquals(batch.stream().map(ReceivedEvent::event).toList(), back, "the capture format, as replay: reads it");
    }

    @Test
    void oneEventIsOneLineOrItsEncoding() {
        ReceivedEvent one = batch.get(3);
        assertEquals(EventJson.of(one) + "\n", converter.convertTo(String.class, one));
        assertArrayEquals(one.event().toByteArray(), converter.convertTo(byte[].class, one));
        assertArrayEquals(one.event().toByteArray(), converter.convertTo(byte[].class, one.event()));
        // as a source made it: no node yet
        assertEquals(EventJson.of(one.event(), one.subject(), one.kind().kind(), null) + "\n",
                converter.convertTo(String.class, one.event()));
    }

    @Test
    void otherListsKeepCamelsConversions() {
        assertEquals("[a, b]", converter.convertTo(String.class, List.of("a", "b")));
        assertEquals("[]", converter.convertTo(String.class, List.of()));
    }
}
