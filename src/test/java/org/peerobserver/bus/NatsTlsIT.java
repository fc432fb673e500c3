package org.peerobserver.bus;

import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.testing.Commands;
import org.peerobserver.testing.NatsServer;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS to a real nats-server with certificates made for the test: our CA in a truststore connects, the JVM's CAs do not. */
class NatsTlsIT {
    @TempDir
    static Path dir;
    static NatsServer nats;

    private static void run(String... command) throws IOException, InterruptedException {
        Commands.run(dir, command);
    }

    @BeforeAll
    static void start() throws Exception {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=peer-observer test CA");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "san.ext");
        run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12",
                "-storetype", "PKCS12", "-storepass", "changeit");
        nats = new NatsServer("--tls", "--tlscert", dir.resolve("server.pem").toString(),
                "--tlskey", dir.resolve("server.key").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        nats.close();
    }

    private static String reasonWith(String truststore) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            BusComponent bus = new BusComponent();
            bus.setCamelContext(context);
            bus.getConfiguration().setType("nats");
            bus.getConfiguration().setServers("tls://127.0.0.1:" + nats.port());
            bus.getConfiguration().setTls(true);
            if (truststore != null) {
                bus.getConfiguration().setTruststore(truststore);
                bus.getConfiguration().setTruststorePassword("changeit");
            }
            bus.getConfiguration().setStartupWait(Duration.ofSeconds(5));
            bus.start();
            try {
                return bus.bus().unavailableReason();
            } finally {
                bus.stop();
            }
        }
    }

    @Test
    void ourCaConnectsAndTheJvmDefaultsRefuse() throws Exception {
        assertNull(reasonWith(dir.resolve("trust.p12").toString()), "connected");
        String refused = reasonWith(null);
        assertTrue(refused != null && refused.startsWith("not connected to NATS yet"), refused);
        assertTrue(refused.endsWith("unable to find valid certification path to requested target"), "the cause is named: " + refused);
    }
}
