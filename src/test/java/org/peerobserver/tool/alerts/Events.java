package org.peerobserver.tool.alerts;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.ebpf.connection.Connection;
import org.peerobserver.proto.ebpf.connection.ConnectionEvent;
import org.peerobserver.proto.ebpf.connection.EvictedInboundConnection;
import org.peerobserver.proto.ebpf.connection.InboundConnection;
import org.peerobserver.proto.ebpf.connection.MisbehavingConnection;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.mempool.MempoolEvent;
import org.peerobserver.proto.ebpf.mempool.Rejected;
import org.peerobserver.proto.ebpf.mempool.Removed;
import org.peerobserver.proto.ebpf.message.AddrV2;
import org.peerobserver.proto.ebpf.message.Headers;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.validation.BlockConnected;
import org.peerobserver.proto.ebpf.validation.ValidationEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;
import org.peerobserver.proto.ext.BlockRace;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.proto.ext.RaceArrival;
import org.peerobserver.proto.p2p.PingDuration;
import org.peerobserver.proto.p2p.p2p;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.BlockHeader;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.proto.rpc.PeerInfo;
import org.peerobserver.proto.rpc.PeerInfos;
import org.peerobserver.proto.rpc.rpc;

/** Events that fire the detectors, and events that must not, made here for each case. */
final class Events {
    static final String NODE = "alice";
    static final long T0 = 1_764_000_000_000L;

    private Events() {
    }

    static ReceivedEvent received(Event e) {
        return new ReceivedEvent(e, EventKind.of(e), NODE);
    }

    static Event ebpf(long millis, ebpf e) {
        return Event.newBuilder().setTimestamp(millis).setEbpfExtractor(e).build();
    }

    static Connection conn(long peer, String addr) {
        return Connection.newBuilder().setPeerId(peer).setAddr(addr).setConnType(ConnType.Inbound).setNetwork(1).build();
    }

    static Event inbound(long millis, long peer, String addr) {
        return ebpf(millis, ebpf.newBuilder().setConnection(ConnectionEvent.newBuilder()
                .setInbound(InboundConnection.newBuilder().setConn(conn(peer, addr)).setExistingConnections(10))).build());
    }

    static Event evicted(long millis, long peer, String addr) {
        return ebpf(millis, ebpf.newBuilder().setConnection(ConnectionEvent.newBuilder()
                .setInboundEvicted(EvictedInboundConnection.newBuilder().setConn(conn(peer, addr)).setTimeEstablished(1))).build());
    }

    static Event misbehaving(long millis, long peer) {
        return ebpf(millis, ebpf.newBuilder().setConnection(ConnectionEvent.newBuilder()
                .setMisbehaving(MisbehavingConnection.newBuilder().setId(peer).setMessage("invalid header received"))).build());
    }

    static Event rejected(long millis, String reason) {
        return ebpf(millis, ebpf.newBuilder().setMempool(MempoolEvent.newBuilder()
                .setRejected(Rejected.newBuilder().setTxid(ByteString.copyFrom(new byte[32])).setReason(reason))).build());
    }

    static Event removed(long millis, String reason) {
        return ebpf(millis, ebpf.newBuilder().setMempool(MempoolEvent.newBuilder().setRemoved(Removed.newBuilder()
                .setTxid(ByteString.copyFrom(new byte[32])).setReason(reason).setVsize(200).setFee(1000).setEntryTime(1))).build());
    }

    static Metadata meta(long peer, String command) {
        return Metadata.newBuilder().setPeerId(peer).setAddr("198.51.100.7:8333").setConnType(ConnType.Inbound)
                .setCommand(command).setInbound(true).setSize(100).build();
    }

    /** An addrv2 message from {@code peer} with {@code count} addresses. */
    static Event addrv2(long millis, long peer, int count) {
        AddrV2.Builder a = AddrV2.newBuilder();
        for (int i = 0; i < count; i++) {
            a.addAddresses(Address.newBuilder().setTimestamp(1).setIpv4("203.0.113." + (i % 250)).setPort(8333).setServices(1));
        }
        return ebpf(millis, ebpf.newBuilder().setMessage(MessageEvent.newBuilder().setMeta(meta(peer, "addrv2")).setAddrv2(a)).build());
    }

    static ByteString hash(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        b[1] = (byte) (n >> 8);
        return ByteString.copyFrom(b);
    }

    static Event headers(long millis, long peer, int n) {
        BlockHeader h = BlockHeader.newBuilder().setVersion(1).setPrevBlockhash(hash(n - 1)).setMerkleRoot(hash(0)).setTime(1)
                .setBits(1).setNonce(1).setHash(hash(n)).build();
        return ebpf(millis, ebpf.newBuilder().setMessage(MessageEvent.newBuilder().setMeta(meta(peer, "headers"))
                .setHeaders(Headers.newBuilder().addHeaders(h))).build());
    }

    static Event connected(long millis, int n) {
        return ebpf(millis, ebpf.newBuilder().setValidation(ValidationEvent.newBuilder().setBlockConnected(BlockConnected.newBuilder()
                .setHash(hash(n)).setHeight(n).setTransactions(1).setInputs(1).setSigops(1).setConnectionTime(1))).build());
    }

    static Event p2pPing(long millis, double seconds) {
        return Event.newBuilder().setTimestamp(millis).setP2PExtractor(p2p.newBuilder()
                .setPingDuration(PingDuration.newBuilder().setDuration((long) (seconds * 1e9)))).build();
    }

    static PeerInfo peer(int id, double ping) {
        return PeerInfo.newBuilder().setId(id).setAddress("198.51.100." + id + ":8333").setAddressBind("").setAddressLocal("")
                .setNetwork("ipv4").setMappedAs(0).setServices("0").setRelayTransactions(true).setLastSend(0).setLastReceived(0)
                .setLastTransaction(0).setLastBlock(0).setBytesSent(0).setBytesReceived(0).setConnectionTime(0).setTimeOffset(0)
                .setPingTime(ping).setMinimumPing(ping).setPingWait(0).setVersion(70016).setSubversion("").setInbound(false)
                .setBip152HbTo(false).setBip152HbFrom(false).setStartingHeight(0).setSyncedHeaders(0).setSyncedBlocks(0)
                .setAddrRelayEnabled(true).setAddrProcessed(0).setAddrRateLimited(0).setMinfeefilter(0)
                .setConnectionType("outbound-full-relay").setTransportProtocolType("v2").setInvToSend(0).setCpuLoad(0).build();
    }

    static Event peerInfos(long millis, PeerInfo... peers) {
        return Event.newBuilder().setTimestamp(millis).setRpcExtractor(rpc.newBuilder()
                .setPeerInfos(PeerInfos.newBuilder().addAllInfos(List.of(peers)))).build();
    }

    static Event race(long millis, int n, String winner, boolean udp) {
        BlockRace.Builder r = BlockRace.newBuilder().setBlockHash("00" + n).setWinner(winner).setTie(false).setFirstSeen(millis);
        if (udp) {
            r.setFibreUdp(RaceArrival.newBuilder().setAfterMs(winner.equals("fibre_udp") ? 0 : 5).setPeer("udp-peer"));
        }
        return Event.newBuilder().setTimestamp(millis).setExtension(Extension.newBuilder().setRace(r)).build();
    }

    static List<ReceivedEvent> all(Event... events) {
        List<ReceivedEvent> out = new ArrayList<>();
        for (Event e : events) {
            out.add(received(e));
        }
        return out;
    }

    static Alert alert(ReceivedEvent e) {
        return e.event().getExtension().getAlert();
    }
}
