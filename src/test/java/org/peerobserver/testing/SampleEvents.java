package org.peerobserver.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.google.protobuf.ByteString;
import org.peerobserver.proto.ebpf.addrman.AddrmanEvent;
import org.peerobserver.proto.ebpf.addrman.InsertNew;
import org.peerobserver.proto.ebpf.addrman.InsertTried;
import org.peerobserver.proto.ebpf.connection.ClosedConnection;
import org.peerobserver.proto.ebpf.connection.Connection;
import org.peerobserver.proto.ebpf.connection.ConnectionEvent;
import org.peerobserver.proto.ebpf.connection.InboundConnection;
import org.peerobserver.proto.ebpf.connection.MisbehavingConnection;
import org.peerobserver.proto.ebpf.connection.OutboundConnection;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.mempool.Added;
import org.peerobserver.proto.ebpf.mempool.MempoolEvent;
import org.peerobserver.proto.ebpf.mempool.Removed;
import org.peerobserver.proto.ebpf.mempool.Replaced;
import org.peerobserver.proto.ebpf.message.AddrV2;
import org.peerobserver.proto.ebpf.message.FeeFilter;
import org.peerobserver.proto.ebpf.message.Inv;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.message.Ping;
import org.peerobserver.proto.ebpf.message.Pong;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.ebpf.validation.BlockConnected;
import org.peerobserver.proto.ebpf.validation.ValidationEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.proto.ext.RpcResult;
import org.peerobserver.proto.log.BlockConnectedLog;
import org.peerobserver.proto.log.LogDebugCategory;
import org.peerobserver.proto.log.UnknownLogMessage;
import org.peerobserver.proto.log.log;
import org.peerobserver.proto.p2p.InventoryAnnouncement;
import org.peerobserver.proto.p2p.PingDuration;
import org.peerobserver.proto.p2p.p2p;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.proto.rpc.MempoolInfo;
import org.peerobserver.proto.rpc.PeerInfo;
import org.peerobserver.proto.rpc.PeerInfos;
import org.peerobserver.proto.rpc.rpc;

/**
 * Synthetic events of every extractor kind, deterministic for a seed: the bundled sample capture
 * ({@link SampleCapture}) and the tests are made from them.
 */
public final class SampleEvents {
    private final Random random;
    private long clock;

    public SampleEvents(long seed, long startMillis) {
        this.random = new Random(seed);
        this.clock = startMillis;
    }

