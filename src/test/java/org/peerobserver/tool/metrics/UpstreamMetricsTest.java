package org.peerobserver.tool.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.peerobserver.bitcoin.AddressText;
import org.peerobserver.bitcoin.IpLists;
import org.peerobserver.bitcoin.Addresses;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.addrman.AddrmanEvent;
import org.peerobserver.proto.ebpf.addrman.InsertNew;
import org.peerobserver.proto.ebpf.connection.ClosedConnection;
import org.peerobserver.proto.ebpf.connection.Connection;
import org.peerobserver.proto.ebpf.connection.ConnectionEvent;
import org.peerobserver.proto.ebpf.connection.InboundConnection;
import org.peerobserver.proto.ebpf.connection.MisbehavingConnection;
import org.peerobserver.proto.ebpf.mempool.Added;
import org.peerobserver.proto.ebpf.mempool.MempoolEvent;
import org.peerobserver.proto.ebpf.mempool.Rejected;
import org.peerobserver.proto.ebpf.message.Addr;
import org.peerobserver.proto.ebpf.message.FeeFilter;
import org.peerobserver.proto.ebpf.message.Inv;
import org.peerobserver.proto.ebpf.message.Ping;
import org.peerobserver.proto.ebpf.message.Reject;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.ebpf.validation.BlockConnected;
import org.peerobserver.proto.ebpf.validation.ValidationEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.log.BlockCheckedLog;
import org.peerobserver.proto.log.LogDebugCategory;
import org.peerobserver.proto.log.log;
import org.peerobserver.proto.p2p.AddressAnnouncement;
import org.peerobserver.proto.p2p.p2p;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.proto.rpc.AddrManInfo;
import org.peerobserver.proto.rpc.AddrManInfoNetwork;
import org.peerobserver.proto.rpc.PeerInfo;
import org.peerobserver.proto.rpc.PeerInfos;
import org.peerobserver.proto.rpc.rpc;
import org.peerobserver.support.HostPort;
import org.peerobserver.support.http.HttpPort;
import org.peerobserver.support.prometheus.TextRegistry;
import org.peerobserver.testing.SampleEvents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event by event, the exact exposition lines upstream's metrics tool would write. */
class UpstreamMetricsTest {
    private static final long T = 1_763_769_600_000L;  // event time, ms
    private final SampleEvents events = new SampleEvents(1, T);

    private static String scrape(boolean nodeLabel, int cap, List<Event> list, String node) {
        TextRegistry r = UpstreamMetrics.registry(nodeLabel, cap, 2);
        UpstreamMetrics m = new UpstreamMetrics(r, IpLists.none());
        list.forEach(e -> m.record(e, node));
        StringBuilder out = new StringBuilder();
        r.write(out);
        return out.toString();
    }

    private static void assertLines(String exposition, String... lines) {
        List<String> all = Arrays.asList(exposition.split("\n"));
        for (String line : lines) {
            assertTrue(all.contains(line), () -> "missing: " + line + "\n" + exposition);
        }
    }

    private static void assertNoFamily(String exposition, String name) {
        assertFalse(exposition.contains("# TYPE " + name + " "), name);
    }

    @Test
    void beforeAnyEventOnlyUnlabelledFamiliesShowAtZero() {
        String out = scrape(false, 100, List.of(), null);
        assertLines(out, "# TYPE peerobserver_conn_inbound counter", "peerobserver_conn_inbound 0",
                "# TYPE peerobserver_rpc_peer_info_num_peers gauge", "peerobserver_rpc_peer_info_num_peers 0");
        assertNoFamily(out, "peerobserver_p2p_message_count");
        assertNoFamily(out, "peerobserver_conn_inbound_total");
        assertTrue(out.matches("(?s).*\npeerobserver_runtime_start_timestamp \\d{10}\n.*"), out);
        // families in name order, HELP before TYPE
        assertTrue(out.indexOf("# HELP peerobserver_addrman_tried_insert ") < out.indexOf("# TYPE peerobserver_addrman_tried_insert ")
                && out.indexOf("peerobserver_addrman_tried_insert ") < out.indexOf("peerobserver_conn_closed "), out);
    }

