package org.peerobserver.bitcoin;

import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.primitives.ConnType;

/**
 * Bitcoin Core's connection-type strings (as its tracepoints hand them over) to upstream's {@code ConnType},
 * exactly as upstream maps them, including its bug: {@code feeler} becomes {@code OutboundFullRelay}, so
 * {@code Feeler} is never produced; {@code manual}, {@code addr-fetch} and anything else become {@code Unknown}.
 */
public final class ConnTypes {
    private ConnTypes() {
    }

    public static ConnType of(String coreConnType) {
        if (coreConnType == null) {
            return ConnType.Unknown;
        }
        switch (coreConnType) {
            case "inbound": return ConnType.Inbound;
            case "outbound-full-relay":
            case "feeler": return ConnType.OutboundFullRelay;
            case "block-relay-only": return ConnType.BlockRelayOnly;
            default: return ConnType.Unknown;
        }
    }

    /** The {@code Metadata} of a message event, with the connection type mapped as upstream does. */
    public static Metadata metadata(long peerId, String addr, String coreConnType, String command, boolean inbound, long size) {
        return Metadata.newBuilder().setPeerId(peerId).setAddr(addr).setConnType(of(coreConnType)).setCommand(command)
                .setInbound(inbound).setSize(size).build();
    }
}
