package org.peerobserver.tool.websocket;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.spi.annotations.Component;
import org.peerobserver.support.RateLimitedLog;
import org.slf4j.LoggerFactory;

/**
 * camel-vertx-websocket on a Vert.x instance and router of its own. Left alone, the component takes the
 * single {@code Router} in the registry, which is the management server's, so the feed would also answer on
 * port 9876 and the metrics on the feed's port. Neither object is put in the registry: the management
 * server would take a lone {@code Vertx} bean in the same way. The router also serves the pages
 * ({@code web/} on the classpath) and refuses requests from browser origins that are not allowed.
 */
// the name finds the generated option configurers of vertx-websocket; without them endpoint options are ignored
@Component("vertx-websocket")
@ManagedResource(description = "The websocket tool's server: feed and pages")
public class WebsocketComponent extends VertxWebsocketComponent {
    private static final RateLimitedLog REFUSED_LOG = new RateLimitedLog(LoggerFactory.getLogger(WebsocketComponent.class));

    private Set<String> allowedOrigins = Set.of();
    private final LongAdder refusedOrigins = new LongAdder();
    private Vertx ownVertx;

    /** Comma-separated origins ({@code https://host:port}) whose pages may connect; empty: any. */
    public void setAllowedOrigins(String origins) {
        allowedOrigins = Arrays.stream(origins.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    @ManagedAttribute(description = "Requests refused for coming from an origin not in WEBSOCKET_ALLOWED_ORIGINS")
    public long getRefusedOrigins() {
        return refusedOrigins.sum();
    }

    @Override
    protected void doStart() throws Exception {
        ownVertx = Vertx.vertx();
        Router router = Router.router(ownVertx);
        router.route().handler(this::checkOrigin);
        // a path with no file falls through to the websocket route the consumer adds later
        router.route().handler(StaticHandler.create("web"));
        setVertx(ownVertx);
        setRouter(router);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (ownVertx != null) {
            // otherwise its threads keep the JVM alive after shutdown
            ownVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            ownVertx = null;
        }
    }

    private void checkOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowedOrigins.isEmpty() || allowedOrigins.contains(origin) || isSameOrigin(origin, ctx)) {
            ctx.next();
            return;
        }
        refusedOrigins.increment();
        REFUSED_LOG.warn("Refused a request from origin " + (origin.length() > 200 ? origin.substring(0, 200) : origin)
                + " (not in WEBSOCKET_ALLOWED_ORIGINS)");
        ctx.response().setStatusCode(403).end("origin not allowed\n");
    }

    /** The tool's own pages always may: their origin is the address the browser used to reach us. */
    private static boolean isSameOrigin(String origin, RoutingContext ctx) {
        String host = ctx.request().getHeader(HttpHeaders.HOST);
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }
}