    @Test
    void messages() {
        Address a1 = Address.newBuilder().setTimestamp((int) (T / 1000) - 100).setIpv4("203.0.113.7")
                .setServices(0x409).setPort(8333).build();
        Address a2 = Address.newBuilder().setTimestamp((int) (T / 1000) + 5).setIpv4("203.0.113.99")
                .setServices(1).setPort(8333).build();
        String out = scrape(false, 100, List.of(
                events.message(0, "203.0.113.7:8333", "addr", true, 61, b -> b.setAddr(Addr.newBuilder()
                        .addAddresses(a1).addAddresses(a2))),
                events.message(0, "203.0.113.7:8333", "ping", true, 8, b -> b.setPing(Ping.newBuilder().setValue(-1))),
                events.message(0, "203.0.113.7:8333", "ping", true, 8, b -> b.setPing(Ping.newBuilder().setValue(300))),
                events.message(0, "203.0.113.7:8333", "ping", false, 8, b -> b.setPing(Ping.newBuilder().setValue(0))),
                events.message(0, "162.218.65.3:8333", "version", true, 102, b -> b.setVersion(version())),
                events.message(0, "203.0.113.7:8333", "feefilter", false, 8, b -> b.setFeefilter(FeeFilter.newBuilder().setFee(1000))),
                events.message(0, "203.0.113.7:8333", "reject", true, 40, b -> b.setReject(Reject.newBuilder()
                        .setRejectedCommand("tx").setReason(Reject.RejectReason.DUST).setReasonDetails("")
                        .setHash(ByteString.EMPTY))),
                events.message(1, "[2604:d500:4:1:2:3:4:5]:8333", "oldping", true, 0, b -> b.setOldping(true)),
                events.message(1, "[2001:db8::7]:8333", "emptyaddrv2", true, 0, b -> b.setEmptyaddrv2(true)),
                events.message(0, "203.0.113.7:8333", "inv", false, 37, b -> b.setInv(inv(36, 1))),
                events.message(0, "203.0.113.7:8333", "inv", true, 1, b -> b.setInv(Inv.getDefaultInstance()))), null);
        assertLines(out,
                "peerobserver_p2p_message_count{connection_type=\"2\",direction=\"inbound\",message=\"addr\"} 1",
                "peerobserver_p2p_message_bytes{connection_type=\"2\",direction=\"inbound\",message=\"addr\"} 61",
                "peerobserver_p2p_message_count{connection_type=\"2\",direction=\"inbound\",message=\"ping\"} 2",
                "peerobserver_p2p_message_count{connection_type=\"2\",direction=\"outbound\",message=\"ping\"} 1",
                "peerobserver_p2p_message_count_linkinglion{direction=\"inbound\",message=\"version\"} 1",
                "peerobserver_p2p_message_bytes_linkinglion{direction=\"inbound\",message=\"version\"} 102",
                "peerobserver_p2p_message_count_linkinglion{direction=\"inbound\",message=\"oldping\"} 1",
                "peerobserver_p2p_addr_addresses_bucket{direction=\"inbound\",le=\"1\"} 0",
                "peerobserver_p2p_addr_addresses_bucket{direction=\"inbound\",le=\"2\"} 1",
                "peerobserver_p2p_addr_addresses_bucket{direction=\"inbound\",le=\"+Inf\"} 1",
                "peerobserver_p2p_addr_addresses_sum{direction=\"inbound\"} 2",
                "peerobserver_p2p_addr_addresses_count{direction=\"inbound\"} 1",
                "peerobserver_p2p_addr_timestamp_offset_seconds_bucket{direction=\"inbound\",timestamp_offset=\"past\",le=\"64\"} 0",
                "peerobserver_p2p_addr_timestamp_offset_seconds_bucket{direction=\"inbound\",timestamp_offset=\"past\",le=\"128\"} 1",
                "peerobserver_p2p_addr_timestamp_offset_seconds_sum{direction=\"inbound\",timestamp_offset=\"past\"} 100",
                "peerobserver_p2p_addr_timestamp_offset_seconds_bucket{direction=\"inbound\",timestamp_offset=\"future\",le=\"4\"} 0",
                "peerobserver_p2p_addr_timestamp_offset_seconds_bucket{direction=\"inbound\",timestamp_offset=\"future\",le=\"8\"} 1",
                "peerobserver_p2p_addr_services_bits_bucket{direction=\"inbound\",le=\"0\"} 2",
                "peerobserver_p2p_addr_services_bits_bucket{direction=\"inbound\",le=\"2\"} 2",
                "peerobserver_p2p_addr_services_bits_bucket{direction=\"inbound\",le=\"3\"} 3",
                "peerobserver_p2p_addr_services_bits_bucket{direction=\"inbound\",le=\"10\"} 4",
                "peerobserver_p2p_addr_services_bits_count{direction=\"inbound\"} 4",
                "peerobserver_p2p_addr_services{direction=\"inbound\",services=\"1033\"} 1",
                "peerobserver_p2p_addr_services{direction=\"inbound\",services=\"1\"} 1",
                "peerobserver_p2p_address_selfannouncements{direction=\"inbound\",network=\"IPv4\"} 1",
                "peerobserver_p2p_address_subnetannouncements{direction=\"inbound\",network=\"IPv4\"} 1",
                "peerobserver_p2p_ping_inbound_value{value=\"u64\"} 1",
                "peerobserver_p2p_ping_inbound_value{value=\"u16\"} 1",
                "peerobserver_p2p_version_useragent{useragent=\"LinkingLion\"} 1",
                "peerobserver_p2p_feefilter_feerate{direction=\"outbound\",feerate=\"1000\"} 1",
                "peerobserver_p2p_reject_message{rejectcommand=\"tx\",rejectreason=\"Dust\"} 1",
                "peerobserver_p2p_oldping_subnet{subnet=\"2604:d500:4:1::\"} 1",
                "peerobserver_p2p_addrv2_empty{addr=\"2001:db8::7\",direction=\"inbound\"} 1",
                "peerobserver_p2p_inv_entries{direction=\"outbound\",inv_type=\"Tx\"} 36",
                "peerobserver_p2p_inv_entries{direction=\"outbound\",inv_type=\"Block\"} 1",
                "peerobserver_p2p_inv_entries_histogram_bucket{direction=\"outbound\",le=\"30\"} 0",
                "peerobserver_p2p_inv_entries_histogram_bucket{direction=\"outbound\",le=\"50\"} 1",
                "peerobserver_p2p_invs_heterogeneous{direction=\"outbound\"} 1",
                "peerobserver_p2p_invs_heterogeneous{direction=\"inbound\"} 1",
                "peerobserver_p2p_invs_outbound_large 1");
        assertNoFamily(out, "peerobserver_p2p_invs_homogeneous");
        assertNoFamily(out, "peerobserver_p2p_addrv2_addresses");
        // series sorted by label values: inbound before outbound
        assertTrue(out.indexOf("peerobserver_p2p_invs_heterogeneous{direction=\"inbound\"}")
                < out.indexOf("peerobserver_p2p_invs_heterogeneous{direction=\"outbound\"}"), out);
    }

