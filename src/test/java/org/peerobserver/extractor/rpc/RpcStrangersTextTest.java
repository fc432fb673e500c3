package org.peerobserver.extractor.rpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.support.SafeTextConverter;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.HostileText;
import org.peerobserver.testing.RenderedLog;

/**
 * A node whose answers carry a forged line, a CR, ANSI escapes and a NUL in a peer's user agent and
 * address, and in an RPC error message: the rpc extractor's own warning and the logger tool's line,
 * rendered by the application's own log layout.
 */
class RpcStrangersTextTest extends AppTestSupport {
    private static final String ALL = HostileText.NEWLINE + HostileText.CR + HostileText.ANSI + HostileText.NUL;
    private static FakeBitcoind node;

    @BeforeAll
    static void startNode() throws IOException {
        node = new FakeBitcoind("carol:pw").withCoreFixtures(30);
        node.result("getpeerinfo", FakeBitcoind.fixture("getpeerinfo-v30.json")
                .replace("/Satoshi:27.1.0/", json(ALL)).replace("203.0.113.17:8333", json(HostileText.LONG)));
        node.replyTo("uptime", FakeBitcoind.rpcError(500, -1, json(ALL + HostileText.LONG)));
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static String json(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    @Override
    protected Properties settings() {
        return props("extractors", "rpc", "tools", "logger",
                "camel.component.bitcoin-rpc.configuration.port", String.valueOf(node.port()),
                "camel.component.bitcoin-rpc.configuration.user", "carol",
                "camel.component.bitcoin-rpc.configuration.password", "pw",
                "rpc.delay", "1s");
    }

    @Test
    void nodeTextReachesTheLogEscapedAndCut() throws Exception {
        try (RenderedLog log = new RenderedLog()) {
            context.getRouteController().stopRoute("extractor-rpc");
            context.getRouteController().startRoute("extractor-rpc");
            await().atMost(10, TimeUnit.SECONDS).until(() -> lines(log, "tool-logger - rpc.peer_infos").size() >= 1
                    && lines(log, "Bitcoin Core RPC failing").size() >= 1);
            HostileText.assertSafe(log, SafeTextConverter.DEFAULT_MAX + 100);
            String peers = lines(log, "tool-logger - rpc.peer_infos").get(0);
            String failing = lines(log, "Bitcoin Core RPC failing").get(0);
            for (String escaped : HostileText.ESCAPED.subList(0, 4)) {
                assertTrue(peers.contains(escaped), escaped + " not in " + peers);
            }
            // the rpc client makes line ends of an error message spaces; the layout escapes the rest
            for (String escaped : HostileText.ESCAPED.subList(2, 4)) {
                assertTrue(failing.contains(escaped), escaped + " not in " + failing);
            }
            assertTrue(peers.contains("address=\"" + "A".repeat(256) + "...(3840 more)\""), peers);
        }
    }

    private static List<String> lines(RenderedLog log, String part) {
        return log.lines().stream().filter(l -> l.contains(part)).toList();
    }
}
