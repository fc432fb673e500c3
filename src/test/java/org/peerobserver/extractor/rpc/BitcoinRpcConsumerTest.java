package org.peerobserver.extractor.rpc;

import java.time.Duration;
import org.peerobserver.testing.CapturedLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.rpc.MempoolInfo;
import org.peerobserver.proto.rpc.PeerInfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller against a fake bitcoind: events, failures with health and log, backoff, cookie rotation. */
class BitcoinRpcConsumerTest extends CamelTestSupport {
    private static final String PASSWORD = "hunter2-rpc";
    private static final List<String> UPSTREAM_ORDER = List.of("rpc.peer_infos", "rpc.mempool_info", "rpc.uptime",
            "rpc.net_totals", "rpc.memory_info", "rpc.addrman_info");

    private final FakeBitcoind node;
    private final CapturedLog log = new CapturedLog(BitcoinRpcConsumer.class);

    @TempDir
    Path temp;

    BitcoinRpcConsumerTest() throws IOException {
        node = new FakeBitcoind("alice:" + PASSWORD).withCoreFixtures(30);
    }

    @AfterEach
    void stopNode() {
        log.close();
        node.close();
    }

    /** Connection and credentials on the component, as application.properties sets them. */
    private void configure(Consumer<BitcoinRpcConfiguration> settings) {
        BitcoinRpcConfiguration c = context.getComponent("bitcoin-rpc", BitcoinRpcComponent.class).getConfiguration();
        c.setPort(node.port());
        c.setUser("alice");
        c.setPassword(PASSWORD);
        c.setTimeout(Duration.ofSeconds(1));
        c.setMaxBackoff(Duration.ofSeconds(1));
        settings.accept(c);
    }