    private static Inv inv(int tx, int blocks) {
        Inv.Builder b = Inv.newBuilder();
        for (int i = 0; i < tx; i++) {
            b.addItems(InventoryItem.newBuilder().setTransaction(ByteString.copyFrom(new byte[32])));
        }
        for (int i = 0; i < blocks; i++) {
            b.addItems(InventoryItem.newBuilder().setBlock(ByteString.copyFrom(new byte[32])));
        }
        return b.build();
    }

    private static Version version() {
        Address zero = Address.newBuilder().setTimestamp(0).setIpv4("0.0.0.0").setServices(0).setPort(0).build();
        return Version.newBuilder().setVersion(70016).setServices(0x409).setTimestamp(1).setReceiver(zero)
                .setSender(zero).setNonce(1).setUserAgent("/Satoshi:29.0.0/").setStartHeight(1).setRelay(true).build();
    }

    @Test
    void connectionsAddrmanMempoolValidation() {
        Connection c = Connection.newBuilder().setPeerId(7).setAddr("[2001:db8::9]:8333").setConnType(ConnType.Inbound)
                .setNetwork(2).build();
        String out = scrape(false, 100, List.of(
                events.connection(ConnectionEvent.newBuilder().setInbound(InboundConnection.newBuilder().setConn(c)
                        .setExistingConnections(17)).build()),
                events.connection(ConnectionEvent.newBuilder().setClosed(ClosedConnection.newBuilder().setConn(c)
                        .setTimeEstablished(T / 1000 - 90)).build()),
                // established after the close (clock skew): counted, but adds no age
                events.connection(ConnectionEvent.newBuilder().setClosed(ClosedConnection.newBuilder().setConn(c)
                        .setTimeEstablished(T / 1000 + 50)).build()),
                events.connection(ConnectionEvent.newBuilder().setMisbehaving(MisbehavingConnection.newBuilder()
                        .setId(7).setMessage("header with \"invalid\" proof of work")).build()),
                events.addrman(AddrmanEvent.newBuilder().setNew(InsertNew.newBuilder().setInserted(false).setBucket(1)
                        .setBucketPos(2).setAddr("a").setAddrAS(0).setSource("b").setSourceAS(0)).build()),
                events.mempool(MempoolEvent.newBuilder().setAdded(Added.newBuilder()
                        .setTxid(ByteString.EMPTY).setVsize(141).setFee(1)).build()),
                events.mempool(MempoolEvent.newBuilder().setRejected(Rejected.newBuilder()
                        .setTxid(ByteString.EMPTY).setReason("min relay fee not met")).build()),
                events.validation(ValidationEvent.newBuilder().setBlockConnected(BlockConnected.newBuilder()
                        .setHash(ByteString.EMPTY).setHeight(870_001).setTransactions(3000)
                        .setInputs(7000).setSigops(12_000).setConnectionTime(181_234_567L)).build())), null);
        assertLines(out,
                "peerobserver_conn_inbound 1",
                "peerobserver_conn_inbound_network{network=\"2\"} 1",
                "peerobserver_conn_inbound_current 17",
                "peerobserver_conn_inbound_banlist_gmax 0",
                "peerobserver_conn_closed 2",
                "peerobserver_conn_closed_age 90",
                "peerobserver_conn_closed_network{network=\"2\"} 2",
                "peerobserver_conn_misbehaving{id=\"7\",misbehavingmessage=\"header with \\\"invalid\\\" proof of work\"} 1",
                "peerobserver_conn_misbehaving_reason{misbehavingmessage=\"header with \\\"invalid\\\" proof of work\"} 1",
                "peerobserver_addrman_new_insert{inserted=\"false\"} 1",
                "peerobserver_addrman_tried_insert 0",
                "peerobserver_mempool_added 1",
                "peerobserver_mempool_added_vbytes 141",
                "peerobserver_mempool_rejected{reason=\"min relay fee not met\"} 1",
                "peerobserver_validation_block_connected_latest_height 870001",
                "peerobserver_validation_block_connected_latest_connection_time 181234",
                "peerobserver_validation_block_connected_connection_time 181234",
                "peerobserver_validation_block_connected_latest_sigops 12000");
    }

