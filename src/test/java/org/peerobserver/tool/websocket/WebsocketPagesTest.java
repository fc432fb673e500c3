package org.peerobserver.tool.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.NatsServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every page of the websocket tool in headless Chromium (src/test/browser/pages.js, playwright-core), against the
 * tool fed by the bundled sample capture. Chromium and node are required: without them this fails, it does not skip.
 */
class WebsocketPagesTest extends AppTestSupport {
    static final Path BROWSER = Path.of("src/test/browser");
    static final Path SCREENSHOTS = Path.of("target/browser-screenshots");
    static int port;

    @Override
    protected Properties settings() {
        try {
            port = NatsServer.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // the 60 s sample every 3 s, over and over
        return props("extractors", "replay", "replay.speed", "20", "replay.loop", "true",
                "tools", "websocket", "websocket.address", "127.0.0.1:" + port);
    }

    @Test
    void everyPageShowsWhatTheSampleHolds() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "/usr/bin/chromium is missing: apt-get install chromium");
        assertTrue(Files.isDirectory(BROWSER.resolve("node_modules/playwright-core")),
                "playwright-core is missing: npm ci --prefix src/test/browser");
        Files.createDirectories(SCREENSHOTS);
        Process node = new ProcessBuilder("node", BROWSER.resolve("pages.js").toString(), "http://127.0.0.1:" + port,
                SCREENSHOTS.toString()).redirectErrorStream(true).start();
        if (!node.waitFor(180, TimeUnit.SECONDS)) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), output);
        for (String page : new String[] {"index", "peers", "messages", "pings", "connections", "races"}) {
            assertTrue(output.contains("ok " + page + ".html"), output);
        }
    }
}
