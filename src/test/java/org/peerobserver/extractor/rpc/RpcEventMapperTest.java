package org.peerobserver.extractor.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.rpc.AddrManInfo;
import org.peerobserver.proto.rpc.MemoryInfo;
import org.peerobserver.proto.rpc.MempoolInfo;
import org.peerobserver.proto.rpc.NetTotals;
import org.peerobserver.proto.rpc.PeerInfo;
import org.peerobserver.proto.rpc.PeerInfos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bitcoin Core answers to upstream's messages. The fixtures follow the field sets of Core's RPC help:
 * {@code -v26} has every key a v26 node sends without -asmap (so no mapped_as), {@code -v30} comes from a
 * node with -asmap (mapped_as on routable peers) and lacks startingheight, the peer key upstream treats as
 * optional; v30's getmempoolinfo adds permitbaremultisig and maxdatacarriersize, which upstream does not carry.
 */
class RpcEventMapperTest {
    /** What the mapper refused, as "method field: why". */
    private final List<String> refused = new ArrayList<>();
    private final RpcEventMapper.Refusals refusals = (method, field, why) -> refused.add(method + " " + field + ": " + why);

    private static JsonNode json(String text) throws Exception {
        return BitcoinRpcClient.JSON.readTree(text);
    }

    @AfterEach
    void nothingElseRefused() {
        assertEquals(List.of(), refused, "refused fields no test looked at");
    }

    @Test
    void everyPeerFieldOfAv26OutboundPeer() throws Exception {
        PeerInfos infos = RpcEventMapper.peerInfos(json(FakeBitcoind.fixture("getpeerinfo-v26.json")), refusals);
        assertEquals(14, infos.getInfosCount());
        PeerInfo p = infos.getInfos(0);
        assertEquals(3, p.getId());
        assertEquals("203.0.113.17:8333", p.getAddress());
        assertEquals("10.0.0.5:40000", p.getAddressBind());
        assertEquals("198.51.100.4:52144", p.getAddressLocal());
        assertEquals("ipv4", p.getNetwork());
        assertEquals(0, p.getMappedAs());
        assertEquals("0000000000000c09", p.getServices());
        assertTrue(p.getRelayTransactions());
        assertEquals(1763769594L, p.getLastSend());
        assertEquals(1763769587L, p.getLastReceived());
        assertEquals(1763769322L, p.getLastTransaction());
        assertEquals(1763769036L, p.getLastBlock());
        assertEquals(17164750L, p.getBytesSent());
        assertEquals(833578480L, p.getBytesReceived());
        assertEquals(1763743020L, p.getConnectionTime());
        assertEquals(2, p.getTimeOffset());
        assertEquals(0.056728, p.getPingTime());
        assertEquals(0.047748, p.getMinimumPing());
        assertEquals(0.0, p.getPingWait());
        assertEquals(70016, p.getVersion());
        assertEquals("/btcwire:0.5.0/btcd:0.24.2/", p.getSubversion());
        assertEquals(false, p.getInbound());
        assertEquals(true, p.getBip152HbTo());
        assertEquals(false, p.getBip152HbFrom());
        assertEquals(920405, p.getStartingHeight());
        assertEquals(924310, p.getSyncedHeaders());
        assertEquals(924310, p.getSyncedBlocks());
        assertEquals(List.of(924311L, 924312L), p.getInflightList());
        assertTrue(p.getAddrRelayEnabled());
        assertEquals(42544, p.getAddrProcessed());
        assertEquals(0, p.getAddrRateLimited());
        assertEquals(List.of(), p.getPermissionsList());
        assertEquals(0.00001, p.getMinfeefilter());
        assertEquals(14, p.getBytesSentPerMessageCount());
        assertEquals(188421L, p.getBytesSentPerMessageOrThrow("inv"));
        assertEquals(14, p.getBytesReceivedPerMessageCount());
        assertEquals(412883L, p.getBytesReceivedPerMessageOrThrow("cmpctblock"));
        assertEquals("outbound-full-relay", p.getConnectionType());
        assertEquals("v2", p.getTransportProtocolType());
        assertEquals(0, p.getInvToSend());
        assertEquals(0.0, p.getCpuLoad());
    }