    /** A session of about {@code seconds} seconds: connections, messages, mempool, blocks, RPC, p2p and log events. */
    public List<Event> session(int seconds) {
        List<Event> events = new ArrayList<>();
        long end = clock + seconds * 1000L;
        events.add(rpc(rpc.newBuilder().setUptime(86_400).build()));
        events.add(rpc(rpc.newBuilder().setPeerInfos(PeerInfos.newBuilder()
                .addInfos(peerInfo(0, "203.0.113.7:8333", false)).addInfos(peerInfo(1, "[2001:db8::7]:8333", true))).build()));
        events.add(connection(ConnectionEvent.newBuilder().setOutbound(OutboundConnection.newBuilder()
                .setConn(conn(0, "203.0.113.7:8333", ConnType.OutboundFullRelay, 1)).setExistingConnections(1)).build()));
        events.add(message(0, "203.0.113.7:8333", "version", false, 102, b -> b.setVersion(version())));
        events.add(message(0, "203.0.113.7:8333", "verack", true, 0, b -> b.setVerack(true)));
        events.add(connection(ConnectionEvent.newBuilder().setInbound(InboundConnection.newBuilder()
                .setConn(conn(1, "[2001:db8::7]:8333", ConnType.Inbound, 2)).setExistingConnections(1)).build()));
        int height = 870_000;
        while (clock < end) {
            clock += 50 + random.nextInt(250);
            int dice = random.nextInt(100);
            int peer = random.nextInt(2);
            String addr = peer == 0 ? "203.0.113.7:8333" : "[2001:db8::7]:8333";
            if (dice < 40) {
                int n = 1 + random.nextInt(5);
                events.add(message(peer, addr, "inv", true, 1 + n * 36L, b -> b.setInv(inv(n))));
            } else if (dice < 55) {
                events.add(mempool(MempoolEvent.newBuilder().setAdded(Added.newBuilder()
                        .setTxid(hash()).setVsize(140 + random.nextInt(400)).setFee(200 + random.nextInt(5000))).build()));
            } else if (dice < 62) {
                long nonce = random.nextLong();
                events.add(message(peer, addr, "ping", false, 8, b -> b.setPing(Ping.newBuilder().setValue(nonce))));
                events.add(message(peer, addr, "pong", true, 8, b -> b.setPong(Pong.newBuilder().setValue(nonce))));
            } else if (dice < 67) {
                events.add(p2p(p2p.newBuilder().setPingDuration(PingDuration.newBuilder()
                        .setDuration(200_000 + random.nextInt(3_000_000))).build()));
            } else if (dice < 71) {
                events.add(p2p(p2p.newBuilder().setInventoryAnnouncement(InventoryAnnouncement.newBuilder()
                        .addAllInventory(inv(2).getItemsList())).build()));
            } else if (dice < 75) {
                events.add(message(peer, addr, "addrv2", true, 60, b -> b.setAddrv2(addrv2())));
            } else if (dice < 78) {
                events.add(message(peer, addr, "feefilter", true, 8,
                        b -> b.setFeefilter(FeeFilter.newBuilder().setFee(1000))));
            } else if (dice < 82) {
                events.add(mempool(MempoolEvent.newBuilder().setRemoved(Removed.newBuilder().setTxid(hash())
                        .setReason("expiry").setVsize(200).setFee(300).setEntryTime(clock / 1000 - 1_209_600)).build()));
            } else if (dice < 84) {
                events.add(mempool(MempoolEvent.newBuilder().setReplaced(Replaced.newBuilder()
                        .setReplacedTxid(hash()).setReplacedVsize(150).setReplacedFee(300).setReplacedEntryTime(clock / 1000 - 60)
                        .setReplacementId(hash()).setReplacementVsize(150).setReplacementFee(900)
                        .setReplacedByTransaction(true)).build()));
            } else if (dice < 86) {
                events.add(addrman(AddrmanEvent.newBuilder().setNew(InsertNew.newBuilder().setInserted(true)
                        .setBucket(random.nextInt(1024)).setBucketPos(random.nextInt(64)).setAddr("198.51.100.9:8333")
                        .setAddrAS(64_496).setSource("203.0.113.7:8333").setSourceAS(64_497)).build()));
            } else if (dice < 87) {
                events.add(addrman(AddrmanEvent.newBuilder().setTried(InsertTried.newBuilder()
                        .setBucket(random.nextInt(256)).setBucketPos(random.nextInt(64)).setAddr("198.51.100.9:8333")
                        .setAddrAS(64_496).setSource("203.0.113.7:8333").setSourceAS(64_497)).build()));
            } else if (dice < 89) {
                height++;
                ByteString hash = hash();
                events.add(validation(ValidationEvent.newBuilder().setBlockConnected(BlockConnected.newBuilder()
                        .setHash(hash).setHeight(height).setTransactions(3000 + random.nextInt(1000))
                        .setInputs(7000 + random.nextInt(3000)).setSigops(12_000).setConnectionTime(180_000_000L + random.nextInt(90_000_000)))
                        .build()));
                events.add(log(log.newBuilder().setLogTimestamp(clock * 1000).setCategory(LogDebugCategory.VALIDATION)
                        .setBlockConnectedLog(BlockConnectedLog.newBuilder().setBlockHash(displayHex(hash)).setBlockHeight(height))
                        .build()));
            } else if (dice < 92) {
                events.add(rpc(rpc.newBuilder().setMempoolInfo(mempoolInfo()).build()));
            } else if (dice < 94) {
                events.add(log(log.newBuilder().setLogTimestamp(clock * 1000).setCategory(LogDebugCategory.NET)
                        .setUnknownLogMessage(UnknownLogMessage.newBuilder()
                                .setRawMessage("received: inv (37 bytes) peer=" + peer)).build()));
            } else if (dice < 95) {
                events.add(connection(ConnectionEvent.newBuilder().setMisbehaving(MisbehavingConnection.newBuilder()
                        .setId(peer).setMessage("non-continuous headers sequence")).build()));
            } else if (dice < 96) {
                events.add(extension(Extension.newBuilder().setRpcResult(RpcResult.newBuilder()
                        .setMethod("getblockcount").setJson(Integer.toString(height))).build()));
            } else {
                events.add(connection(ConnectionEvent.newBuilder().setClosed(ClosedConnection.newBuilder()
                        .setConn(conn(2 + random.nextInt(100), "192.0.2.44:8333", ConnType.Inbound, 1))
                        .setTimeEstablished(clock / 1000 - 30)).build()));
            }
        }
        return events;
    }

    private Event.Builder at() {
        return Event.newBuilder().setTimestamp(clock);
    }

    public Event message(long peer, String addr, String command, boolean inbound, long size,
            java.util.function.Consumer<MessageEvent.Builder> body) {
        MessageEvent.Builder m = MessageEvent.newBuilder().setMeta(Metadata.newBuilder().setPeerId(peer).setAddr(addr)
                .setConnType(peer == 1 ? ConnType.Inbound : ConnType.OutboundFullRelay).setCommand(command)
                .setInbound(inbound).setSize(size));
        body.accept(m);
        return at().setEbpfExtractor(ebpf.newBuilder().setMessage(m)).build();
    }

