package org.peerobserver.tool.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The Prometheus endpoint: like upstream, every path answers with the exposition, so {@code /metrics}
 * and {@code /} both work. Its own small server, apart from the management port, so the tool's port
 * carries only these metrics. Optionally behind basic auth and over TLS (the FIBRE exporter's).
 */
public final class MetricsServer implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    static {
        // the JDK server writes headers and body apart; with Nagle on, a keep-alive client's delayed ACK
        // holds every answer back about 40 ms. Read once, when the first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    /** {@code auth} and {@code tls} may be null (open, plain HTTP). */
    public MetricsServer(InetSocketAddress address, Supplier<String> exposition, BasicAuth auth, SSLContext tls,
            String threadName) throws IOException {
        server = create(address, tls);
        // two threads: one slow client cannot hold up Prometheus, and scrapes stay bounded
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", x -> answer(x, exposition, auth));
        server.start();
    }

    private static HttpServer create(InetSocketAddress address, SSLContext tls) throws IOException {
        if (tls == null) {
            return HttpServer.create(address, 16);
        }
        HttpsServer https = HttpsServer.create(address, 16);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        return https;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange x, Supplier<String> exposition, BasicAuth auth) throws IOException {
        try (x) {
            x.getRequestBody().close();
            if (auth != null && !auth.accepts(x.getRequestHeaders().getFirst("Authorization"))) {
                x.getResponseHeaders().set("WWW-Authenticate", auth.challenge());
                x.sendResponseHeaders(401, -1);
                return;
            }
            String method = x.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                x.getResponseHeaders().set("Allow", "GET, HEAD");
                x.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exposition.get().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if (method.equals("HEAD")) {
                x.sendResponseHeaders(200, -1);
                return;
            }
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Parses upstream's {@code host:port} form ({@code [::1]:8282} for IPv6). */
    public static InetSocketAddress parse(String address) {
        return parse(address, "METRICS_ADDRESS");
    }

    /** The same, naming {@code setting} when the address is wrong. */
    public static InetSocketAddress parse(String address, String setting) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? "" : address.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (colon < 0 || host.isEmpty() || port < 0 || port > 65535) {
            throw new IllegalArgumentException(setting + " must be host:port, e.g. 127.0.0.1:8282 or [::1]:8282, not '"
                    + address + "'");
        }
        return new InetSocketAddress(host, port);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
