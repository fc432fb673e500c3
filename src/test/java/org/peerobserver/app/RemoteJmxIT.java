package org.peerobserver.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.NatsServer;

/**
 * Remote JMX as the launcher opens it (JMX_PORT): the management port's attacks over RMI. Without the
 * password nothing answers; with it, attributes read and every operation is refused.
 */
class RemoteJmxIT {
    private static final String PASSWORD = "jmx-Secret-1618";

    @TempDir
    Path home;

    @Test
    void remoteJmxNeedsThePasswordAndOnlyReads() throws Exception {
        int port = NatsServer.freePort();
        Path dump = home.resolve("dump.hprof");
        try (AppProcess app = AppProcess.launcher(Map.of("HOME", home.toString(), "JMX_PORT", Integer.toString(port),
                "JMX_PASSWORD", PASSWORD, "EXTRACTOR_TYPE", "replay", "REPLAY_LOOP", "true", "TOOLS", "none"))) {
            app.awaitStarted(Duration.ofSeconds(60));
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");

            assertThrows(SecurityException.class, () -> JMXConnectorFactory.connect(url).close());
            assertThrows(SecurityException.class, () -> JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"monitor", "wrong"})).close());

            try (JMXConnector jmx = JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"monitor", PASSWORD}))) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                ObjectName route = new ObjectName("org.apache.camel:context=peer-observer,type=routes,name=\"extractor-replay\"");
                assertTrue((Long) server.getAttribute(route, "ExchangesTotal") >= 0);
                assertEquals("Started", server.getAttribute(route, "State"));
                // what docs/events.md tells a JConsole user to read: the route's events, not its batches
                ObjectName events = new ObjectName("org.apache.camel:context=peer-observer,type=events,name=\"extractor-replay\"");
                // registered with the route's first events, which a busy machine may not have sent yet
                await().atMost(30, TimeUnit.SECONDS).ignoreException(InstanceNotFoundException.class)
                        .until(() -> (Long) server.getAttribute(events, "EventsOut") > 0);
                assertEquals(0L, server.getAttribute(events, "EventsDropped"));

                assertThrows(SecurityException.class, () -> server.invoke(route, "stop", null, null));
                assertThrows(SecurityException.class, () -> server.invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                        "dumpHeap", new Object[] {dump.toString(), true}, new String[] {String.class.getName(), "boolean"}));
                assertThrows(SecurityException.class, () -> server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "jvmtiAgentLoad", new Object[] {new String[] {"/nonexistent/agent.so"}},
                        new String[] {String[].class.getName()}));
                assertEquals("Started", server.getAttribute(route, "State"));
            }
            assertFalse(Files.exists(dump));
            Path passwordFile = home.resolve(".peer-observer/jmx/password");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(passwordFile));
        }
    }

    @Test
    void aJmxPortWithoutAPasswordDoesNotStart() throws Exception {
        try (AppProcess app = AppProcess.launcher(Map.of("HOME", home.toString(),
                "JMX_PORT", Integer.toString(NatsServer.freePort()), "EXTRACTOR_TYPE", "replay", "TOOLS", "none"))) {
            assertEquals(2, app.waitFor(Duration.ofSeconds(30)));
            assertEquals(1, app.lines().size(), String.join("\n", app.lines()));
            assertTrue(app.lines().get(0).contains("JMX_PORT needs JMX_PASSWORD"), app.lines().get(0));
        }
    }
}
