package org.peerobserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.peerobserver.support.RateLimitedLog;
import org.slf4j.LoggerFactory;

/**
 * The management port (Camel's: health, metrics, Jolokia): who may do what on it, and an honest start.
 * <p>
 * Jolokia is read-only unless the operator asks for full control and sets credentials: the policy
 * file is chosen here (jolokia-access.xml or jolokia-full-control.xml, both on the class path), and
 * with credentials Camel's basic auth guards {@value #JOLOKIA}. Health and metrics stay open: they
 * change nothing, and Prometheus and the container health check read them.
 */
final class ManagementServer {
    static final String JOLOKIA = "/observe/jolokia";
    private static final String JOLOKIA_POLICY = "jolokia.policyLocation";

    private final String host;
    private final int port;
    private final boolean fullControl;
    private final String username;
    private final String password;
    private final long maxBodySize;

    private ManagementServer(String host, int port, boolean fullControl, String username, String password, long maxBodySize) {
        this.host = host;
        this.port = port;
        this.fullControl = fullControl;
        this.username = username;
        this.password = password;
        this.maxBodySize = maxBodySize;
    }

    /** From checked settings; refuses credentials it cannot use and full control without them. */
    static ManagementServer of(Settings settings) throws Settings.BadSettingException {
        String username = settings.value("MANAGEMENT_AUTH_USERNAME");
        String password = settings.value("MANAGEMENT_AUTH_PASSWORD");
        boolean fullControl = Boolean.parseBoolean(settings.value("MANAGEMENT_FULL_CONTROL"));
        if (username.isEmpty() != password.isEmpty()) {
            throw new Settings.BadSettingException((username.isEmpty() ? "MANAGEMENT_AUTH_USERNAME" : "MANAGEMENT_AUTH_PASSWORD")
                    + " is empty, but basic auth on the management port needs both MANAGEMENT_AUTH_USERNAME and MANAGEMENT_AUTH_PASSWORD");
        }
        if (fullControl && username.isEmpty()) {
            throw new Settings.BadSettingException("MANAGEMENT_FULL_CONTROL is 'true', but full control (Jolokia exec and write) needs"
                    + " MANAGEMENT_AUTH_USERNAME and MANAGEMENT_AUTH_PASSWORD: nobody gets it without a password");
        }
        // Vert.x's password file: "user.<name> = <password>", split at '=' and ',' and trimmed
        if (!username.isEmpty() && !username.matches("[^\\s=,#\\p{Cntrl}]+")) {
            throw new Settings.BadSettingException("MANAGEMENT_AUTH_USERNAME cannot hold spaces, '=', ',', '#' or control characters");
        }
        if (!password.isEmpty() && (password.contains(",") || !password.equals(password.strip()) || password.matches(".*\\p{Cntrl}.*"))) {
            throw new Settings.BadSettingException("MANAGEMENT_AUTH_PASSWORD cannot hold ',' or control characters, nor start or end with a space");
        }
        return new ManagementServer(settings.value("MANAGEMENT_HOST"), Integer.parseInt(settings.value("MANAGEMENT_PORT")), fullControl,
                username, password, Long.parseLong(settings.value("MANAGEMENT_MAX_BODY_SIZE")));
    }

    /** Refuses a port another process holds, before anything starts (Vert.x would log it and run on without the server). */
    void checkPortFree() throws Settings.BadSettingException {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new Settings.BadSettingException(cannotListen() + " (" + e.getMessage() + ")");
        }
    }

    private String cannotListen() {
        return "MANAGEMENT_PORT " + port + " on MANAGEMENT_HOST " + host + " cannot be listened on: another process may hold it;"
                + " give each process on a host its own port";
    }

    /**
     * Selects the Jolokia policy (a system property Jolokia reads when Camel creates it) and returns the Camel
     * properties for basic auth; the password goes into a file only this user can read, deleted at exit.
     */
    Map<String, String> configure() throws IOException {
        System.setProperty(JOLOKIA_POLICY, fullControl ? "classpath:/jolokia-full-control.xml" : "classpath:/jolokia-access.xml");
        Map<String, String> properties = new LinkedHashMap<>();
        if (!username.isEmpty()) {
            Path file = Files.createTempFile("peer-observer-management", ".properties",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            Files.writeString(file, "user." + username + " = " + password + "\n", StandardCharsets.UTF_8);
            properties.put("camel.management.authentication-enabled", "true");
            properties.put("camel.management.authentication-path", JOLOKIA + "/*");
            properties.put("camel.management.authentication-realm", "peer-observer");
            properties.put("camel.management.basic-properties-file", file.toString());
        }
        return properties;
    }

    /**
     * Once Camel has started its services: stops the start when the server is not listening (another process took
     * the port meanwhile), else bounds what it takes and says where it really listens (Camel's own summary always
     * prints 0.0.0.0).
     */
    void watch(CamelContext context) throws Exception {
        context.addStartupListener((started, alreadyStarted) -> {
            VertxPlatformHttpServer server = started.hasService(VertxPlatformHttpServer.class);
            if (server == null || server.getServer() == null || server.getServer().actualPort() <= 0) {
                throw new IllegalStateException(cannotListen());
            }
            bound(started);
            String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getServer().actualPort();
            LoggerFactory.getLogger(ManagementServer.class).info("Management server on http://{}: /observe/health, /observe/metrics,"
                    + " {} ({})", address, JOLOKIA, fullControl ? "full control, basic auth"
                    : username.isEmpty() ? "read-only" : "read-only, basic auth");
        });
    }

    /**
     * Jolokia's request bodies are cut at MANAGEMENT_MAX_BODY_SIZE (Camel's route takes Vert.x's 10 MiB, many of which
     * at once fill the heap). What the server refuses before any handler is counted and logged once a minute: Vert.x
     * would log each, so a stranger could fill the log with a header alone.
     */
    private void bound(CamelContext context) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        MeterRegistry meters = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        Map<Integer, Counter> refused = new HashMap<>();
        Map<Integer, RateLimitedLog> logs = new HashMap<>();
        Map.of(400, "bad_request", 413, "body_too_large", 417, "bad_expectation").forEach((status, reason) -> {
            refused.put(status, Counter.builder("peerobserver_management_refused").tag("reason", reason)
                    .description("requests the management port refused before any handler: malformed, or a body over"
                            + " MANAGEMENT_MAX_BODY_SIZE").register(meters));
            logs.put(status, new RateLimitedLog(LoggerFactory.getLogger(ManagementServer.class)));
        });
        router.route().order(-2).failureHandler(failed -> {
            int status = failed.statusCode();
            if (failed.response().headWritten()) {
                return;  // refused already: a form decoder may fail the same request twice
            }
            if (!refused.containsKey(status)) {
                failed.next();
                return;
            }
            refused.get(status).increment();
            logs.get(status).warn("Management port refused " + (status == 413 ? "a body over MANAGEMENT_MAX_BODY_SIZE ("
                    + maxBodySize + " bytes)" : "a malformed request") + " (HTTP " + status + ")");
            failed.response().setStatusCode(status).end();
        });
        router.route(JOLOKIA + "/*").order(-1).handler(BodyHandler.create(false).setBodyLimit(maxBodySize));
    }
}
