package org.peerobserver.tool.websocket;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import org.peerobserver.proto.event.Event;

/**
 * An event as upstream peer-observer's websocket tool sends it, which is what its pages parse: serde's JSON of
 * the prost types of {@code Event.peer_observer_event}. Every field is present; a oneof is an object with one
 * key, the UpperCamelCase name of the member that is set ({@code {"EbpfExtractor":{"ebpf_event":{"Message":...}}}});
 * an unset message, optional field or oneof is null; enums are numbers, 64-bit integers are numbers, bytes are
 * arrays of numbers; there is no timestamp, subject or node.
 */
final class UpstreamJson {
    private static final JsonFactory JSON = new JsonFactory();

    private UpstreamJson() {
    }

    /** False for our own events (subject {@code ext.*}), which upstream has no type for and never sends. */
    static boolean has(Event event) {
        return event.getPeerObserverEventCase() != Event.PeerObserverEventCase.EXTENSION
                && event.getPeerObserverEventCase() != Event.PeerObserverEventCase.PEEROBSERVEREVENT_NOT_SET;
    }

    /** Only for an event upstream {@link #has}. */
    static String of(Event event) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            oneof(json, event, Event.getDescriptor().getOneofs().get(0));
        } catch (IOException e) {
            // a StringWriter does not fail
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void message(JsonGenerator json, Message message) throws IOException {
        json.writeStartObject();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.getRealContainingOneof() == null) {
                json.writeFieldName(field.getName());
                field(json, message, field);
            }
        }
        // prost puts a oneof in one field named after it
        for (OneofDescriptor oneof : message.getDescriptorForType().getRealOneofs()) {
            json.writeFieldName(oneof.getName());
            oneof(json, message, oneof);
        }
        json.writeEndObject();
    }

    private static void oneof(JsonGenerator json, Message message, OneofDescriptor oneof) throws IOException {
        FieldDescriptor set = message.getOneofFieldDescriptor(oneof);
        if (set == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeFieldName(upperCamel(set.getName()));
        value(json, set, message.getField(set));
        json.writeEndObject();
    }

    private static void field(JsonGenerator json, Message message, FieldDescriptor field) throws IOException {
        if (field.isMapField()) {
            json.writeStartObject();
            for (Object entry : (List<?>) message.getField(field)) {
                MapEntry<?, ?> pair = (MapEntry<?, ?>) entry;
                json.writeFieldName(String.valueOf(pair.getKey()));
                value(json, field.getMessageType().findFieldByNumber(2), pair.getValue());
            }
            json.writeEndObject();
        } else if (field.isRepeated()) {
            json.writeStartArray();
            for (Object element : (List<?>) message.getField(field)) {
                value(json, field, element);
            }
            json.writeEndArray();
        } else if (!field.isRequired() && !message.hasField(field)) {
            // prost: Option<T> for a message and for an optional proto2 field
            json.writeNull();
        } else {
            value(json, field, message.getField(field));
        }
    }

    private static void value(JsonGenerator json, FieldDescriptor field, Object value) throws IOException {
        switch (field.getType()) {
            case UINT32, FIXED32 -> json.writeNumber(Integer.toUnsignedLong((Integer) value));
            case UINT64, FIXED64 -> json.writeNumber(new BigInteger(Long.toUnsignedString((Long) value)));
            case INT32, SINT32, SFIXED32 -> json.writeNumber((Integer) value);
            case INT64, SINT64, SFIXED64 -> json.writeNumber((Long) value);
            case DOUBLE, FLOAT -> {
                double d = ((Number) value).doubleValue();
                // serde_json writes NaN and infinities as null
                if (Double.isFinite(d)) {
                    json.writeNumber(d);
                } else {
                    json.writeNull();
                }
            }
            case BOOL -> json.writeBoolean((Boolean) value);
            case STRING -> json.writeString((String) value);
            case BYTES -> {
                json.writeStartArray();
                for (byte b : ((ByteString) value).toByteArray()) {
                    json.writeNumber(b & 0xff);
                }
                json.writeEndArray();
            }
            case ENUM -> json.writeNumber(((EnumValueDescriptor) value).getNumber());
            case MESSAGE, GROUP -> message(json, (Message) value);
        }
    }

    /** prost's name for a oneof member: {@code peer_infos} is {@code PeerInfos}. */
    static String upperCamel(String snake) {
        StringBuilder name = new StringBuilder(snake.length());
        for (String word : snake.split("_")) {
            if (!word.isEmpty()) {
                name.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return name.toString();
    }
}
