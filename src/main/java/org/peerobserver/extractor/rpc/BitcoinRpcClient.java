package org.peerobserver.extractor.rpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.peerobserver.support.SafeText;

/**
 * Calls one Bitcoin Core node over JSON-RPC (HTTP POST, basic auth). Every failure comes out as a
 * {@link BitcoinRpcException} with a one-line reason; answers are bounded in size, in time, and in the
 * JSON tokens parsed from them, since the tree of a small answer can take many times its size in heap.
 */
final class BitcoinRpcClient {
    /**
     * Decimals stay exact (BigDecimal, written plain), so a result passed on as JSON text keeps Bitcoin
     * Core's amounts as they were ({@code 0.00001000}, not {@code 1.0E-5}).
     */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private static final int MAX_ERROR_TEXT = 200;
    /** Why a limit refused an answer: the reason label of the refusal counter. */
    static final String TOO_LARGE = "too_large";
    static final String TOO_COMPLEX = "too_complex";
    /** Bitcoin Core's answers nest a few levels; this bounds the parser's stack. */
    private static final int MAX_NESTING = 100;

    private final HttpClient http;
    private final URI uri;
    private final String authority;
    private final Duration timeout;
    private final int maxResponseSize;
    private final int maxTokens;
    private final JsonFactory parsers;
    private final Path cookieFile;
    private final String staticAuthorization;
    private final AtomicLong ids = new AtomicLong();
    private volatile String cookieAuthorization;

    BitcoinRpcClient(BitcoinRpcConfiguration configuration) {
        this.authority = configuration.authority();
        this.uri = URI.create("http://" + authority + "/");
        this.timeout = configuration.getTimeout();
        this.maxResponseSize = configuration.getMaxResponseSize();
        this.maxTokens = configuration.getMaxJsonTokens();
        // a tree node takes up to about 100 bytes of heap whatever its bytes in the answer (`{}` is two
        // tokens), so the token count bounds the tree, as the byte size bounds the strings
        this.parsers = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxTokenCount(maxTokens).maxNestingDepth(MAX_NESTING).build()).build();
        if (configuration.usesCookie()) {
            this.cookieFile = configuration.cookiePath();
            this.staticAuthorization = null;
        } else {
            this.cookieFile = null;
            String password = configuration.getPassword() == null ? "" : configuration.getPassword();
            this.staticAuthorization = basic(configuration.getUser() + ":" + password);
        }
        // HTTP/1.1 only: bitcoind's server speaks nothing else, so no h2c upgrade headers are sent
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** {@code host:port (cookie <file>)} or {@code host:port (user and password)}: for logs, without secrets. */
    String describe() {
        return authority + (cookieFile != null ? " (cookie " + cookieFile + ")" : " (user and password)");
    }

    /** Calls {@code method}; {@code params} is a JSON array (positional) or object (named). Returns the result. */
    JsonNode call(String method, JsonNode params) throws BitcoinRpcException {
        byte[] request = request(method, params);
        String authorization = authorization();
        HttpResponse<InputStream> response = send(method, request, authorization);
        if (response.statusCode() == 401 && cookieFile != null) {
            // bitcoind writes a new cookie each time it starts: a refused cookie may just be an old one
            cookieAuthorization = null;
            String renewed = authorization();
            if (!renewed.equals(authorization)) {
                response = send(method, request, renewed);
            }
        }
        return result(method, response);
    }