    @Test
    void rpcP2pExtractorAndLog() {
        PeerInfo base = samplePeer();
        String out = scrape(false, 100, List.of(
                events.rpc(rpc.newBuilder().setPeerInfos(PeerInfos.newBuilder()
                        .addInfos(base.toBuilder().setAddress("10.1.2.3:8333").setInbound(true).setPingTime(0.010)
                                .setMappedAs(64496).setInvToSend(4))
                        .addInfos(base.toBuilder().setAddress("10.1.9.9:8333").setInbound(true).setPingTime(0.020)
                                .setTimeOffset(11).addInflight(5).addInflight(6).setInvToSend(8))
                        .addInfos(base.toBuilder().setAddress("10.2.0.1:8333").setInbound(true).setPingTime(0.045)
                                .addInflight(6).setTransportProtocolType("v1").setRelayTransactions(false))
                        .addInfos(base.toBuilder().setAddress("[2001:db8::1]:8333").setNetwork("ipv6").setPingTime(0)
                                .setConnectionType("block-relay-only").setBip152HbTo(true).setInvToSend(1)))
                        .build()),
                events.rpc(rpc.newBuilder().setAddrmanInfo(AddrManInfo.newBuilder().putNetworks("ipv4",
                        AddrManInfoNetwork.newBuilder().setNew(10).setTried(3).setTotal(13).build())).build()),
                events.p2p(p2p.newBuilder().setAddressAnnouncement(AddressAnnouncement.newBuilder()
                        .addAddresses(Address.newBuilder().setTimestamp(1).setI2P("x.b32.i2p").setServices(0).setPort(0))
                        .addAddresses(Address.newBuilder().setTimestamp(1).setIpv4("1.2.3.4").setServices(0).setPort(0))
                        .addAddresses(Address.newBuilder().setTimestamp(1).setIpv4("1.2.3.5").setServices(0).setPort(0)))
                        .build()),
                events.p2p(p2p.newBuilder().setFeefilterAnnouncement(2500).build()),
                events.log(log.newBuilder().setLogTimestamp(0).setCategory(LogDebugCategory.VALIDATION)
                        .setBlockCheckedLog(BlockCheckedLog.newBuilder().setBlockHash("00").setState("bad-txns-duplicate")
                                .setDebugMessage("")).build())), null);
        assertLines(out,
                "peerobserver_rpc_peer_info_num_peers 4",
                "peerobserver_rpc_peer_info_network_peers{network=\"ipv4\"} 3",
                "peerobserver_rpc_peer_info_network_peers{network=\"ipv6\"} 1",
                "peerobserver_rpc_peer_info_transport_protocol_type_peers{transport_protocol_type=\"v1\"} 1",
                "peerobserver_rpc_peer_info_transport_protocol_type_peers{transport_protocol_type=\"v2\"} 3",
                "peerobserver_rpc_peer_info_connection_type_peers{connection_type=\"block-relay-only\"} 1",
                "peerobserver_rpc_peer_info_asn_peers{ASN=\"64496\"} 1",
                "peerobserver_rpc_peer_info_timeoffset_plus10s 1",
                "peerobserver_rpc_peer_info_inflight_block_peers 2",
                "peerobserver_rpc_peer_info_inflight_distinct_blocks_heights 2",
                "peerobserver_rpc_peer_info_bip152_highbandwidth_to 1",
                "peerobserver_rpc_peer_info_ping_median 20",
                "peerobserver_rpc_peer_info_ping_mean 25",
                "peerobserver_rpc_peer_info_connection_divserity_inbound_ipv4 0.6666666666666666",
                "peerobserver_rpc_peer_info_invtosend_sum 13",
                "peerobserver_rpc_peer_info_invtosend_median 4",
                "peerobserver_rpc_peer_info_invtosend_mean 4.333333333333333",
                "peerobserver_rpc_peer_info_sub1satvb_relay 0",
                "peerobserver_rpc_peer_info_list_peers_bitprojects{direction=\"inbound\"} 0",
                "peerobserver_rpc_peer_info_list_peers_bitprojects{direction=\"outbound\"} 0",
                "peerobserver_rpc_addrmaninfo{network=\"ipv4\",table=\"new\"} 10",
                "peerobserver_rpc_addrmaninfo{network=\"ipv4\",table=\"total\"} 13",
                "peerobserver_p2pextractor_addrv2relay_messages 1",
                "peerobserver_p2pextractor_addrv2relay_messages_10_or_less_entries 1",
                "peerobserver_p2pextractor_addrv2relay_size 3",
                "peerobserver_p2pextractor_addrv2relay_addresses{network=\"I2P\"} 1",
                "peerobserver_p2pextractor_addrv2relay_addresses{network=\"IPv4\"} 2",
                "peerobserver_p2pextractor_feefilter_last 2500",
                "peerobserver_log_events{category=\"validation\"} 1",
                "peerobserver_log_block_checked_events 1",
                "peerobserver_log_mutated_blocks{status=\"bad-txns-duplicate\"} 1");
        // no peer reports a CPU load: left at its initial 0, as upstream does
        assertLines(out, "peerobserver_rpc_peer_info_cpuload_sum 0");
    }

