package org.peerobserver.extractor.rpc;

import java.time.Duration;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a call can fail, each a one-line reason without credentials. */
class BitcoinRpcClientTest {
    private static final String PASSWORD = "s3cret-Pa55";

    private FakeBitcoind node;

    @BeforeEach
    void startNode() throws IOException {
        node = new FakeBitcoind("alice:" + PASSWORD).withCoreFixtures(26);
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    private BitcoinRpcConfiguration configuration() {
        BitcoinRpcConfiguration c = new BitcoinRpcConfiguration();
        c.setPort(node.port());
        c.setUser("alice");
        c.setPassword(PASSWORD);
        c.setTimeout(Duration.ofSeconds(1));
        return c;
    }

    private BitcoinRpcException failure(BitcoinRpcConfiguration c, String method) {
        BitcoinRpcException e = assertThrows(BitcoinRpcException.class, () -> new BitcoinRpcClient(c).call(method, null));
        assertFalse(e.getMessage().contains(PASSWORD));
        assertFalse(e.getMessage().contains("alice"));
        assertEquals(0, e.getStackTrace().length);
        return e;
    }

    @Test
    void sendsAJsonRpcRequestWithBasicAuthAndReturnsTheResult() throws Exception {
        JsonNode result = new BitcoinRpcClient(configuration()).call("uptime", null);
        assertEquals(86461, result.asInt());
        FakeBitcoind.Request request = node.requests().get(0);
        assertEquals("uptime", request.method());
        assertEquals("[]", request.params().toString());
        assertEquals("Basic " + Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes()), request.authorization());
    }

    @Test
    void wrongPassword() {
        BitcoinRpcConfiguration c = configuration();
        c.setPassword("wrong-one");
        BitcoinRpcException e = failure(c, "uptime");
        assertEquals("HTTP 401 from 127.0.0.1:" + node.port() + ": user or password refused", e.getMessage());
        assertTrue(e.isNodeUnavailable());
        assertFalse(e.getMessage().contains("wrong-one"));
    }

    @Test
    void forbiddenAddress() {
        node.replyToAll(FakeBitcoind.status(403, "text/html", ""));
        BitcoinRpcException e = failure(configuration(), "uptime");
        assertEquals("HTTP 403 from 127.0.0.1:" + node.port() + ": RPC from this address is not allowed (rpcallowip)", e.getMessage());
        assertTrue(e.isNodeUnavailable());
    }

    @Test
    void jsonRpcErrorObjects() {
        node.replyTo("getmempoolinfo", FakeBitcoind.rpcError(500, -28, "Loading block index…"));
        BitcoinRpcException e = failure(configuration(), "getmempoolinfo");
        assertEquals("getmempoolinfo: RPC error -28: Loading block index…", e.getMessage());
        assertFalse(e.isNodeUnavailable());

        e = failure(configuration(), "getnosuchthing");
        assertEquals("getnosuchthing: RPC error -32601: Method not found", e.getMessage());
        // a v28+ node answers JSON-RPC 2.0 style errors with HTTP 200
        node.replyTo("uptime", FakeBitcoind.json(200, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-1,\"message\":\"boom\"},\"id\":1}"));
        assertEquals("uptime: RPC error -1: boom", failure(configuration(), "uptime").getMessage());
    }

    @Test
    void httpErrorsWithoutAJsonRpcAnswer() {
        node.replyToAll(FakeBitcoind.status(500, "text/plain", "Internal Server Error"));
        BitcoinRpcException e = failure(configuration(), "uptime");
        assertEquals("HTTP 500 from 127.0.0.1:" + node.port() + " without a JSON-RPC answer", e.getMessage());
        assertTrue(e.isNodeUnavailable());
        node.replyToAll(FakeBitcoind.status(503, "text/plain", "Work queue depth exceeded"));
        assertTrue(failure(configuration(), "uptime").getMessage().startsWith("HTTP 503 "));
    }

    @Test
    void truncatedJson() {
        node.replyTo("getpeerinfo", FakeBitcoind.json(200, "{\"result\":[{\"id\":3,\"addr\":\"203.0.113.17:8333\","));
        BitcoinRpcException e = failure(configuration(), "getpeerinfo");
        assertTrue(e.getMessage().startsWith("getpeerinfo: answer is not valid JSON (Unexpected end-of-input"), e.getMessage());
        assertFalse(e.isNodeUnavailable());
    }

    @Test
    void connectionDroppedBeforeTheBodyEnds() {
        node.replyTo("getpeerinfo", FakeBitcoind.cutOff("{\"result\":[{\"id\":3,", 5000));
        BitcoinRpcException e = failure(configuration(), "getpeerinfo");
        assertTrue(e.getMessage().startsWith("connection to 127.0.0.1:" + node.port() + " failed: "), e.getMessage());
        assertTrue(e.isNodeUnavailable());
    }

    @Test
    void slowNodeTimesOut() {
        node.replyToAll(node.slow(3000));
        long started = System.nanoTime();
        BitcoinRpcException e = failure(configuration(), "uptime");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals("no answer from 127.0.0.1:" + node.port() + " within 1 s", e.getMessage());
        assertTrue(tookMillis < 2500, "gave up after " + tookMillis + " ms");
        assertTrue(e.isNodeUnavailable());
    }