    private byte[] request(String method, JsonNode params) {
        ObjectNode body = JSON.createObjectNode();
        body.put("jsonrpc", "1.0");
        body.put("id", ids.incrementAndGet());
        body.put("method", method);
        body.set("params", params == null ? JSON.createArrayNode() : params);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON-RPC request", e);
        }
    }

    private String authorization() throws BitcoinRpcException {
        if (staticAuthorization != null) {
            return staticAuthorization;
        }
        String cached = cookieAuthorization;
        if (cached != null) {
            return cached;
        }
        String cookie;
        try {
            cookie = Files.readString(cookieFile, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            throw new BitcoinRpcException("no cookie file " + cookieFile + " (bitcoind not running, or another"
                    + " BITCOIN_DATADIR/BITCOIN_NETWORK/RPC_COOKIE_FILE; or set RPC_USER and RPC_PASSWORD)", true);
        } catch (IOException e) {
            throw new BitcoinRpcException("cannot read the cookie file " + cookieFile + ": " + e, true);
        }
        if (cookie.indexOf(':') < 0) {
            throw new BitcoinRpcException("the cookie file " + cookieFile + " does not hold user:password", true);
        }
        cookieAuthorization = basic(cookie);
        return cookieAuthorization;
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<InputStream> send(String method, byte[] body, String authorization) throws BitcoinRpcException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<InputStream>> pending = http.sendAsync(request, info -> new LimitedBody(maxResponseSize));
        try {
            // the request timeout covers waiting for the headers only; this also bounds a body that trickles in
            return pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw noAnswer();
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new BitcoinRpcException("interrupted while waiting for " + authority, true);
        } catch (ExecutionException e) {
            throw transportFailure(method, e.getCause());
        }
    }

    private BitcoinRpcException noAnswer() {
        return new BitcoinRpcException("no answer from " + authority + " within " + timeout.toSeconds() + " s", true);
    }

    private BitcoinRpcException transportFailure(String method, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ResponseTooLarge) {
                return new BitcoinRpcException(method + ": answer larger than " + maxResponseSize
                        + " bytes, refused (raise RPC_MAX_RESPONSE_SIZE if it is expected)", false, TOO_LARGE);
            }
        }
        if (failure instanceof HttpConnectTimeoutException) {
            return new BitcoinRpcException("cannot connect to " + authority + " within " + timeout.toSeconds() + " s", true);
        }
        if (failure instanceof HttpTimeoutException) {
            return noAnswer();
        }
        if (failure instanceof ConnectException) {
            // the JDK client often leaves the message empty when the port is closed
            return new BitcoinRpcException("cannot connect to " + authority + ": "
                    + (failure.getMessage() == null ? "connection refused" : failure.getMessage()), true);
        }
        String what = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new BitcoinRpcException("connection to " + authority + " failed: " + what, true);
    }

    private JsonNode result(String method, HttpResponse<InputStream> response) throws BitcoinRpcException {
        int status = response.statusCode();
        if (status == 401) {
            throw new BitcoinRpcException("HTTP 401 from " + authority + ": "
                    + (cookieFile != null ? "the cookie in " + cookieFile + " was refused" : "user or password refused"), true);
        }
        if (status == 403) {
            throw new BitcoinRpcException("HTTP 403 from " + authority + ": RPC from this address is not allowed (rpcallowip)", true);
        }
        JsonNode answer;
        try (JsonParser parser = parsers.createParser(response.body())) {
            answer = JSON.readTree(parser);
        } catch (StreamConstraintsException e) {
            throw e.getOriginalMessage().startsWith("Token count")
                    ? new BitcoinRpcException(method + ": answer has more than " + maxTokens + " JSON values, keys and"
                            + " brackets, refused (raise RPC_MAX_JSON_TOKENS if it is expected)", false, TOO_COMPLEX)
                    : new BitcoinRpcException(method + ": answer refused: " + shorten(jsonProblem(e)), false, TOO_COMPLEX);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException ? jsonProblem((JsonProcessingException) e) : e.getMessage();
            // Bitcoin Core sends JSON-RPC errors with HTTP 404/500; anything else without JSON is not from the RPC server
            throw status == 200
                    ? new BitcoinRpcException(method + ": answer is not valid JSON (" + shorten(why) + ")", false)
                    : new BitcoinRpcException("HTTP " + status + " from " + authority + " without a JSON-RPC answer", true);
        }
        if (answer == null || !answer.isObject()) {
            throw status == 200
                    ? new BitcoinRpcException(method + ": answer is not a JSON-RPC response object", false)
                    : new BitcoinRpcException("HTTP " + status + " from " + authority + " without a JSON-RPC answer", true);
        }
        JsonNode error = answer.get("error");
        if (error != null && !error.isNull()) {
            throw new BitcoinRpcException(method + ": RPC error " + error.path("code").asText("?") + ": "
                    + shorten(error.path("message").asText(error.toString())), false);
        }
        if (status != 200) {
            throw new BitcoinRpcException("HTTP " + status + " from " + authority + " without a JSON-RPC error", true);
        }
        if (!answer.has("result")) {
            throw new BitcoinRpcException(method + ": answer has neither result nor error", false);
        }
        return answer.get("result");
    }

    /** Jackson's complaint without its source excerpt, plus where in the body it stopped. */
    private static String jsonProblem(JsonProcessingException e) {
        String problem = e.getOriginalMessage();
        int excerpt = problem.indexOf(" (start marker at");
        if (excerpt > 0) {
            problem = problem.substring(0, excerpt);
        }
        return e.getLocation() == null || e.getLocation().getByteOffset() < 0
                ? problem : problem + ", at byte " + e.getLocation().getByteOffset();
    }

    /** Text from the node (an error message), fit for one log line. */
    private static String shorten(String text) {
        return SafeText.of(text == null ? "" : text.trim(), MAX_ERROR_TEXT);
    }

    /**
     * Collects the body as the chunks it arrives in (no copy into one array), giving up (and dropping the
     * connection) as soon as it exceeds the limit.
     */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<InputStream> {
        private final int limit;
        private final List<byte[]> chunks = new ArrayList<>();
        private long size;
        private final CompletableFuture<InputStream> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<InputStream> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                size += item.remaining();
                if (size > limit) {
                    subscription.cancel();
                    chunks.clear();
                    body.completeExceptionally(new ResponseTooLarge());
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                chunks.add(chunk);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            List<InputStream> streams = chunks.stream().map(c -> (InputStream) new ByteArrayInputStream(c)).toList();
            body.complete(new SequenceInputStream(Collections.enumeration(streams)));
        }
    }

    private static final class ResponseTooLarge extends IOException {
        ResponseTooLarge() {
            super("response too large", null);
        }
    }
}
