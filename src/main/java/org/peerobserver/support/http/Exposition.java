package org.peerobserver.support.http;

import java.util.function.Supplier;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.peerobserver.support.RateLimitedLog;
import org.slf4j.LoggerFactory;

/**
 * A Prometheus endpoint: as upstream's, every path answers with the exposition, so {@code /metrics} and
 * {@code /} both work; GET and HEAD only; optionally behind basic auth.
 */
public final class Exposition {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final RateLimitedLog FAILURES = new RateLimitedLog(LoggerFactory.getLogger(Exposition.class));

    private Exposition() {
    }

    /** {@code auth} null: open. The text is made on a worker thread: it waits for the tool's lock, which an event loop must not. */
    public static Handler<HttpServerRequest> handler(Supplier<String> exposition, BasicAuth auth) {
        return request -> {
            HttpServerResponse response = request.response();
            if (auth != null && !auth.accepts(request.getHeader(HttpHeaders.AUTHORIZATION))) {
                response.setStatusCode(401).putHeader("WWW-Authenticate", auth.challenge()).end();
                return;
            }
            HttpMethod method = request.method();
            if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
                response.setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
                return;
            }
            response.putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE);
            if (method == HttpMethod.HEAD) {
                response.end();
                return;
            }
            Vertx.currentContext().executeBlocking(exposition::get, false).onComplete(text -> {
                if (response.closed()) {
                    return;
                }
                if (text.succeeded()) {
                    response.end(text.result());
                } else {
                    FAILURES.warn("Cannot make the metrics exposition: " + text.cause());
                    response.setStatusCode(500).end();
                }
            });
        };
    }
}
