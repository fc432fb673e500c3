package org.peerobserver.tool.websocket;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHost;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHostConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHostKey;
import org.apache.camel.spi.annotations.Component;
import org.peerobserver.bitcoin.IpLists;
import org.peerobserver.support.HostPort;
import org.peerobserver.support.RateLimitedLog;
import org.peerobserver.support.SafeText;
import org.peerobserver.support.http.HttpPort;
import org.peerobserver.support.http.SharedVertx;
import org.slf4j.LoggerFactory;

/**
 * camel-vertx-websocket on the process's shared Vert.x, with a router of its own, served by one of our
 * {@link HttpPort}s (header and idle timeouts, a connection cap). Left alone, the component takes the
 * single {@code Router} in the registry, which is the management server's, so the feed would also answer
 * on port 9876 and the metrics on the feed's port; nor is the Vert.x instance put in the registry, as the
 * management server would take a lone {@code Vertx} bean in the same way. The router also serves the
 * pages ({@code web/} on the classpath) and refuses requests from browser origins that are not allowed.
 */
// the name finds the generated option configurers of vertx-websocket; without them endpoint options are ignored
@Component("vertx-websocket")
@ManagedResource(description = "The websocket tool's server: feed and pages")
public class WebsocketComponent extends VertxWebsocketComponent {
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "::1", "localhost");
    private static final Set<String> ANY_ADDRESS = Set.of("0.0.0.0", "::", "");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Set<String> allowedOrigins = Set.of();
    private Set<String> allowedHosts = Set.of();
    private String listenHost = "";
    /** Set on start, read by the event loops. */
    private volatile Set<String> pageHosts = Set.of();
    private volatile String policy = "";
    private final LongAdder refusedOrigins = new LongAdder();
    private final RateLimitedLog refusedLog = new RateLimitedLog(LoggerFactory.getLogger(WebsocketComponent.class));
    private Vertx vertx;
    private MeterRegistry registry;
    private final List<Meter> refusedMeters = new ArrayList<>();
    private WebsocketFeed feed;
    /** Hosts one request to /address-flags.json may ask about; the address relay page asks for its new peers. */
    static final int MAX_FLAG_HOSTS = 100;
    private static final int MAX_HOST_LENGTH = 100;
    private String ipListsDirectory = "";
    private IpLists ipLists = IpLists.none();
    /** What the pages link to besides each other, as /links.json serves it. */
    private String linksJson = "{\"grafana\":null}";

    /** Comma-separated origins ({@code https://host:port}) whose pages may connect; empty: see {@link #setAllowedHosts}. */
    public void setAllowedOrigins(String origins) {
        allowedOrigins = list(origins).stream().map(WebsocketComponent::normalOrigin).collect(Collectors.toUnmodifiableSet());
    }

    /** With no allowed origins: host names whose pages (any scheme and port) may connect, besides loopback ones. */
    public void setAllowedHosts(String hosts) {
        allowedHosts = list(hosts).stream().map(WebsocketComponent::normalHost).collect(Collectors.toUnmodifiableSet());
    }

    /** WEBSOCKET_ADDRESS: its host, unless a wildcard, is one whose pages may connect when no origins are listed. */
    public void setAddress(String address) {
        listenHost = normalHost(HostPort.parse(address, "WEBSOCKET_ADDRESS").getHostString());
    }

    /** WEBSOCKET_GRAFANA_URL: the pages link to it when set; http or https only, as it becomes a link. */
    public void setGrafanaUrl(String url) {
        String trimmed = url.trim();
        if (!trimmed.isEmpty()) {
            try {
                URI uri = new URI(trimmed);
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(trimmed, "not an http or https URL");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("WEBSOCKET_GRAFANA_URL: '" + SafeText.of(trimmed, 80) + "' is not an http or https URL");
            }
        }
        ObjectNode links = JSON.createObjectNode();
        links.put("grafana", trimmed.isEmpty() ? null : trimmed);
        linksJson = links.toString();
    }

    /** The directory of the IP lists the metrics tool reads (METRICS_IP_LISTS), for the address relay page's flags. */
    public void setIpListsDirectory(String directory) {
        ipListsDirectory = directory;
    }

    /** The feed whose refused clients are counted beside the refused origins. */
    public void setFeed(WebsocketFeed feed) {
        this.feed = feed;
    }

    @ManagedAttribute(description = "Requests refused for coming from a browser origin that is not allowed")
    public long getRefusedOrigins() {
        return refusedOrigins.sum();
    }

    @Override
    protected void doStart() throws Exception {
        Set<String> hosts = new TreeSet<>(LOOPBACK);
        hosts.addAll(allowedHosts);
        if (!ANY_ADDRESS.contains(listenHost)) {
            hosts.add(listenHost);
        }
        pageHosts = Set.copyOf(hosts);
        policy = allowedOrigins.isEmpty() ? "pages from " + String.join(", ", hosts)
                : "browser origins " + String.join(", ", new TreeSet<>(allowedOrigins));
        ipLists = IpLists.load(ipListsDirectory);
        vertx = SharedVertx.acquire();
        setVertx(vertx);
        Router router = Router.router(vertx);
        router.route().handler(this::checkOrigin);
        // what the pages link to besides each other
        router.get("/links.json").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(linksJson));
        router.get("/address-flags.json").handler(this::addressFlags);
        // plain requests get the pages (or 404); a websocket upgrade on any path, as upstream's tool accepts
        // one, goes on to the route the consumer adds later
        StaticHandler pages = StaticHandler.create("web");
        router.route().handler(ctx -> {
            if (isUpgrade(ctx)) {
                ctx.next();
            } else {
                pages.handle(ctx);
            }
        });
        router.route().handler(ctx -> {
            if (isUpgrade(ctx)) {
                ctx.next();
            } else {
                ctx.fail(404);
            }
        });
        setRouter(router);
        super.doStart();
        registry = getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (registry != null) {
            countRefused("origin", refusedOrigins);
            if (feed != null) {
                countRefused("bad_filter", feed.refusedFilters());
                countRefused("too_many_clients", feed.refusedFull());
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        refusedMeters.forEach(registry::remove);
        refusedMeters.clear();
        if (vertx != null) {
            vertx = null;
            SharedVertx.release();
        }
    }

    private void countRefused(String reason, LongAdder count) {
        refusedMeters.add(FunctionCounter.builder("peerobserver_websocket_refused", count, LongAdder::doubleValue)
                .description("websocket tool: requests and clients refused, by reason").tag("reason", reason).register(registry));
    }

    @Override
    protected VertxWebsocketEndpoint createEndpointInstance(String uri, VertxWebsocketConfiguration configuration) {
        VertxWebsocketEndpoint endpoint = super.createEndpointInstance(uri, configuration);
        endpoint.setExceptionHandler(new ClientErrors(getCamelContext()));
        return endpoint;
    }

    @Override
    protected VertxWebsocketHost createVertxWebsocketHost(VertxWebsocketHostConfiguration configuration, VertxWebsocketHostKey key) {
        return new FeedHost(getCamelContext(), configuration, key, policy);
    }

    /**
     * {@code ?hosts=a,b,...}: the lists each host is on, as {@code {"host": ["linkinglion", ...]}}, hosts on none
     * left out; so the lists (up to a million entries each) stay here and a page asks only for the peers it shows.
     */
    private void addressFlags(RoutingContext ctx) {
        Set<String> hosts = list(String.join(",", ctx.queryParam("hosts")));
        if (hosts.size() > MAX_FLAG_HOSTS || hosts.stream().anyMatch(h -> h.length() > MAX_HOST_LENGTH)) {
            ctx.response().setStatusCode(400).end("at most " + MAX_FLAG_HOSTS + " hosts of at most " + MAX_HOST_LENGTH + " characters");
            return;
        }
        ObjectNode flags = JSON.createObjectNode();
        for (String host : hosts) {
            List<String> on = ipLists.flags(host);
            if (!on.isEmpty()) {
                on.forEach(flags.putArray(host)::add);
            }
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(flags.toString());
    }

    private static boolean isUpgrade(RoutingContext ctx) {
        String upgrade = ctx.request().getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    private void checkOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        // programs send no Origin; browsers always do on a websocket handshake
        if (origin == null || allowed(origin)) {
            ctx.next();
            return;
        }
        refusedOrigins.increment();
        refusedLog.warn("Refused a request from origin " + SafeText.of(origin) + " (not allowed: " + policy
                + "; WEBSOCKET_ALLOWED_ORIGINS, WEBSOCKET_ALLOWED_HOSTS)");
        ctx.response().setStatusCode(403).end("origin not allowed\n");
    }

    /**
     * A listed origin when there is a list, and only then; with none, a page of a loopback host or of a host
     * the operator named. The Host header is never trusted: under DNS rebinding a stranger's page sends
     * its own name as both Host and Origin.
     */
    boolean allowed(String origin) {
        String normal = normalOrigin(origin);
        if (!allowedOrigins.isEmpty()) {
            return allowedOrigins.contains(normal);
        }
        try {
            String host = new URI(normal).getHost();
            return host != null && pageHosts.contains(normalHost(host));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Set<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Browsers send origins in lower case and without a trailing slash; operators may write either. */
    private static String normalOrigin(String origin) {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static String normalHost(String host) {
        return host.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
    }
}
