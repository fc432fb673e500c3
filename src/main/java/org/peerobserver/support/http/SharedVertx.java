package org.peerobserver.support.http;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one Vert.x instance for its HTTP ports, made by the first user and closed with the
 * last, so its threads do not keep the JVM alive. It is never put in the Camel registry: the
 * management server and vertx-websocket would each take a lone {@code Vertx} bean from there.
 */
public final class SharedVertx {
    private static final Logger LOG = LoggerFactory.getLogger(SharedVertx.class);
    private static Vertx vertx;
    private static int users;

    private SharedVertx() {
    }

    public static synchronized Vertx acquire() {
        if (users++ == 0) {
            vertx = Vertx.vertx();
        }
        return vertx;
    }

    public static synchronized void release() {
        if (users == 0) {
            throw new IllegalStateException("released more often than acquired");
        }
        if (--users == 0) {
            Vertx closing = vertx;
            vertx = null;
            try {
                closing.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // a failed close must not fail the stop that asked for it
                LOG.warn("Vert.x did not close cleanly: {}", e.toString());
            }
        }
    }
}
