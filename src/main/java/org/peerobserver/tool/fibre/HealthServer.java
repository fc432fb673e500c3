package org.peerobserver.tool.fibre;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * fibre-monitoring's health port: {@code /health} answers while the exporter runs, {@code /ready}
 * once it also serves metrics; any other path is 404. Plain HTTP without auth, for probes.
 */
final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    HealthServer(InetSocketAddress address, BooleanSupplier ready) throws IOException {
        server = HttpServer.create(address, 4);
        server.createContext("/", x -> {
            try (x) {
                x.getRequestBody().close();
                String path = x.getRequestURI().getPath();
                if (path.equals("/health")) {
                    answer(x, 200, "OK");
                } else if (path.equals("/ready")) {
                    boolean r = ready.getAsBoolean();
                    answer(x, r ? 200 : 503, r ? "OK" : "not ready");
                } else {
                    answer(x, 404, "Not Found");
                }
            }
        });
        server.start();
    }

    private static void answer(HttpExchange x, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