    @Test
    void peersOfEveryConnectionTypeWithTheirOptionalKeys() throws Exception {
        PeerInfos infos = RpcEventMapper.peerInfos(json(FakeBitcoind.fixture("getpeerinfo-v26.json")), refusals);
        Map<String, Long> perType = infos.getInfosList().stream()
                .collect(Collectors.groupingBy(PeerInfo::getConnectionType, TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("outbound-full-relay", 3L, "block-relay-only", 2L, "inbound", 3L, "manual", 2L,
                "addr-fetch", 2L, "feeler", 2L), perType);

        PeerInfo onion = infos.getInfos(1);   // pingwait: a ping is outstanding
        assertEquals("onion", onion.getNetwork());
        assertEquals(1.156408, onion.getPingWait());
        assertEquals("", onion.getAddressLocal());
        PeerInfo inbound = infos.getInfos(6);
        assertTrue(inbound.getInbound());
        assertEquals(List.of("download"), inbound.getPermissionsList());
        PeerInfo manual = infos.getInfos(8);
        assertEquals(List.of("noban", "relay"), manual.getPermissionsList());
        PeerInfo feeler = infos.getInfos(12);  // just connected: no ping measured yet, nothing synced
        assertEquals("feeler", feeler.getConnectionType());
        assertEquals(0.0, feeler.getPingTime());
        assertEquals(0.0, feeler.getMinimumPing());
        assertEquals(-1, feeler.getSyncedHeaders());
        assertEquals(-1, feeler.getSyncedBlocks());
        assertEquals("0000000000000000", feeler.getServices());
        assertEquals("detecting", infos.getInfos(13).getTransportProtocolType());
    }

    @Test
    void v30PeersWithAsmapAndWithoutStartingHeight() throws Exception {
        PeerInfos infos = RpcEventMapper.peerInfos(json(FakeBitcoind.fixture("getpeerinfo-v30.json")), refusals);
        assertEquals(14, infos.getInfosCount());
        PeerInfo p = infos.getInfos(5);
        assertEquals(38, p.getId());
        assertEquals(64502, p.getMappedAs());
        assertEquals(0, p.getStartingHeight());
        assertEquals(0.842574, p.getPingTime());
        assertEquals(2.810958, p.getPingWait());
        assertEquals(261, p.getAddrRateLimited());
        assertEquals("inbound", p.getConnectionType());
        assertEquals(0, infos.getInfos(1).getMappedAs());   // onion peers have no AS
    }

    @Test
    void negativeOrMissingPingsAndUnknownKeys() throws Exception {
        PeerInfos infos = RpcEventMapper.peerInfos(json("[{\"id\":7,\"addr\":\"192.0.2.1:8333\",\"pingtime\":-1,"
                + "\"minping\":-1,\"some_future_key\":{\"x\":[1,2]},\"inv_to_send\":12,\"cpu_load\":3.5}]"), refusals);
        PeerInfo p = infos.getInfos(0);
        assertEquals(7, p.getId());
        assertEquals(0.0, p.getPingTime());
        assertEquals(0.0, p.getMinimumPing());
        assertEquals(0.0, p.getPingWait());
        assertEquals("", p.getConnectionType());
        assertEquals(0, p.getInflightCount());
        assertEquals(12, p.getInvToSend());
        assertEquals(3.5, p.getCpuLoad());
        assertEquals(0, RpcEventMapper.peerInfos(json("[]"), refusals).getInfosCount());
    }

    @Test
    void wrongTypesAreRefusedPerFieldNamingItAndTheRestIsKept() throws Exception {
        PeerInfos peers = RpcEventMapper.peerInfos(json("[{\"id\":1},{\"id\":2,\"bytessent\":\"lots\",\"addr\":7,"
                + "\"inbound\":\"yes\",\"pingtime\":\"fast\",\"inflight\":[5,\"x\",6],\"permissions\":\"all\","
                + "\"bytesrecv_per_msg\":{\"ping\":32,\"pong\":1.5},\"bytesrecv\":99}]"), refusals);
        PeerInfo p = peers.getInfos(1);
        assertEquals(2, p.getId());
        assertEquals(0, p.getBytesSent());
        assertEquals(99, p.getBytesReceived());
        assertEquals("", p.getAddress());
        assertEquals(List.of(5L, 6L), p.getInflightList());
        assertEquals(Map.of("ping", 32L), p.getBytesReceivedPerMessageMap());
        assertEquals(List.of(
                "getpeerinfo addr: peer 1 field \"addr\" is not a string: 7",
                "getpeerinfo bytessent: peer 1 field \"bytessent\" is not an unsigned 64-bit integer: \"lots\"",
                "getpeerinfo pingtime: peer 1 field \"pingtime\" is not a finite number: \"fast\"",
                "getpeerinfo inbound: peer 1 field \"inbound\" is not true or false: \"yes\"",
                "getpeerinfo inflight: peer 1 field \"inflight\" is not an unsigned 64-bit integer: \"x\"",
                "getpeerinfo permissions: peer 1 field \"permissions\" is not an array: \"all\"",
                "getpeerinfo bytesrecv_per_msg: peer 1 field \"bytesrecv_per_msg\" is not an unsigned 64-bit integer: 1.5"),
                refused);
        refused.clear();

        BitcoinRpcException e = assertThrows(BitcoinRpcException.class, () -> RpcEventMapper.peerInfos(json("{\"id\":1}"), refusals));
        assertEquals("getpeerinfo: unexpected answer: result is not an array", e.getMessage());
        e = assertThrows(BitcoinRpcException.class, () -> RpcEventMapper.peerInfos(json("[{\"id\":1},7]"), refusals));
        assertEquals("getpeerinfo: unexpected answer: peer 1 is not an object", e.getMessage());

        NetTotals n = RpcEventMapper.netTotals(json("{\"totalbytesrecv\":5,\"uploadtarget\":[1]}"), refusals);
        assertEquals(5, n.getTotalBytesReceived());
        assertEquals(0, n.getUploadTarget().getTarget());
        assertEquals(List.of("getnettotals uploadtarget: result field \"uploadtarget\" is not an object: [1]"), refused);
        refused.clear();

        AddrManInfo a = RpcEventMapper.addrmanInfo(json("{\"ipv4\":{\"new\":3},\"bad\\u001b[31m\":4}"), refusals);
        assertEquals(3, a.getNetworksOrThrow("ipv4").getNew());
        assertEquals(1, a.getNetworksCount());
        assertEquals(List.of("getaddrmaninfo network: network bad\\x1b[31m is not an object"), refused);
        refused.clear();

        assertThrows(BitcoinRpcException.class, () -> RpcEventMapper.uptime(json("\"12\""), refusals));
        assertEquals(List.of("uptime uptime: result field \"uptime\" is not an unsigned 32-bit integer: \"12\""), refused);
        refused.clear();
    }

    /** What the attack run found wrapped: each is refused, and the field left at upstream's "absent". */
    @Test
    void outOfRangeNumbersAreRefusedNeverWrapped() throws Exception {
        NetTotals n = RpcEventMapper.netTotals(json("{\"totalbytesrecv\":-5,\"totalbytessent\":18446744073709551621,"
                + "\"timemillis\":1763769600123}"), refusals);
        assertEquals(0, n.getTotalBytesReceived());
        assertEquals(0, n.getTotalBytesSent());
        assertEquals(1763769600123L, n.getTimeMillis());
        MempoolInfo m = RpcEventMapper.mempoolInfo(json("{\"size\":1180591620717411303424,\"bytes\":23617354,"
                + "\"total_fee\":1e400}"), refusals);
        assertEquals(0, m.getSize());
        assertEquals(23617354, m.getBytes());
        assertEquals(0.0, m.getTotalFee());
        assertEquals(List.of(
                "getnettotals totalbytesrecv: result field \"totalbytesrecv\" is not an unsigned 64-bit integer: -5",
                "getnettotals totalbytessent: result field \"totalbytessent\" is not an unsigned 64-bit integer: 18446744073709551621",
                "getmempoolinfo size: result field \"size\" is not a signed 64-bit integer: 1180591620717411303424",
                "getmempoolinfo total_fee: result field \"total_fee\" is not a finite number: 1E+400"), refused);
        refused.clear();

        assertThrows(BitcoinRpcException.class, () -> RpcEventMapper.uptime(json("-5"), refusals));
        assertThrows(BitcoinRpcException.class, () -> RpcEventMapper.uptime(json("4294967296"), refusals));
        assertEquals(2, refused.size());
        refused.clear();
    }

    @Test
    void mempoolInfoOfV26AndV30() throws Exception {
        MempoolInfo m = RpcEventMapper.mempoolInfo(json(FakeBitcoind.fixture("getmempoolinfo-v26.json")), refusals);
        assertTrue(m.getLoaded());
        assertEquals(41873, m.getSize());
        assertEquals(23617354, m.getBytes());
        assertEquals(131542080, m.getUsage());
        assertEquals(0.91352410, m.getTotalFee());
        assertEquals(300000000, m.getMaxMempool());
        assertEquals(0.00001, m.getMempoolminfee());
        assertEquals(0.00001, m.getMinrelaytxfee());
        assertEquals(0.00001, m.getIncrementalrelayfee());
        assertEquals(0, m.getUnbroadcastcount());
        assertEquals(false, m.getFullrbf());

        MempoolInfo v30 = RpcEventMapper.mempoolInfo(json(FakeBitcoind.fixture("getmempoolinfo-v30.json")), refusals);
        assertEquals(3518, v30.getSize());
        assertEquals(0.000001, v30.getMinrelaytxfee());
        assertEquals(2, v30.getUnbroadcastcount());
        assertTrue(v30.getFullrbf());
    }

    @Test
    void netTotalsMemoryAddrmanAndUptime() throws Exception {
        NetTotals n = RpcEventMapper.netTotals(json(FakeBitcoind.fixture("getnettotals.json")), refusals);
        assertEquals(7418523906L, n.getTotalBytesReceived());
        assertEquals(1380212117L, n.getTotalBytesSent());
        assertEquals(1763769600123L, n.getTimeMillis());
        assertEquals(86400, n.getUploadTarget().getTimeframe());
        assertEquals(5368709120L, n.getUploadTarget().getTarget());
        assertEquals(false, n.getUploadTarget().getTargetReached());
        assertEquals(true, n.getUploadTarget().getServeHistoricalBlocks());
        assertEquals(4812266402L, n.getUploadTarget().getBytesLeftInCycle());
        assertEquals(51283, n.getUploadTarget().getTimeLeftInCycle());

        MemoryInfo m = RpcEventMapper.memoryInfo(json(FakeBitcoind.fixture("getmemoryinfo.json")), refusals);
        assertEquals(224, m.getUsed());
        assertEquals(65312, m.getFree());
        assertEquals(65536, m.getTotal());
        assertEquals(65536, m.getLocked());
        assertEquals(7, m.getChunksUsed());
        assertEquals(1, m.getChunksFree());
        BitcoinRpcException e = assertThrows(BitcoinRpcException.class, () -> RpcEventMapper.memoryInfo(json("{}"), refusals));
        assertEquals("getmemoryinfo: unexpected answer: result has no \"locked\" section", e.getMessage());

        AddrManInfo a = RpcEventMapper.addrmanInfo(json(FakeBitcoind.fixture("getaddrmaninfo.json")), refusals);
        assertEquals(List.of("all_networks", "cjdns", "i2p", "ipv4", "ipv6", "onion"),
                a.getNetworksMap().keySet().stream().sorted().toList());
        assertEquals(48213, a.getNetworksOrThrow("ipv4").getNew());
        assertEquals(3021, a.getNetworksOrThrow("ipv4").getTried());
        assertEquals(51234, a.getNetworksOrThrow("ipv4").getTotal());
        assertEquals(76531, a.getNetworksOrThrow("all_networks").getTotal());

        assertEquals(86461, RpcEventMapper.uptime(json("86461"), refusals));
        assertEquals(-1, RpcEventMapper.uptime(json("4294967295"), refusals));  // uint32 on the wire: same bits
    }

    @Test
    void unsignedCountersAboveLongMaxKeepTheirBits() throws Exception {
        NetTotals n = RpcEventMapper.netTotals(json("{\"totalbytesrecv\":18446744073709551615}"), refusals);
        assertEquals("18446744073709551615", Long.toUnsignedString(n.getTotalBytesReceived()));
        assertEquals(0, n.getUploadTarget().getTarget());
    }
}