    private void startRoute(String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bitcoin-rpc:node?initialDelay=0&" + options).routeId("rpc").to("mock:events");
            }
        });
    }

    private BitcoinRpcConsumer rpcConsumer() {
        return (BitcoinRpcConsumer) context.getRoute("rpc").getConsumer();
    }

    private HealthCheck.Result health() {
        return ((HealthCheckAware) rpcConsumer()).getHealthCheck().call();
    }

    /** DOWN because polls failed (not because there was none yet). */
    private HealthCheck.Result failing(long timeoutMillis) {
        HealthCheck.Result[] seen = new HealthCheck.Result[1];
        Waiting.until(timeoutMillis, () -> (seen[0] = health()).getError().isPresent(), () -> "DOWN with a reason: " + seen[0]);
        assertEquals(HealthCheck.State.DOWN, seen[0].getState());
        return seen[0];
    }

    private static List<String> kinds(List<Exchange> exchanges) {
        return exchanges.stream().map(e -> e.getIn().getHeader(EventHeaders.KIND, String.class)).toList();
    }

    @Test
    void oneRoundIsSixRpcEventsInUpstreamOrder() throws Exception {
        configure(c -> { });
        MockEndpoint events = getMockEndpoint("mock:events");
        events.expectedMinimumMessageCount(12);
        long before = System.currentTimeMillis();
        startRoute("delay=200");
        events.assertIsSatisfied(5000);

        List<Exchange> received = events.getReceivedExchanges();
        assertEquals(UPSTREAM_ORDER, kinds(received.subList(0, 6)));
        assertEquals(UPSTREAM_ORDER, kinds(received.subList(6, 12)));
        for (Exchange e : received.subList(0, 6)) {
            assertEquals("rpc", e.getIn().getHeader(EventHeaders.SUBJECT));
            long timestamp = e.getIn().getBody(Event.class).getTimestamp();
            assertTrue(timestamp >= before && timestamp <= System.currentTimeMillis(), "timestamp " + timestamp);
        }
        Event peers = received.get(0).getIn().getBody(Event.class);
        assertEquals(14, peers.getRpcExtractor().getPeerInfos().getInfosCount());
        PeerInfo inbound = peers.getRpcExtractor().getPeerInfos().getInfos(5);
        assertEquals(38, inbound.getId());
        assertEquals("198.51.100.77:50312", inbound.getAddress());
        assertEquals(64502, inbound.getMappedAs());
        assertEquals(0.842574, inbound.getPingTime());
        assertEquals("inbound", inbound.getConnectionType());
        assertEquals(3518, received.get(1).getIn().getBody(Event.class).getRpcExtractor().getMempoolInfo().getSize());
        assertEquals(86461, received.get(2).getIn().getBody(Event.class).getRpcExtractor().getUptime());
        assertEquals(51283, received.get(3).getIn().getBody(Event.class).getRpcExtractor().getNetTotals()
                .getUploadTarget().getTimeLeftInCycle());
        assertEquals(224, received.get(4).getIn().getBody(Event.class).getRpcExtractor().getMemoryInfo().getUsed());
        assertEquals(14220, received.get(5).getIn().getBody(Event.class).getRpcExtractor().getAddrmanInfo()
                .getNetworksOrThrow("onion").getTotal());

        assertEquals(HealthCheck.State.UP, health().getState());
        assertEquals(List.of("INFO Bitcoin Core RPC at 127.0.0.1:" + node.port() + " (user and password) answers"),
                log.lines().subList(1, 2));
        assertTrue(log.lines().get(0).startsWith("INFO Polling Bitcoin Core RPC at 127.0.0.1:" + node.port()
                + " (user and password) every 200 milliseconds: [getpeerinfo, "), log.lines().get(0));
        assertFalse(String.join("\n", log.lines()).contains(PASSWORD));
        assertFalse(String.join("\n", log.lines()).contains("alice"));
    }

    @Test
    void switchedOffMethodsAreNotCalledAndExtraMethodsArePublishedAsExtEvents() throws Exception {
        node.result("getblockchaininfo", "{\"chain\":\"regtest\",\"blocks\":101,\"bestblockhash\":"
                + "\"3a6f0e4bc1d8ee93d4b4b0c8e0f2b7a8d2c9d1e5f4a3b2c1d0e9f8a7b6c5d4e3\",\"verificationprogress\":1,"
                + "\"pruned\":false,\"warnings\":[]}");
        node.result("estimatesmartfee", "{\"feerate\":0.00001000,\"blocks\":2}");
        configure(c -> { });
        MockEndpoint events = getMockEndpoint("mock:events");
        events.expectedMinimumMessageCount(4);
        startRoute("delay=200&peerInfo=false&mempoolInfo=false&netTotals=false&memoryInfo=false&addrmanInfo=false"
                + "&extraMethods=getblockchaininfo, estimatesmartfee");
        events.assertIsSatisfied(5000);

        List<Exchange> received = events.getReceivedExchanges();
        assertEquals(List.of("rpc.uptime", "ext.rpc_result", "ext.rpc_result"), kinds(received.subList(0, 3)));
        assertEquals("ext.rpc_result", received.get(1).getIn().getHeader(EventHeaders.SUBJECT));
        Event chain = received.get(1).getIn().getBody(Event.class);
        assertEquals("getblockchaininfo", chain.getExtension().getRpcResult().getMethod());
        assertEquals("{\"chain\":\"regtest\",\"blocks\":101,\"bestblockhash\":"
                + "\"3a6f0e4bc1d8ee93d4b4b0c8e0f2b7a8d2c9d1e5f4a3b2c1d0e9f8a7b6c5d4e3\",\"verificationprogress\":1,"
                + "\"pruned\":false,\"warnings\":[]}", chain.getExtension().getRpcResult().getJson());
        // amounts keep Bitcoin Core's notation, not a double's 1.0E-5
        assertEquals("{\"feerate\":0.00001000,\"blocks\":2}",
                received.get(2).getIn().getBody(Event.class).getExtension().getRpcResult().getJson());
        assertFalse(node.methodsCalled().contains("getpeerinfo"));
        assertFalse(node.methodsCalled().contains("getaddrmaninfo"));
    }

    /** One failure mode: how to cause it, the reason it must report, and how to end it. */
    private record Failure(String name, Runnable cause, String reason, Runnable cure) {
    }

    @Test
    void everyFailureMakesItDownWithTheReasonOnceInTheLogAndItRecovers() throws Exception {
        configure(c -> c.setFailuresBeforeDown(2));
        String at = "127.0.0.1:" + node.port();
        List<Failure> failures = List.of(
                new Failure("wrong password", () -> node.acceptCredentials("alice:changed"),
                        "HTTP 401 from " + at + ": user or password refused", () -> node.acceptCredentials("alice:" + PASSWORD)),
                new Failure("forbidden", () -> node.replyToAll(FakeBitcoind.status(403, "text/plain", "")),
                        "HTTP 403 from " + at + ": RPC from this address is not allowed (rpcallowip)", () -> node.replyToAll(null)),
                new Failure("internal error", () -> node.replyToAll(FakeBitcoind.status(500, "text/html", "<h1>oops</h1>")),
                        "HTTP 500 from " + at + " without a JSON-RPC answer", () -> node.replyToAll(null)),
                new Failure("rpc error", () -> node.replyTo("getmempoolinfo", FakeBitcoind.rpcError(500, -28, "Verifying blocks…")),
                        "getmempoolinfo: RPC error -28: Verifying blocks…", () -> node.replyTo("getmempoolinfo", null)),
                new Failure("truncated json", () -> node.replyTo("getnettotals", FakeBitcoind.json(200, "{\"result\":{\"totalbytesrecv\":74")),
                        "getnettotals: answer is not valid JSON (Unexpected end-of-input", () -> node.replyTo("getnettotals", null)),
                new Failure("slow", () -> node.replyToAll(node.slow(1500)),
                        "no answer from " + at + " within 1 s", () -> node.replyToAll(null)),
                new Failure("down", node::stop, "cannot connect to " + at, () -> {
                    try {
                        node.start();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        MockEndpoint events = getMockEndpoint("mock:events");
        startRoute("delay=200");
        Waiting.until(5000, () -> health().getState() == HealthCheck.State.UP, () -> "UP at start: " + health());

        for (Failure f : failures) {
            f.cause().run();
            Waiting.until(8000, () -> rpcConsumer().getErrorCounter() >= 2, () -> f.name() + ": two failed rounds");
            HealthCheck.Result down = health();
            assertEquals(HealthCheck.State.DOWN, down.getState(), f.name());
            String reason = down.getError().orElseThrow().getMessage();
            assertTrue(reason.startsWith(f.reason()), f.name() + ": " + reason);
            int before = events.getReceivedCounter();
            f.cure().run();
            Waiting.until(8000, () -> health().getState() == HealthCheck.State.UP, () -> f.name() + ": UP again");
            Waiting.until(3000, () -> events.getReceivedCounter() >= before + 6, () -> f.name() + ": events again");
        }

        List<String> warnings = log.lines("WARN");
        assertEquals(failures.size(), warnings.size(), String.join("\n", warnings));
        for (int i = 0; i < failures.size(); i++) {
            assertTrue(warnings.get(i).startsWith("WARN Bitcoin Core RPC failing: " + failures.get(i).reason()), warnings.get(i));
        }
        // the health check turns UP a moment before the recovery line is written
        Waiting.until(3000, () -> log.lines("INFO").stream().filter(l -> l.contains("answers again")).count() >= failures.size(),
                () -> "all recoveries logged: " + log.lines());
        List<String> recoveries = log.lines("INFO").stream().filter(l -> l.contains("answers again")).toList();
        assertEquals(failures.size(), recoveries.size(), String.join("\n", log.lines()));
        assertFalse(log.sawThrowable());
        assertFalse(String.join("\n", log.lines()).contains(PASSWORD));
    }

    @Test
    void aFailingMethodBacksOffAloneWhileTheOthersKeepTheirInterval() throws Exception {
        node.replyTo("getmempoolinfo", FakeBitcoind.rpcError(500, -28, "Loading block index…"));
        configure(c -> { });
        MockEndpoint events = getMockEndpoint("mock:events");
        startRoute("delay=100");
        // getpeerinfo every round (0.1 s apart, longer on a busy machine); getmempoolinfo after waits of 0.1, 0.2,
        // 0.4, 0.8, then 1 s: by its fifth call 1.5 s have passed, at least two rounds more than it had
        Waiting.until(10_000, () -> node.methodsCalled().stream().filter("getmempoolinfo"::equals).count() >= 5,
                () -> "five getmempoolinfo calls");
        long mempoolCalls = node.methodsCalled().stream().filter("getmempoolinfo"::equals).count();
        long peerInfoRounds = node.methodsCalled().stream().filter("getpeerinfo"::equals).count();
        assertEquals(List.of("rpc.peer_infos", "rpc.uptime", "rpc.net_totals", "rpc.memory_info", "rpc.addrman_info"),
                kinds(events.getReceivedExchanges().subList(0, 5)));
        assertTrue(peerInfoRounds >= mempoolCalls + 2, peerInfoRounds + " rounds, " + mempoolCalls + " getmempoolinfo calls");
        HealthCheck.Result health = health();
        assertEquals(HealthCheck.State.DOWN, health.getState());
        assertEquals("getmempoolinfo: RPC error -28: Loading block index…", health.getError().orElseThrow().getMessage());
        assertEquals(1, log.lines("WARN").size(), String.join("\n", log.lines()));
    }

    @Test
    void backoffDoublesTheWaitWhileTheNodeFails() throws Exception {
        node.replyToAll(FakeBitcoind.status(500, "text/plain", "Internal Server Error"));
        configure(c -> { });
        long started = System.nanoTime();
        startRoute("delay=100");
        Thread.sleep(3000);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        // without backoff about 30 attempts; with it, waits of 0.1, 0.2, 0.4, 0.8, then 1 s (maxBackoff)
        int attempts = node.requests().size();
        assertTrue(attempts >= 4 && attempts <= 8, attempts + " attempts in " + seconds + " s");
        assertEquals(1, log.lines("WARN").size(), String.join("\n", log.lines()));
        assertEquals(attempts, rpcConsumer().getErrorCounter());
    }

    @Test
    void healthIsDownOnlyAfterFailuresBeforeDownRoundsInARowAndUpAgainWhenAnswersCome() throws Exception {
        configure(c -> c.setFailuresBeforeDown(3));
        MockEndpoint events = getMockEndpoint("mock:events");
        startRoute("delay=300");
        Waiting.until(5000, () -> health().getState() == HealthCheck.State.UP, () -> "UP at start: " + health());
        node.stop();
        // waits of 0.3 s, then 0.6 s, then 1 s (maxBackoff): failure counts are seen long before the next one
        for (long failures = 1; failures <= 3; failures++) {
            long n = failures;
            Waiting.until(5000, () -> rpcConsumer().getFailuresInARow() >= n, () -> n + " failed rounds");
            assertEquals(failures < 3 ? HealthCheck.State.UP : HealthCheck.State.DOWN, health().getState(), failures + " failed rounds");
        }
        assertTrue(health().getError().orElseThrow().getMessage().startsWith("cannot connect to 127.0.0.1:" + node.port()));
        node.start();
        int before = events.getReceivedCounter();
        Waiting.until(5000, () -> health().getState() == HealthCheck.State.UP, () -> "UP again: " + health());
        Waiting.until(3000, () -> events.getReceivedCounter() >= before + 6, () -> "events again");
        assertEquals(0, rpcConsumer().getFailuresInARow());
    }

    /**
     * A hostile or broken node: an answer of 16 MB of {@code [{},{},...]} (refused by the token budget
     * before it fills the heap), and numbers that do not fit their fields (refused one by one). Both are
     * counted in the metrics, the refused fields logged once a minute, and polling goes on, with health
     * DOWN while an answer is refused and UP once it is good again.
     */
    @Test
    void hostileAnswersAreRefusedAndCountedAndPollingGoesOn() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        context.getRegistry().bind("metricsRegistry", meters);
        node.result("getpeerinfo", FakeBitcoind.emptyObjects(16_000_000));
        node.result("getmempoolinfo", "{\"loaded\":true,\"size\":1180591620717411303424,\"bytes\":-5,\"usage\":18446744073709551621}");
        configure(c -> {
            c.setFailuresBeforeDown(2);
            c.setTimeout(Duration.ofSeconds(10));
        });
        MockEndpoint events = getMockEndpoint("mock:events");
        startRoute("delay=100");
        HealthCheck.Result down = failing(10_000);
        assertTrue(down.getError().orElseThrow().getMessage().startsWith("getpeerinfo: answer has more than 500000 JSON"),
                down.toString());
        // asked again and again, refused each time
        Waiting.until(10_000, () -> count(meters, "peerobserver_rpc_refused_answers", "reason", "too_complex") >= 3,
                () -> "three refused getpeerinfo answers: " + node.methodsCalled().size() + " calls");
        Waiting.until(3000, () -> count(meters, "peerobserver_rpc_refused_fields", "field", "usage") >= 3, () -> "rounds");

        // the other methods keep their interval: mempool events, without the three refused fields
        MempoolInfo mempool = events.getReceivedExchanges().stream().map(e -> e.getIn().getBody(Event.class))
                .filter(e -> e.getRpcExtractor().hasMempoolInfo()).findFirst().orElseThrow().getRpcExtractor().getMempoolInfo();
        assertTrue(mempool.getLoaded());
        assertEquals(0, mempool.getSize());
        assertEquals(-5, mempool.getBytes());  // bytes is a signed field (int64), so -5 fits
        assertEquals(0, mempool.getUsage());
        assertTrue(count(meters, "peerobserver_rpc_refused_fields", "field", "size") >= 3);
        assertEquals(0, count(meters, "peerobserver_rpc_refused_fields", "field", "bytes"));
        List<String> refusedLines = log.lines().stream().filter(l -> l.contains("refused, left out")).toList();
        assertEquals(List.of("WARN Bitcoin Core RPC getmempoolinfo: result field \"size\" is not a signed 64-bit integer:"
                + " 1180591620717411303424; refused, left out of the event (counted in peerobserver_rpc_refused_fields_total)"),
                refusedLines, "once a minute at most");

        node.result("getpeerinfo", FakeBitcoind.fixture("getpeerinfo-v30.json"));
        Waiting.until(10_000, () -> health().getState() == HealthCheck.State.UP, () -> "UP again: " + health());
        int before = events.getReceivedCounter();
        Waiting.until(5000, () -> kinds(events.getReceivedExchanges().subList(before, events.getReceivedCounter()))
                .contains("rpc.peer_infos"), () -> "peer events again");
        assertFalse(log.sawThrowable());
        context.getRouteController().stopRoute("rpc");
        assertEquals(List.of(), meters.getMeters(), "the consumer's meters go with it");
    }

    private static double count(SimpleMeterRegistry meters, String name, String tag, String value) {
        return meters.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** An Error that reaches the poll (here from the route's exception handler) ends a round, never the polling. */
    @Test
    void anErrorInARoundNeverStopsPolling() throws Exception {
        configure(c -> c.setFailuresBeforeDown(1));
        AtomicInteger errors = new AtomicInteger(3);
        context.getRegistry().bind("throwingHandler", (ExceptionHandler) new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            }

            @Override
            public void handleException(String message, Throwable exception) {
                handleException(exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                handleException(exception);
            }
        });
        MockEndpoint events = getMockEndpoint("mock:events");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bitcoin-rpc:node?initialDelay=0&delay=100&exceptionHandler=#throwingHandler").routeId("rpc")
                        .process(e -> {
                            if (errors.getAndDecrement() > 0) {
                                throw new IllegalStateException("a tool failed");
                            }
                        })
                        .to("mock:events");
            }
        });
        HealthCheck.Result down = failing(5000);
        assertEquals("a round of RPC calls failed unexpectedly: OutOfMemoryError: Java heap space (thrown by the test)",
                down.getError().orElseThrow().getMessage());
        Waiting.until(10_000, () -> events.getReceivedCounter() >= 12, () -> "polling goes on: " + events.getReceivedCounter());
        Waiting.until(5000, () -> health().getState() == HealthCheck.State.UP, () -> "UP again: " + health());
    }

    @Test
    void cookieRotatedWhileRunningIsUsedByTheNextPoll() throws Exception {
        Path cookie = temp.resolve(".cookie");
        Files.writeString(cookie, "__cookie__:1111aaaa\n");
        node.acceptCredentials("__cookie__:1111aaaa");
        configure(c -> {
            c.setUser(null);
            c.setPassword(null);
            c.setCookieFile(cookie.toString());
        });
        MockEndpoint events = getMockEndpoint("mock:events");
        startRoute("delay=200");
        Waiting.until(5000, () -> events.getReceivedCounter() >= 6, () -> "a first round");

        // bitcoind restarts and writes a new cookie
        Files.writeString(cookie, "__cookie__:2222bbbb\n");
        node.acceptCredentials("__cookie__:2222bbbb");
        int requestsBefore = node.requests().size();
        int eventsBefore = events.getReceivedCounter();
        Waiting.until(5000, () -> events.getReceivedCounter() >= eventsBefore + 12, () -> "two rounds with the new cookie");

        String renewed = "Basic " + Base64.getEncoder().encodeToString("__cookie__:2222bbbb".getBytes());
        List<FakeBitcoind.Request> after = node.requests().subList(requestsBefore, node.requests().size());
        assertEquals(1, after.stream().filter(r -> !renewed.equals(r.authorization())).count(), "one refused request, then the new cookie");
        assertEquals(0, rpcConsumer().getErrorCounter());
        assertEquals(List.of(), log.lines("WARN"));
    }
}