    @Test
    void nodeDown() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        BitcoinRpcConfiguration c = configuration();
        c.setPort(closedPort);
        BitcoinRpcException e = failure(c, "uptime");
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + closedPort), e.getMessage());
        assertTrue(e.isNodeUnavailable());
    }

    @Test
    void answersAboveTheSizeLimitAreRefused() {
        BitcoinRpcConfiguration c = configuration();
        c.setMaxResponseSize(4096);
        BitcoinRpcException e = failure(c, "getpeerinfo");
        assertEquals("getpeerinfo: answer larger than 4096 bytes, refused (raise RPC_MAX_RESPONSE_SIZE if it is expected)",
                e.getMessage());
        assertFalse(e.isNodeUnavailable());
        assertEquals("too_large", e.getLimit());
    }

    /**
     * The attack: 16 MB of {@code [{},{},...]}, under the 16 MiB size cap, whose tree needs about 480 MB
     * of heap. The token budget stops the parser after 500,000 tokens (about 20 MB of tree at most).
     */
    @Test
    void answersWithMoreJsonTokensThanTheBudgetAreRefusedWhateverTheirSize() throws Exception {
        node.result("getpeerinfo", FakeBitcoind.emptyObjects(16_000_000));
        BitcoinRpcConfiguration c = configuration();
        c.setTimeout(Duration.ofSeconds(10));
        BitcoinRpcException e = failure(c, "getpeerinfo");
        assertEquals("getpeerinfo: answer has more than 500000 JSON values, keys and brackets, refused (raise"
                + " RPC_MAX_JSON_TOKENS if it is expected)", e.getMessage());
        assertFalse(e.isNodeUnavailable());
        assertEquals("too_complex", e.getLimit());

        // the budget counts tokens, not bytes: the 21 kB v30 fixture has 1,683 of them, the answer's frame 7 more
        node.result("getpeerinfo", FakeBitcoind.fixture("getpeerinfo-v30.json"));
        c.setMaxJsonTokens(1689);
        assertEquals("too_complex", failure(c, "getpeerinfo").getLimit());
        c.setMaxJsonTokens(1690);
        assertEquals(14, new BitcoinRpcClient(c).call("getpeerinfo", null).size());

        node.result("uptime", "[".repeat(150) + "]".repeat(150));
        e = failure(c, "uptime");
        assertTrue(e.getMessage().startsWith("uptime: answer refused: Document nesting depth (101) exceeds the maximum"
                + " allowed (100"), e.getMessage());
        assertEquals("too_complex", e.getLimit());
    }

    @Test
    void theNodesErrorTextIsMadeFitForOneLogLine() {
        node.replyTo("getblock", FakeBitcoind.rpcError(500, -5, "Block not found\\nINFO tool-logger - FAKE LINE\\u001b[31m"));
        BitcoinRpcException e = failure(configuration(), "getblock");
        assertEquals("getblock: RPC error -5: Block not found\\nINFO tool-logger - FAKE LINE\\x1b[31m", e.getMessage());
    }

    @Test
    void cookieFileFromDatadirAndNetwork(@TempDir Path datadir) throws Exception {
        BitcoinRpcConfiguration c = configuration();
        c.setUser("");
        c.setNetwork("regtest");
        c.setDataDir(datadir.toString());
        Path cookie = datadir.resolve("regtest/.cookie");
        BitcoinRpcException e = failure(c, "uptime");
        assertTrue(e.getMessage().startsWith("no cookie file " + cookie + " "), e.getMessage());

        Files.createDirectories(cookie.getParent());
        Files.writeString(cookie, "__cookie__:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0");
        node.acceptCredentials("__cookie__:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0");
        assertEquals(86461, new BitcoinRpcClient(c).call("uptime", null).asInt());
    }

    @Test
    void cookieIsReadAgainAfterA401(@TempDir Path datadir) throws Exception {
        Path cookie = datadir.resolve(".cookie");
        Files.writeString(cookie, "__cookie__:aaaa\n");
        node.acceptCredentials("__cookie__:aaaa");
        BitcoinRpcConfiguration c = configuration();
        c.setUser(null);
        c.setCookieFile(cookie.toString());
        BitcoinRpcClient client = new BitcoinRpcClient(c);
        assertEquals(86461, client.call("uptime", null).asInt());

        // bitcoind restarted: new cookie; the client still holds the old one, gets a 401, reads the file again
        Files.writeString(cookie, "__cookie__:bbbb\n");
        node.acceptCredentials("__cookie__:bbbb");
        assertEquals(86461, client.call("uptime", null).asInt());
        assertEquals(3, node.requests().size());

        // a cookie that is refused and has not changed is a failure, not a retry loop
        node.acceptCredentials("__cookie__:cccc");
        BitcoinRpcException e = assertThrows(BitcoinRpcException.class, () -> client.call("uptime", null));
        assertEquals("HTTP 401 from 127.0.0.1:" + node.port() + ": the cookie in " + cookie + " was refused", e.getMessage());
        assertEquals(4, node.requests().size());
        assertFalse(e.getMessage().contains("bbbb"));
    }
}
