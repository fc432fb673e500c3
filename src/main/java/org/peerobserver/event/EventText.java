package org.peerobserver.event;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.peerobserver.proto.event.Event;
import org.peerobserver.support.SafeText;

/**
 * One short, readable line for any event, written from the message descriptors so new event kinds
 * print without new code. Hashes (32-byte fields) are shown in display order, as bitcoin-cli does;
 * long lists and payloads are cut so that a block never floods a log. Every string (a user agent, an
 * address, a reject reason, a debug.log line, an RPC answer, the node name) was written by someone else:
 * each is cut to {@link SafeText#DEFAULT_MAX} characters with its controls escaped, and quoted when it
 * holds a space, a quote or a brace, so no value can pass for another field or another line.
 */
public final class EventText {
    private static final int MAX_ITEMS = 8;
    private static final int MAX_LINE = 2000;
    private static final HexFormat HEX = HexFormat.of();

    private EventText() {
    }

    public static String line(Event event, String kind, String node) {
        StringBuilder b = new StringBuilder(160).append(kind).append(" node=");
        string(b, node);
        b.append(" at=").append(Instant.ofEpochMilli(event.getTimestamp()));
        fields(b.append(' '), detail(event));
        if (b.length() > MAX_LINE) {
            b.setLength(MAX_LINE);
            b.append("…");
        }
        return b.toString();
    }

    /** The part worth printing: the ebpf sub-event, or the extractor's message. */
    private static Message detail(Event event) {
        Message outer = (Message) event.getField(event.getOneofFieldDescriptor(
                Event.getDescriptor().getOneofs().get(0)));
        if (event.hasEbpfExtractor()) {
            Map<FieldDescriptor, Object> set = outer.getAllFields();
            return set.isEmpty() ? outer : (Message) set.values().iterator().next();
        }
        return outer;
    }

    private static void fields(StringBuilder b, Message m) {
        boolean first = true;
        for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            if (!first) {
                b.append(' ');
            }
            first = false;
            b.append(f.getKey().getName()).append('=');
            value(b, f.getKey(), f.getValue());
        }
    }

    private static void value(StringBuilder b, FieldDescriptor field, Object value) {
        if (field.isRepeated()) {
            List<?> items = (List<?>) value;
            b.append('[');
            for (int i = 0; i < Math.min(items.size(), MAX_ITEMS); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                single(b, field, items.get(i));
            }
            if (items.size() > MAX_ITEMS) {
                b.append(" … +").append(items.size() - MAX_ITEMS).append(" more");
            }
            b.append(']');
        } else {
            single(b, field, value);
        }
    }

    private static void single(StringBuilder b, FieldDescriptor field, Object value) {
        switch (field.getJavaType()) {
            case MESSAGE -> {
                b.append('{');
                fields(b, (Message) value);
                b.append('}');
            }
            case BYTE_STRING -> bytes(b, (ByteString) value);
            case ENUM -> b.append(((EnumValueDescriptor) value).getName());
            case STRING -> string(b, (String) value);
            case LONG -> b.append(unsigned(field) ? Long.toUnsignedString((Long) value) : value.toString());
            case INT -> b.append(unsigned(field) ? Integer.toUnsignedString((Integer) value) : value.toString());
            default -> b.append(value);
        }
    }

    private static boolean unsigned(FieldDescriptor field) {
        return switch (field.getType()) {
            case UINT32, UINT64, FIXED32, FIXED64 -> true;
            default -> false;
        };
    }

    private static void bytes(StringBuilder b, ByteString bytes) {
        if (bytes.size() == 32) {
            byte[] reversed = new byte[32];
            for (int i = 0; i < 32; i++) {
                reversed[i] = bytes.byteAt(31 - i);
            }
            b.append(HEX.formatHex(reversed));
        } else if (bytes.size() <= 16) {
            b.append(HEX.formatHex(bytes.toByteArray()));
        } else {
            b.append('<').append(bytes.size()).append(" bytes>");
        }
    }

    private static void string(StringBuilder b, String s) {
        boolean plain = s != null && !s.isEmpty();
        for (int i = 0; plain && i < s.length(); i++) {
            char c = s.charAt(i);
            plain = c > ' ' && c != '"' && c != '\\' && c != '{' && c != '}' && c != '=';
        }
        String safe = plain ? SafeText.of(s) : null;
        b.append(safe == s ? s : SafeText.quoted(s));
    }
}
