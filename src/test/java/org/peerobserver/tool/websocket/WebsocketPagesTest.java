package org.peerobserver.tool.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.message.AddrV2;
import org.peerobserver.proto.ebpf.message.Inv;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.message.Unknown;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.NatsServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every page of the websocket tool in headless Chromium (src/test/browser/pages.js, playwright-core), against the
 * tool fed by the bundled sample capture, and block races from the FIBRE exporter; and a page that speaks upstream
 * peer-observer's protocol (src/test/browser/upstream), served from a web server of its own. Chromium and node are required: without them this fails, it does not skip.
 */
class WebsocketPagesTest extends AppTestSupport {
    static final Path BROWSER = Path.of("src/test/browser");
    static final Path SCREENSHOTS = Path.of("target/browser-screenshots");
    static int port;
    static Path ipLists;

    @Override
    protected Properties settings() {
        try {
            port = NatsServer.freePort();
            ipLists = Files.createTempDirectory("ip-lists");
            Files.writeString(ipLists.resolve("torbulkexitlist"), "198.51.100.77\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // the 60 s sample every 3 s, over and over
        return props("extractors", "replay", "camel.component.replay.configuration.speed", "20", "camel.component.replay.configuration.loop", "true",
                // upstream's frames by default, for upstream's pages; ours ask for their own
                "tools", "websocket,fibre-exporter", "websocket.address", "127.0.0.1:" + port, "websocket.format", "upstream",
                "websocket.grafana-url", "http://127.0.0.1:3000/d/peer-observer", "metrics.ip-lists", ipLists.toString(),
                "fibre.metrics-port", "0", "fibre.health-port", "0", "fibre.race-window", "0.2");
    }

    /**
     * A new block every half second, as a raw cmpctblock then a headers announcement, for the races pages; and an
     * address from a LinkingLion peer, and a transaction two peers announce one after the other.
     */
    private ScheduledExecutorService blocks() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger nonce = new AtomicInteger();
        timer.scheduleAtFixedRate(() -> {
            byte[] header = new byte[80];
            ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(76, nonce.incrementAndGet());
            long now = System.currentTimeMillis();
            template.sendBody("bus:publish", rawMessage(now, "cmpctblock", "198.51.100.4:8333", header));
            byte[] headers = new byte[82];
            headers[0] = 1;
            System.arraycopy(header, 0, headers, 1, 80);
            template.sendBody("bus:publish", rawMessage(now + 25, "headers", "198.51.100.5:8333", headers));
            // a peer in LinkingLion's ranges and a Tor exit on the test's list announcing an address, for the address relay page
            template.sendBody("bus:publish", addrv2(now, 12, "162.218.65.9:8333"));
            template.sendBody("bus:publish", addrv2(now, 15, "198.51.100.77:8333"));
            // a transaction announced by peer 13, then by peer 14, for the transaction relay page's first-seen order
            ByteString wtxid = ByteString.copyFrom(ByteBuffer.allocate(32).putInt(nonce.get()).array());
            for (int peer : new int[] {13, 14}) {
                template.sendBody("bus:publish", Event.newBuilder().setTimestamp(now).setEbpfExtractor(ebpf.newBuilder().setMessage(
                        MessageEvent.newBuilder().setMeta(Metadata.newBuilder().setPeerId(peer).setAddr("192.0.2." + peer + ":8333")
                                .setConnType(ConnType.OutboundFullRelay).setCommand("inv").setInbound(true).setSize(37))
                                .setInv(Inv.newBuilder().addItems(InventoryItem.newBuilder().setWtx(wtxid))))).build());
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
        return timer;
    }

    private static Event addrv2(long at, int peer, String addr) {
        return Event.newBuilder().setTimestamp(at).setEbpfExtractor(ebpf.newBuilder().setMessage(
                MessageEvent.newBuilder().setMeta(Metadata.newBuilder().setPeerId(peer).setAddr(addr)
                        .setConnType(ConnType.Inbound).setCommand("addrv2").setInbound(true).setSize(20))
                        .setAddrv2(AddrV2.newBuilder().addAddresses(Address.newBuilder().setTimestamp(1).setIpv4("203.0.113.99")
                                .setServices(1).setPort(8333))))).build();
    }

    private static Event rawMessage(long at, String command, String addr, byte[] payload) {
        return Event.newBuilder().setTimestamp(at).setEbpfExtractor(ebpf.newBuilder().setMessage(MessageEvent.newBuilder()
                .setMeta(Metadata.newBuilder().setPeerId(9).setAddr(addr).setConnType(ConnType.OutboundFullRelay)
                        .setCommand(command).setInbound(true).setSize(payload.length))
                .setUnknown(Unknown.newBuilder().setCommand(command).setPayload(ByteString.copyFrom(payload))))).build();
    }

    @Test
    void everyPageShowsWhatTheSampleHolds() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "/usr/bin/chromium is missing: apt-get install chromium");
        assertTrue(Files.isDirectory(BROWSER.resolve("node_modules/playwright-core")),
                "playwright-core is missing: npm ci --prefix src/test/browser");
        Files.createDirectories(SCREENSHOTS);
        ScheduledExecutorService blocks = blocks();
        Process node = new ProcessBuilder("node", BROWSER.resolve("pages.js").toString(), "http://127.0.0.1:" + port,
                SCREENSHOTS.toString()).redirectErrorStream(true).start();
        if (!node.waitFor(180, TimeUnit.SECONDS)) {
            node.destroyForcibly();
        }
        blocks.shutdownNow();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), output);
        for (String page : new String[] {"index", "peers", "messages", "pings", "connections", "races", "rates", "connection-events", "mempool", "race-timeline", "ping-times", "addr-relay", "tx-relay", "peer-map"}) {
            assertTrue(output.contains("ok " + page + ".html"), output);
        }
        assertTrue(output.contains("ok upstream protocol"), output);
    }
}
