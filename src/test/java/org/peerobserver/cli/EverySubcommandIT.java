package org.peerobserver.cli;

import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.extractor.ebpf.UsdtTarget;
import org.peerobserver.extractor.p2p.FakeNode;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.extractor.rpc.FakeBitcoind;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.ebpf.message.Addr;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.BusClient;
import org.peerobserver.testing.NatsProcessTestSupport;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.SampleCapture;
import org.peerobserver.testing.SampleEvents;
import org.peerobserver.tool.websocket.FeedSocket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run of every extractor and tool subcommand on loopback, each in its own process of the packaged jar,
 * typed as upstream's binaries are (flags only), all on one nats-server; and {@code all} on the in-JVM bus.
 * The processes boot in parallel; each test then drives its own through a plain NATS client or its real peer:
 * the RPC test server, a P2P peer, the USDT test target, HTTP scrapes and a websocket client.
 */
class EverySubcommandIT extends NatsProcessTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<Event> SAMPLE = SampleCapture.events();

    private static FakeBitcoind rpcNode;
    private static FakeBitcoind allRpcNode;
    private static UsdtTarget usdt;
    private static Path csvDir;
    private static int p2pPort;
    private static int metricsPort;
    private static int websocketPort;
    private static int connectivityPort;
    private static int fibrePort;
    private static int fibreHealthPort;
    private static int allMetricsPort;
    private static AppProcess rpc;
    private static AppProcess p2p;
    private static AppProcess ebpf;
    private static AppProcess metrics;
    private static AppProcess websocket;
    private static AppProcess connectivity;
    private static AppProcess fibre;
    private static AppProcess all;

    @BeforeAll
    static void startEverySubcommand() throws Exception {
        UsdtTarget.requireNativeParts();
        rpcNode = new FakeBitcoind("e2e:secret").withCoreFixtures(30);
        allRpcNode = new FakeBitcoind("all:secret").withCoreFixtures(30);
        // it fires once the extractor has attached, however long the JVMs take to boot here
        usdt = UsdtTarget.start("validation:block_connected", 3, 0, "-w", "120");
        csvDir = Files.createTempDirectory("connectivity-e2e");
        p2pPort = NatsServer.freePort();
        metricsPort = NatsServer.freePort();
        websocketPort = NatsServer.freePort();
        connectivityPort = NatsServer.freePort();
        fibrePort = NatsServer.freePort();
        fibreHealthPort = NatsServer.freePort();
        allMetricsPort = NatsServer.freePort();

        rpc = onNats("rpc-extractor", "--rpc-host", "127.0.0.1:" + rpcNode.port(), "--rpc-user", "e2e", "--rpc-password", "secret",
                "--query-interval", "1", "--disable-getaddrmaninfo", "--node-name", "rpc-e2e");
        p2p = onNats("p2p-extractor", "--p2p-address", "127.0.0.1:" + p2pPort, "--p2p-network", "regtest", "--disable-invs");
        ebpf = onNats("ebpf-extractor", "--bitcoind-path", UsdtTarget.BINARY.toString(), "--bitcoind-pid", Long.toString(usdt.pid()),
                "--no-p2pmsg-tracepoints", "--no-connection-tracepoints", "--no-mempool-tracepoints", "-i", "--node-name", "ebpf-e2e");
        metrics = onNats("metrics", "--metrics-address", "127.0.0.1:" + metricsPort);
        websocket = onNats("websocket", "--websocket-address", "127.0.0.1:" + websocketPort);
        // our own p2p extractor is the peer it dials, on loopback, which it skips unless allowed
        connectivity = onNats(Map.of("CONNECTIVITY_ALLOW", "loopback"), "connectivity-check",
                "-m", "127.0.0.1:" + connectivityPort, "--connectivity-network", "regtest", "--csv-dir", csvDir.toString());
        fibre = onNats("fibre-exporter", "--bind-address", "127.0.0.1", "--metrics-port", Integer.toString(fibrePort),
                "--health-port", Integer.toString(fibreHealthPort));
        all = start(Map.of(), "all", "--extractors", "replay,rpc", "--tools", "logger,metrics", "--speed", "0",
                "--rpc-host", "127.0.0.1:" + allRpcNode.port(), "--rpc-user", "all", "--rpc-password", "secret", "--query-interval", "1",
                "-m", "127.0.0.1:" + allMetricsPort, "--node-name", "all-e2e");
    }

    @AfterAll
    static void stopPeers() {
        usdt.close();
        rpcNode.close();
        allRpcNode.close();
    }

    @Test
    void rpcExtractorPollsTheNodeAndPublishes() throws Exception {
        rpc.awaitStarted(START);
        await().atMost(WAIT).until(() -> bus.received("rpc-e2e", "rpc.uptime").size() >= 2);
        assertEquals(86461, bus.received("rpc-e2e", "rpc.uptime").get(0).getRpcExtractor().getUptime());
        assertTrue(bus.received("rpc-e2e", "rpc.peer_infos").size() >= 1);
        assertEquals(List.of(), bus.received("rpc-e2e", "rpc.addrman_info"), "--disable-getaddrmaninfo");
        assertTrue(!rpcNode.methodsCalled().contains("getaddrmaninfo"), rpcNode.methodsCalled().toString());
    }

    @Test
    void p2pExtractorPublishesWhatThePeerAnnounces() throws Exception {
        p2p.awaitStarted(START);
        try (FakeNode node = FakeNode.connect(p2pPort, BitcoinNetwork.REGTEST)) {
            node.handshake();
            node.send("inv", PayloadEncoder.inventory(List.of(InventoryItem.newBuilder().setBlock(ByteString.copyFrom(new byte[32])).build())));
            node.send("feefilter", PayloadEncoder.feeFilter(1234));
            await().atMost(WAIT).until(() -> !feefilters().isEmpty());
        }
        BusClient.Received r = feefilters().get(0);
        assertEquals(1234, r.event().getP2PExtractor().getFeefilterAnnouncement());
        assertEquals("127.0.0.1", r.node(), "a node not named in P2P_NODE_NAMES is named by its address");
        assertEquals(List.of(), bus.received(x -> x.kind().equals("p2p.inventory_announcement")), "--disable-invs");
    }

    private static List<BusClient.Received> feefilters() {
        return bus.received(r -> r.kind().equals("p2p.feefilter_announcement"));
    }

    @Test
    void ebpfExtractorPublishesTheTargetsTracepoints() throws Exception {
        assertEquals(3, usdt.awaitFired());
        await().atMost(WAIT).until(() -> bus.received("ebpf-e2e", "validation.block_connected").size() >= 3);
        List<Event> blocks = bus.received("ebpf-e2e", "validation.block_connected");
        assertEquals(3, blocks.size());
        assertEquals(3, blocks.stream().map(e -> e.getEbpfExtractor().getValidation().getBlockConnected().getHeight()).distinct().count());
        assertEquals(List.of(), bus.received(r -> "ebpf-e2e".equals(r.node()) && !r.subject().equals("validation")),
                "the other probe groups are off");
    }

    @Test
    void metricsCountsWhatArrivesOnNats() throws Exception {
        metrics.awaitStarted(START);
        List<Event> logEvents = ofSubject("log-extractor");
        for (Event e : logEvents) {
            bus.publish(e, "metrics-e2e");
        }
        String counter = "peerobserver_events_received_total{subject=\"log-extractor\"} " + logEvents.size() + ".0";
        await().atMost(WAIT).ignoreException(ConnectException.class).until(() -> scrape(metricsPort).contains(counter));
    }

    @Test
    void websocketClientReceivesAnEventPublishedOnNats() throws Exception {
        websocket.awaitStarted(START);
        Event event = ofSubject("validation").get(0);
        FeedSocket client = FeedSocket.connect(websocketPort, "?subjects=validation");
        try {
            // the client is registered asynchronously after its handshake: publish until it gets one
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                bus.publish(event, "ws-e2e");
                return !framesOf(client, "ws-e2e").isEmpty();
            });
        } finally {
            client.close();
        }
        JsonNode frame = framesOf(client, "ws-e2e").get(0);
        assertEquals("validation", frame.get("subject").asText());
        assertEquals("validation.block_connected", frame.get("kind").asText());
        assertEquals(event.getTimestamp(), frame.get("timestamp").asLong());
        assertEquals(event.getEbpfExtractor().getValidation().getBlockConnected().getHeight(),
                frame.at("/event/ebpf_extractor/validation/block_connected/height").asLong());
    }

    private static List<JsonNode> framesOf(FeedSocket client, String node) {
        return client.events().stream().filter(f -> node.equals(f.path("node").asText())).toList();
    }

    @Test
    void connectivityCheckDialsAnAnnouncedPeer() throws Exception {
        connectivity.awaitStarted(START);
        p2p.awaitStarted(START);
        long now = System.currentTimeMillis();
        Address peer = Address.newBuilder().setTimestamp((int) (now / 1000)).setServices(9).setIpv4("127.0.0.1").setPort(p2pPort).build();
        bus.publish(new SampleEvents(1, now).message(1, "127.0.0.1:50001", "addr", true, 31,
                m -> m.setAddr(Addr.newBuilder().addAddresses(peer))), "connectivity-e2e");
        String success = "connectivitycheck_addr_successful_connection{addr_version=\"addr\",network=\"IPv4\",source_ip=\"127.0.0.1\"} 1";
        // started means routes up; the metrics port may bind a moment later on a busy machine
        await().atMost(WAIT).ignoreException(ConnectException.class).until(() -> scrape(connectivityPort).contains(success));
        await().atMost(WAIT).until(() -> csvRows().stream().anyMatch(r -> r.contains("," + p2pPort + ",")));
        String row = csvRows().stream().filter(r -> r.contains("," + p2pPort + ",")).findFirst().orElseThrow();
        assertTrue(row.contains(",/peer-observer-camel:"), "the handshake was with our p2p extractor: " + row);
    }

    private static List<String> csvRows() throws Exception {
        try (Stream<Path> files = Files.list(csvDir)) {
            List<String> rows = new ArrayList<>();
            for (Path f : files.toList()) {
                rows.addAll(Files.readAllLines(f));
            }
            return rows;
        }
    }

    @Test
    void fibreExporterCountsBlocksPublishedOnNats() throws Exception {
        fibre.awaitStarted(START);
        assertEquals(200, AppProcess.get(fibreHealthPort, "/health").statusCode());
        for (Event e : ofSubject("validation").subList(0, 2)) {
            bus.publish(e, "fibre-e2e");
        }
        String counter = "bitcoin_blocks_connected_total{node=\"fibre-e2e\"} 2";
        await().atMost(WAIT).ignoreException(ConnectException.class).until(() -> scrape(fibrePort).contains(counter));
    }

    @Test
    void allRunsTheChosenSourcesAndToolsInOneProcess() throws Exception {
        List<Event> messages = ofSubject("netmsg");
        String replayed = "peerobserver_events_received_total{subject=\"netmsg\"} " + messages.size() + ".0";
        String uptime = "peerobserver_rpc_uptime{node=\"all-e2e\"} 86461";
        all.awaitStarted(START);
        await().atMost(WAIT).ignoreException(ConnectException.class).until(() -> scrape(allMetricsPort).contains(replayed));
        await().atMost(WAIT).ignoreException(ConnectException.class).until(() -> scrape(allMetricsPort).contains(uptime));
        // the logger, a second tool on the same events, prints every replayed P2P message
        await().atMost(WAIT).until(() -> all.count(l -> l.contains("tool-logger - message.") && l.contains(" node=all-e2e ")) == messages.size());
        assertTrue(all.count(l -> l.contains("Connected to NATS")) == 0, "all stays on the in-JVM bus without --nats-address");
        assertEquals(List.of(), bus.received(r -> "all-e2e".equals(r.node())), "nothing of all's reaches NATS");
    }

    private static List<String> scrape(int port) throws Exception {
        return AppProcess.get(port, "/metrics").body().lines().toList();
    }

    private static List<Event> ofSubject(String subject) {
        return SAMPLE.stream().filter(e -> EventKind.of(e).subject().equals(subject)).toList();
    }
}
