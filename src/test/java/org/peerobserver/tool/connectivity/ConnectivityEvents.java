package org.peerobserver.tool.connectivity;

import java.util.List;

import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.message.Addr;
import org.peerobserver.proto.ebpf.message.AddrV2;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.ConnType;

/** addr/addrv2 message events as the ebpf extractor publishes them. */
final class ConnectivityEvents {
    private ConnectivityEvents() {
    }

    static Address ipv4(String ip, int port, long timestamp) {
        return Address.newBuilder().setTimestamp((int) timestamp).setIpv4(ip).setServices(9).setPort(port).build();
    }

    static Event message(long millis, boolean v2, boolean inbound, String source, List<Address> addresses) {
        MessageEvent.Builder m = MessageEvent.newBuilder().setMeta(Metadata.newBuilder().setPeerId(7).setAddr(source)
                .setConnType(ConnType.Inbound).setCommand(v2 ? "addrv2" : "addr").setInbound(inbound).setSize(31L * addresses.size()));
        if (v2) {
            m.setAddrv2(AddrV2.newBuilder().addAllAddresses(addresses));
        } else {
            m.setAddr(Addr.newBuilder().addAllAddresses(addresses));
        }
        return Event.newBuilder().setTimestamp(millis).setEbpfExtractor(ebpf.newBuilder().setMessage(m)).build();
    }
}
