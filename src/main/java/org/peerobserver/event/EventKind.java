package org.peerobserver.event;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.event.Event;

/**
 * The subject and kind of an event, both derived from which oneof members are set, exactly
 * as upstream tools dispatch. Subjects are upstream's; our own events go to {@code ext.<member>}.
 *
 * <p>A kind is {@code <group>.<member>}: the group is the ebpf sub-event ({@code message},
 * {@code connection}, {@code addrman}, {@code mempool}, {@code validation}) or the extractor
 * ({@code rpc}, {@code p2p}, {@code log}, {@code ext}); the member is the proto field name of the
 * innermost oneof that is set ({@code message.addr}, {@code connection.inbound}, {@code rpc.uptime}).
 */
public record EventKind(String subject, String kind) {
    private static final Map<FieldDescriptor, EventKind> KINDS = new ConcurrentHashMap<>();
    private static volatile Last LAST = new Last(null, 0, null);

    /** Subject and kind for {@code event}; an event whose oneofs are not all set is invalid. */
    public static EventKind of(Event event) {
        switch (event.getPeerObserverEventCase()) {
            case EBPF_EXTRACTOR: {
                ebpf e = event.getEbpfExtractor();
                switch (e.getEbpfEventCase()) {
                    case MESSAGE: return of("netmsg", "message.", e.getMessage(), e.getMessage().getMsgCase().getNumber(), "msg");
                    case CONNECTION: return of("netconn", "connection.", e.getConnection(),
                            e.getConnection().getEventCase().getNumber(), "event");
                    case ADDRMAN: return of("addrman", "addrman.", e.getAddrman(), e.getAddrman().getEventCase().getNumber(), "event");
                    case MEMPOOL: return of("mempool", "mempool.", e.getMempool(), e.getMempool().getEventCase().getNumber(), "event");
                    case VALIDATION: return of("validation", "validation.", e.getValidation(),
                            e.getValidation().getEventCase().getNumber(), "event");
                    default: throw new InvalidEventException("ebpf event with no sub-event set");
                }
            }
            case RPC_EXTRACTOR: return of("rpc", "rpc.", event.getRpcExtractor(),
                    event.getRpcExtractor().getRpcEventCase().getNumber(), "rpc_event");
            case P2P_EXTRACTOR: return of("p2p-extractor", "p2p.", event.getP2PExtractor(),
                    event.getP2PExtractor().getP2PEventCase().getNumber(), "p2p_event");
            case LOG_EXTRACTOR: return of("log-extractor", "log.", event.getLogExtractor(),
                    event.getLogExtractor().getLogEventCase().getNumber(), "log_event");
            case EXTENSION: return of(null, "ext.", event.getExtension(), event.getExtension().getExtEventCase().getNumber(),
                    "ext_event");
            default: throw new InvalidEventException("event with no extractor event set");
        }
    }

    /**
     * The kind {@code group + member}, where member is the field of {@code message}'s oneof set (field
     * {@code number}, 0 when none is), on {@code subject} (null: the kind). Made once per member: this
     * runs for every event published.
     */
    private static EventKind of(String subject, String group, Message message, int number, String oneofName) {
        Last last = LAST;
        if (last.number == number && last.group == group) {
            return last.kind;
        }
        EventKind kind = lookUp(subject, group, message, number, oneofName);
        LAST = new Last(group, number, kind);
        return kind;
    }

    /** The last kind made, for the next event of a flood of one kind: one read, no map. */
    private record Last(String group, int number, EventKind kind) {
    }

    private static EventKind lookUp(String subject, String group, Message message, int number, String oneofName) {
        FieldDescriptor member = number == 0 ? null : message.getDescriptorForType().findFieldByNumber(number);
        if (member == null) {
            throw new InvalidEventException(message.getDescriptorForType().getName() + " with no " + oneofName + " set");
        }
        EventKind kind = KINDS.get(member);
        if (kind == null) {
            String name = group + member.getName();
            kind = new EventKind(subject == null ? name : subject, name);
            KINDS.putIfAbsent(member, kind);
        }
        return kind;
    }

    /** An event that no subject fits: upstream tools would crash on it, so it is never published. */
    public static class InvalidEventException extends IllegalArgumentException {
        public InvalidEventException(String message) {
            super(message);
        }
    }
}