    @Test
    void perValueFamiliesAreResetByEachSnapshot() {
        PeerInfo p = samplePeer();
        String out = scrape(false, 100, List.of(
                events.rpc(rpc.newBuilder().setPeerInfos(PeerInfos.newBuilder().addInfos(p.toBuilder().setVersion(70015))).build()),
                events.rpc(rpc.newBuilder().setPeerInfos(PeerInfos.newBuilder().addInfos(p)).build())), null);
        assertLines(out, "peerobserver_rpc_peer_info_protocol_version_peers{protocol_version=\"70016\"} 1");
        assertFalse(out.contains("protocol_version=\"70015\""), out);
    }

    @Test
    void nodeLabelSeparatesNodesAndIsCapped() {
        Event inbound = events.connection(ConnectionEvent.newBuilder().setInbound(InboundConnection.newBuilder()
                .setConn(Connection.newBuilder().setPeerId(1).setAddr("1.2.3.4:1").setConnType(ConnType.Inbound)
                        .setNetwork(1)).setExistingConnections(3)).build());
        TextRegistry r = UpstreamMetrics.registry(true, 100, 2);
        UpstreamMetrics m = new UpstreamMetrics(r, IpLists.none());
        m.record(inbound, "alpha");
        m.record(inbound, "beta");
        m.record(inbound, "gamma");
        m.record(inbound, "delta");
        StringBuilder out = new StringBuilder();
        r.write(out);
        assertLines(out.toString(),
                "peerobserver_conn_inbound{node=\"alpha\"} 1",
                "peerobserver_conn_inbound{node=\"beta\"} 1",
                "peerobserver_conn_inbound{node=\"other\"} 2",
                "peerobserver_conn_inbound_network{network=\"1\",node=\"alpha\"} 1",
                "peerobserver_conn_outbound{node=\"alpha\"} 0");
        assertTrue(out.toString().matches("(?s).*\npeerobserver_runtime_start_timestamp \\d+\n.*"), "tool gauge without node");
        assertFalse(out.toString().contains("gamma"));
    }

