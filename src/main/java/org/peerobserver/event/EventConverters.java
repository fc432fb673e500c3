package org.peerobserver.event;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.TypeConversionException;
import org.apache.camel.spi.TypeConverterLoader;
import org.apache.camel.spi.TypeConverterRegistry;
import org.apache.camel.support.TypeConverterSupport;
import org.peerobserver.proto.event.Event;

/**
 * Camel type conversions of events, so a route hands them to any endpoint ({@code - to: file:...},
 * {@code - to: kafka:...}) without Java. From an {@code Event}, a {@code ReceivedEvent} or a batch of either
 * (a {@code List<ReceivedEvent>}, from {@code bus:subscribe} or from a source):
 * <ul>
 * <li>to {@code String} and {@code InputStream}: JSON lines ({@link EventJson}), one per event, each ending
 * in a newline;</li>
 * <li>to {@code byte[]}: protobuf, each event length-delimited, which is the capture format that
 * {@code replay:} reads (a single event: its plain encoding, as on the bus).</li>
 * </ul>
 * Camel loads it from {@code META-INF/services/org/apache/camel/TypeConverterLoader}. It is a fallback
 * converter, asked only after Camel's own, and it answers only for events: other values and lists keep
 * Camel's conversions.
 */
public final class EventConverters extends TypeConverterSupport implements TypeConverterLoader {

    @Override
    public void load(TypeConverterRegistry registry) {
        registry.addFallbackTypeConverter(this, false);
    }

    @Override
    public <T> T convertTo(Class<T> type, Exchange exchange, Object value) throws TypeConversionException {
        List<?> events = events(value);
        if (events == null) {
            return null;
        }
        if (type == String.class) {
            return type.cast(jsonLines(events));
        }
        if (type == InputStream.class) {
            return type.cast(new ByteArrayInputStream(jsonLines(events).getBytes(StandardCharsets.UTF_8)));
        }
        if (type == byte[].class) {
            return type.cast(value instanceof List<?> ? delimited(events) : event(value).toByteArray());
        }
        return null;
    }

    /** The events of {@code value}, or null when it is not an event or a batch of them. */
    private static List<?> events(Object value) {
        if (value instanceof Event || value instanceof ReceivedEvent) {
            return List.of(value);
        }
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        for (Object e : list) {
            if (!(e instanceof Event || e instanceof ReceivedEvent)) {
                return null;
            }
        }
        return list;
    }

    private static Event event(Object e) {
        return e instanceof ReceivedEvent r ? r.event() : (Event) e;
    }

    static String jsonLines(List<?> events) {
        StringBuilder out = new StringBuilder(events.size() * 256);
        for (Object e : events) {
            out.append(e instanceof ReceivedEvent r ? EventJson.of(r) : EventJson.of((Event) e)).append('\n');
        }
        return out.toString();
    }

    static byte[] delimited(List<?> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 128);
        try {
            for (Object e : events) {
                event(e).writeDelimitedTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
