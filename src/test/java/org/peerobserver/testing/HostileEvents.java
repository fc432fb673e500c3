package org.peerobserver.testing;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.peerobserver.proto.event.Event;

/**
 * Events of every kind with every string field (user agents, addresses, reject reasons, debug.log
 * lines, RPC strings, peers of block races...) set to one text, made from the message descriptors, so
 * a kind added to the schema is covered without a change here: one event per member of every oneof
 * (an Event's kinds, and e.g. each kind of address), with every other field set; repeated message
 * fields hold one item of each of their own variants.
 */
public final class HostileEvents {
    private HostileEvents() {
    }

    public static List<Event> all(String text) {
        List<Event> events = new ArrayList<>();
        for (Message m : variants(Event.newBuilder(), text)) {
            events.add((Event) m);
        }
        return events;
    }

    private static List<Message> variants(Message.Builder prototype, String text) {
        Message.Builder base = prototype.clone();
        List<FieldDescriptor> members = new ArrayList<>();
        for (FieldDescriptor f : base.getDescriptorForType().getFields()) {
            if (f.getRealContainingOneof() != null) {
                members.add(f);
            } else if (f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                variants(base.newBuilderForField(f), text).forEach(v -> base.addRepeatedField(f, v));
            } else if (f.isRepeated()) {
                base.addRepeatedField(f, value(base, f, text));
            } else {
                base.setField(f, value(base, f, text));
            }
        }
        if (members.isEmpty()) {
            return List.of(base.buildPartial());
        }
        List<Message> out = new ArrayList<>();
        for (FieldDescriptor member : members) {
            if (member.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                for (Message v : variants(base.newBuilderForField(member), text)) {
                    out.add(base.clone().setField(member, v).buildPartial());
                }
            } else {
                out.add(base.clone().setField(member, value(base, member, text)).buildPartial());
            }
        }
        return out;
    }

    private static Object value(Message.Builder owner, FieldDescriptor f, String text) {
        return switch (f.getJavaType()) {
            case STRING -> text;
            case MESSAGE -> variants(owner.newBuilderForField(f), text).get(0);
            case BYTE_STRING -> ByteString.copyFrom(new byte[] {1, 2, 3, 4});
            case ENUM -> f.getEnumType().getValues().get(0);
            case BOOLEAN -> true;
            case INT -> 1;
            case LONG -> 1L;
            case FLOAT -> 1.0f;
            case DOUBLE -> 1.0;
        };
    }
}