    @Test
    void freeFormLabelsBeyondTheCapBecomeOther() {
        List<Event> agents = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String ua = "/agent:" + i + "/";
            agents.add(events.message(0, "203.0.113.7:8333", "version", true, 102,
                    b -> b.setVersion(version().toBuilder().setUserAgent(ua))));
        }
        TextRegistry r = UpstreamMetrics.registry(false, 3, 1);
        UpstreamMetrics m = new UpstreamMetrics(r, IpLists.none());
        agents.forEach(e -> m.record(e, null));
        StringBuilder out = new StringBuilder();
        r.write(out);
        assertLines(out.toString(),
                "peerobserver_p2p_version_useragent{useragent=\"/agent:0/\"} 1",
                "peerobserver_p2p_version_useragent{useragent=\"/agent:2/\"} 1",
                "peerobserver_p2p_version_useragent{useragent=\"other\"} 2");
        long collapsed = r.metrics().stream().filter(x -> x.name().equals("peerobserver_p2p_version_useragent"))
                .findFirst().orElseThrow().pastCap();
        assertEquals(2, collapsed);
    }

    @Test
    void longLabelValuesAreCut() {
        String ua = "/" + "x".repeat(1000) + "/";
        String out = scrape(false, 100, List.of(events.message(0, "203.0.113.7:8333", "version", true, 102,
                b -> b.setVersion(version().toBuilder().setUserAgent(ua)))), null);
        assertLines(out, "peerobserver_p2p_version_useragent{useragent=\"" + ua.substring(0, TextRegistry.MAX_VALUE_LENGTH) + "\"} 1");
    }

    @Test
    void metricsAddressIsHostAndPort() {
        assertEquals(8282, HostPort.parse("[::1]:8282", "METRICS_ADDRESS").getPort());
        assertEquals("0.0.0.0", HostPort.parse("0.0.0.0:9000", "METRICS_ADDRESS").getHostString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostPort.parse("8282", "METRICS_ADDRESS"));
        assertEquals("METRICS_ADDRESS must be host:port, e.g. 127.0.0.1:8282 or [::1]:8282, not '8282'", e.getMessage());
    }

    @Test
    void numbersAreWrittenLikeUpstream() {
        assertEquals("14", TextRegistry.number(14));
        assertEquals("0", TextRegistry.number(0));
        assertEquals("2.3333333333333335", TextRegistry.number(7.0 / 3));
        assertEquals("0.00001", TextRegistry.number(0.00001));
        assertEquals("18446744073709552000", TextRegistry.number(UpstreamMetrics.unsigned(-1L)));
        assertEquals("+Inf", TextRegistry.number(Double.POSITIVE_INFINITY));
    }

    @Test
    void addresses() {
        assertEquals("2001:db8::7", HostPort.host("[2001:db8::7]:8333"));
        assertEquals("198.51.100.0", Addresses.subnet("198.51.100.77"));
        assertEquals("2001:db8:0:1::", Addresses.subnet("2001:0db8:0000:0001:ffff::1"));
        assertEquals("::", Addresses.subnet("::ffff:1.2.3.4"));
        assertEquals("abc.onion", Addresses.subnet("abc.onion"));
        assertEquals("1:0:0:1::", AddressText.ipv6(new byte[] {0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, 0));
    }

    private static PeerInfo samplePeer() {
        return PeerInfo.newBuilder().setId(0).setAddress("203.0.113.7:8333").setAddressBind("").setAddressLocal("")
                .setNetwork("ipv4").setMappedAs(0).setServices("").setRelayTransactions(true).setLastSend(0)
                .setLastReceived(0).setLastTransaction(0).setLastBlock(0).setBytesSent(0).setBytesReceived(0)
                .setConnectionTime(0).setTimeOffset(0).setPingTime(0).setMinimumPing(0).setPingWait(0).setVersion(70016)
                .setSubversion("").setInbound(false).setBip152HbTo(false).setBip152HbFrom(false).setStartingHeight(0)
                .setSyncedHeaders(0).setSyncedBlocks(0).setAddrRelayEnabled(true).setAddrProcessed(0)
                .setAddrRateLimited(0).setMinfeefilter(0.00001).setConnectionType("inbound")
                .setTransportProtocolType("v2").setInvToSend(0).setCpuLoad(0).build();
    }
}
