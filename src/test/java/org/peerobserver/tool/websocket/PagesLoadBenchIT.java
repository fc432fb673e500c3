package org.peerobserver.tool.websocket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.message.Ping;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.NatsServer;

/**
 * Not a test: a measurement, run only when named (mvn verify -Dtest=none -Dit.test=PagesLoadBenchIT
 * -DloadSeconds=600 -DloadPages=peer-map.html,rates.html -DloadTogether=true). The bundled sample at 10x and 10,000 synthetic
 * message events per second; the pages in headless Chromium (src/test/browser/load.js), each alone or all open together, print
 * frames per second and the JS heap every 5 s.
 */
class PagesLoadBenchIT extends AppTestSupport {
    static final String PLOT_PAGES = "peer-map.html,rates.html,ping-times.html,addr-relay.html,tx-relay.html,mempool.html,"
            + "race-timeline.html,connection-events.html";
    static int port;

    @Override
    protected Properties settings() {
        try {
            port = NatsServer.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return props("extractors", "replay", "camel.component.replay.configuration.speed", "10", "camel.component.replay.configuration.loop", "true",
                "tools", "websocket", "websocket.address", "127.0.0.1:" + port, "websocket.client-queue-size", "20000");
    }

    @Test
    void framesAndHeapUnderLoad() throws Exception {
        Thread feed = new Thread(() -> {
            long n = 0;
            long start = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                for (int i = 0; i < 100; i++, n++) {
                    template.sendBody("bus:publish", Event.newBuilder().setTimestamp(System.currentTimeMillis()).setEbpfExtractor(ebpf.newBuilder()
                            .setMessage(MessageEvent.newBuilder().setMeta(Metadata.newBuilder().setPeerId(n % 120).setAddr("198.51.100." + (n % 120) + ":8333")
                                    .setConnType(ConnType.OutboundFullRelay).setCommand(n % 3 == 0 ? "ping" : "inv").setInbound(n % 2 == 0).setSize(32))
                                    .setPing(Ping.newBuilder().setValue(n)))).build());
                }
                long due = start + n * 100_000L;  // 10,000 per second
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        feed.start();
        List<String> command = new ArrayList<>(List.of("node", "src/test/browser/load.js", "http://127.0.0.1:" + port,
                Long.getLong("loadSeconds", 20).toString(), Boolean.getBoolean("loadTogether") ? "together" : "one-by-one"));
        command.addAll(List.of(System.getProperty("loadPages", PLOT_PAGES).split(",")));
        // the samples go to a file as they come (a pipe read only at the end would fill and stop node)
        Path report = Path.of("target/pages-load.txt");
        Process node = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(report.toFile()).start();
        long pages = Boolean.getBoolean("loadTogether") ? 1 : command.size() - 5;
        if (!node.waitFor(pages * Long.getLong("loadSeconds", 20) * 2 + 120, TimeUnit.SECONDS)) {
            node.destroyForcibly();
        }
        feed.interrupt();
        WebsocketFeed tool = context.getRegistry().lookupByNameAndType("websocketFeed", WebsocketFeed.class);
        System.out.println(Files.readString(report) + "feed: frames queued " + tool.getFramesQueued() + ", missed "
                + tool.getFramesMissed() + " (samples kept in " + report + ")");
    }
}
