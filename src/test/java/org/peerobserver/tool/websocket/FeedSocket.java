package org.peerobserver.tool.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A java.net.http websocket client of the feed that keeps every frame; a stalled one reads nothing until resumed. */
public final class FeedSocket implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final boolean stalled;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private FeedSocket(boolean stalled) {
        this.stalled = stalled;
    }

    public static FeedSocket connect(int port, String query) throws Exception {
        return connect(port, query, false);
    }

    static FeedSocket connect(int port, String query, boolean stalled) throws Exception {
        return connect(port, query, stalled, null);
    }

    /** {@code origin} null: none, as from a program rather than a browser page. */
    static FeedSocket connect(int port, String query, boolean stalled, String origin) throws Exception {
        return at(port, "/events" + query, stalled, origin);
    }

    /** A client of any path, as upstream's pages connect. */
    static FeedSocket at(int port, String pathAndQuery) throws Exception {
        return at(port, pathAndQuery, false, null);
    }

    private static FeedSocket at(int port, String pathAndQuery, boolean stalled, String origin) throws Exception {
        FeedSocket s = new FeedSocket(stalled);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        builder.buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), s).get(10, TimeUnit.SECONDS);
        return s;
    }

    /** Event frames only (missed notices left out). */
    public List<JsonNode> events() {
        return frames.stream().filter(f -> f.has("event")).toList();
    }

    void resume() {
        socket.request(Long.MAX_VALUE);
    }

    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        if (!stalled) {
            webSocket.request(Long.MAX_VALUE);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error " + error);
    }
}