    public Event connection(ConnectionEvent e) {
        return at().setEbpfExtractor(ebpf.newBuilder().setConnection(e)).build();
    }

    public Event mempool(MempoolEvent e) {
        return at().setEbpfExtractor(ebpf.newBuilder().setMempool(e)).build();
    }

    public Event addrman(AddrmanEvent e) {
        return at().setEbpfExtractor(ebpf.newBuilder().setAddrman(e)).build();
    }

    public Event validation(ValidationEvent e) {
        return at().setEbpfExtractor(ebpf.newBuilder().setValidation(e)).build();
    }

    public Event rpc(rpc e) {
        return at().setRpcExtractor(e).build();
    }

    public Event p2p(p2p e) {
        return at().setP2PExtractor(e).build();
    }

    public Event log(log e) {
        return at().setLogExtractor(e).build();
    }

    public Event extension(Extension e) {
        return at().setExtension(e).build();
    }

    private static Connection.Builder conn(long peer, String addr, ConnType type, int network) {
        return Connection.newBuilder().setPeerId(peer).setAddr(addr).setConnType(type).setNetwork(network);
    }

    private ByteString hash() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return ByteString.copyFrom(b);
    }

    private static String displayHex(ByteString hash) {
        StringBuilder s = new StringBuilder(64);
        for (int i = 31; i >= 0; i--) {
            s.append(String.format("%02x", hash.byteAt(i)));
        }
        return s.toString();
    }

    private Inv inv(int n) {
        Inv.Builder inv = Inv.newBuilder();
        for (int i = 0; i < n; i++) {
            inv.addItems(InventoryItem.newBuilder().setWtx(hash()));
        }
        return inv.build();
    }

    private AddrV2 addrv2() {
        long ts = clock / 1000 - random.nextInt(10_000);
        return AddrV2.newBuilder()
                .addAddresses(Address.newBuilder().setTimestamp((int) ts).setIpv4("198.51.100." + random.nextInt(255))
                        .setServices(0x409).setPort(8333))
                .addAddresses(Address.newBuilder().setTimestamp((int) ts).setIpv6("2001:db8::" + Integer.toHexString(random.nextInt(65535)))
                        .setServices(0x409).setPort(8333))
                .addAddresses(Address.newBuilder().setTimestamp((int) ts)
                        .setTorv3("bhtfrajcevylvxnoegmxwg4gaiv3tmbk7lmovyhttkdqvhwowhrla").setServices(0x408).setPort(8333))
                .build();
    }

    private static Version version() {
        Address zero = Address.newBuilder().setTimestamp(0).setIpv4("0.0.0.0").setServices(0).setPort(0).build();
        return Version.newBuilder().setVersion(70016).setServices(0x409).setTimestamp(1_763_769_600L)
                .setReceiver(zero).setSender(zero).setNonce(0x1234_5678_9abc_def0L).setUserAgent("/Satoshi:29.0.0/")
                .setStartHeight(870_000).setRelay(true).build();
    }

    private static PeerInfo peerInfo(int id, String addr, boolean inbound) {
        return PeerInfo.newBuilder().setId(id).setAddress(addr).setAddressBind("").setAddressLocal("")
                .setNetwork(addr.startsWith("[") ? "ipv6" : "ipv4").setMappedAs(0).setServices("0000000000000409")
                .setRelayTransactions(true).setLastSend(0).setLastReceived(0).setLastTransaction(0).setLastBlock(0)
                .setBytesSent(12_345).setBytesReceived(67_890).setConnectionTime(1_763_769_000L).setTimeOffset(0)
                .setPingTime(0.042).setMinimumPing(0.031).setPingWait(0).setVersion(70016).setSubversion("/Satoshi:29.0.0/")
                .setInbound(inbound).setBip152HbTo(false).setBip152HbFrom(false).setStartingHeight(870_000)
                .setSyncedHeaders(870_000).setSyncedBlocks(870_000).setAddrRelayEnabled(true).setAddrProcessed(12)
                .setAddrRateLimited(0).setMinfeefilter(0.00001).putBytesSentPerMessage("inv", 4_000)
                .putBytesReceivedPerMessage("tx", 50_000)
                .setConnectionType(inbound ? "inbound" : "outbound-full-relay").setTransportProtocolType("v2")
                .setInvToSend(0).setCpuLoad(0).build();
    }

    private MempoolInfo mempoolInfo() {
        return MempoolInfo.newBuilder().setLoaded(true).setSize(5000 + random.nextInt(1000)).setBytes(2_500_000)
                .setUsage(9_000_000).setTotalFee(0.12).setMaxMempool(300_000_000).setMempoolminfee(0.00001)
                .setMinrelaytxfee(0.00001).setIncrementalrelayfee(0.00001).setUnbroadcastcount(0).setFullrbf(true).build();
    }
}
