package org.peerobserver.event;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
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

    /** Subject and kind for {@code event}; an event whose oneofs are not all set is invalid. */
    public static EventKind of(Event event) {
        switch (event.getPeerObserverEventCase()) {
            case EBPF_EXTRACTOR: {
                ebpf e = event.getEbpfExtractor();
                switch (e.getEbpfEventCase()) {
                    case MESSAGE: return new EventKind("netmsg", "message." + member(e.getMessage(), "msg"));
                    case CONNECTION: return new EventKind("netconn", "connection." + member(e.getConnection(), "event"));
                    case ADDRMAN: return new EventKind("addrman", "addrman." + member(e.getAddrman(), "event"));
                    case MEMPOOL: return new EventKind("mempool", "mempool." + member(e.getMempool(), "event"));
                    case VALIDATION: return new EventKind("validation", "validation." + member(e.getValidation(), "event"));
                    default: throw new InvalidEventException("ebpf event with no sub-event set");
                }
            }
            case RPC_EXTRACTOR: return new EventKind("rpc", "rpc." + member(event.getRpcExtractor(), "rpc_event"));
            case P2P_EXTRACTOR: return new EventKind("p2p-extractor", "p2p." + member(event.getP2PExtractor(), "p2p_event"));
            case LOG_EXTRACTOR: return new EventKind("log-extractor", "log." + member(event.getLogExtractor(), "log_event"));
            case EXTENSION: {
                String member = member(event.getExtension(), "ext_event");
                return new EventKind("ext." + member, "ext." + member);
            }
            default: throw new InvalidEventException("event with no extractor event set");
        }
    }

    private static String member(Message message, String oneofName) {
        OneofDescriptor oneof = message.getDescriptorForType().getOneofs().stream()
                .filter(o -> o.getName().equals(oneofName)).findFirst().orElseThrow();
        FieldDescriptor set = message.getOneofFieldDescriptor(oneof);
        if (set == null) {
            throw new InvalidEventException(message.getDescriptorForType().getName() + " with no " + oneofName + " set");
        }
        return set.getName();
    }

    /** An event that no subject fits: upstream tools would crash on it, so it is never published. */
    public static class InvalidEventException extends IllegalArgumentException {
        public InvalidEventException(String message) {
            super(message);
        }
    }
}
