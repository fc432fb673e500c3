package org.peerobserver.extractor.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for bitcoind's RPC server, which cannot run in the test environment: a JDK HTTP server on
 * 127.0.0.1 that checks basic auth and answers JSON-RPC 1.0 requests the way Bitcoin Core does (results
 * from the fixtures in src/test/resources/rpc, errors with HTTP 404/500 and an error object, 401 with an
 * empty body). Failures are switched on per method or for every request.
 */
public final class FakeBitcoind implements AutoCloseable {

    /** How one request is answered. */
    @FunctionalInterface
    interface Reply {
        void send(HttpExchange exchange, JsonNode request) throws IOException;
    }

    /** One request as the server saw it. */
    record Request(String method, JsonNode params, String authorization) {
    }

    private final Map<String, String> results = new ConcurrentHashMap<>();
    private final Map<String, Reply> methodReplies = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private volatile Reply everyReply;
    private volatile String acceptedCredentials;
    private HttpServer server;
    private int port;

    public FakeBitcoind(String acceptedCredentials) throws IOException {
        this.acceptedCredentials = acceptedCredentials;
        start();
    }

    /** Serves results for the six polled methods from the fixtures of {@code version} (26 or 30). */
    public FakeBitcoind withCoreFixtures(int version) {
        result("getpeerinfo", fixture("getpeerinfo-v" + version + ".json"));
        result("getmempoolinfo", fixture("getmempoolinfo-v" + version + ".json"));
        result("uptime", "86461");
        result("getnettotals", fixture("getnettotals.json"));
        result("getmemoryinfo", fixture("getmemoryinfo.json"));
        result("getaddrmaninfo", fixture("getaddrmaninfo.json"));
        return this;
    }

    /** {@code [{},{},...]} of about {@code bytes} bytes: many JSON tokens for few bytes. */
    static String emptyObjects(int bytes) {
        StringBuilder b = new StringBuilder(bytes + 3).append("[{}");
        while (b.length() < bytes) {
            b.append(",{}");
        }
        return b.append(']').toString();
    }

    static String fixture(String name) {
        try (InputStream in = FakeBitcoind.class.getResourceAsStream("/rpc/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bound again on the same port after {@link #stop()}: the node coming back. */
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    /** The node going away: connections are refused until {@link #start()}. */
    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public int port() {
        return port;
    }

    void result(String method, String resultJson) {
        results.put(method, resultJson);
    }

    /** Answers {@code method} with {@code reply}, or normally again when null. */
    void replyTo(String method, Reply reply) {
        if (reply == null) {
            methodReplies.remove(method);
        } else {
            methodReplies.put(method, reply);
        }
    }

    /** Answers every request with {@code reply} (before checking auth), or normally again when null. */
    void replyToAll(Reply reply) {
        everyReply = reply;
    }

    void acceptCredentials(String userColonPassword) {
        acceptedCredentials = userColonPassword;
    }

    List<Request> requests() {
        return requests;
    }

    public List<String> methodsCalled() {
        return requests.stream().map(Request::method).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = BitcoinRpcClient.JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(new Request(request.path("method").asText(), request.get("params"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Reply every = everyReply;
            (every != null ? every : (Reply) this::answer).send(exchange, request);
        } catch (IOException e) {
            // the client gave up first, or a reply hung up on purpose: nothing more to send
        }
    }

    /** Bitcoin Core's way: credentials first, then the method's result or error. */
    private void answer(HttpExchange exchange, JsonNode request) throws IOException {
        String method = request.path("method").asText();
        String expected = "Basic " + Base64.getEncoder().encodeToString(acceptedCredentials.getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            unauthorized().send(exchange, request);
            return;
        }
        Reply reply = methodReplies.get(method);
        if (reply != null) {
            reply.send(exchange, request);
        } else if (results.containsKey(method)) {
            json(200, "{\"result\":" + results.get(method) + ",\"error\":null,\"id\":" + request.get("id") + "}\n")
                    .send(exchange, request);
        } else {
            rpcError(404, -32601, "Method not found").send(exchange, request);
        }
    }

    /** What bitcoind sends for wrong credentials: 401, a challenge, no body. */
    static Reply unauthorized() {
        return (exchange, request) -> {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"jsonrpc\"");
            exchange.sendResponseHeaders(401, -1);
        };
    }

    static Reply status(int status, String contentType, String body) {
        return (exchange, request) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    static Reply json(int status, String body) {
        return status(status, "application/json", body);
    }

    /** A JSON-RPC error as Bitcoin Core sends it to a 1.0 request (HTTP 404 for unknown methods, else 500). */
    static Reply rpcError(int httpStatus, int code, String message) {
        return (exchange, request) -> json(httpStatus, "{\"result\":null,\"error\":{\"code\":" + code + ",\"message\":\""
                + message + "\"},\"id\":" + request.get("id") + "}\n").send(exchange, request);
    }

    /** Waits before answering normally: a node too busy to answer in time. */
    Reply slow(long millis) {
        return (exchange, request) -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            answer(exchange, request);
        };
    }

    /** Promises {@code promised} bytes, sends {@code body} only; closing the exchange short then drops the connection. */
    static Reply cutOff(String body, int promised) {
        return (exchange, request) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, promised);
            exchange.getResponseBody().write(bytes);
            exchange.getResponseBody().flush();
        };
    }
}
