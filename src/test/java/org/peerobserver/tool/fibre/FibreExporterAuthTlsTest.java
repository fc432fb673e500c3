package org.peerobserver.tool.fibre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Properties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.Commands;

/** Basic auth and TLS on the metrics port, with a certificate openssl makes for the test. */
class FibreExporterAuthTlsTest extends AppTestSupport {
    @TempDir
    static Path dir;

    @BeforeAll
    static void certificate() throws Exception {
        Commands.selfSignedCertificate(dir);
    }

    @Override
    protected Properties settings() {
        return props("tools", "fibre-exporter", "fibre.metrics-port", "0", "fibre.health-port", "0",
                "fibre.auth-username", "prometheus", "fibre.auth-password", "s3cret:with colon",
                "fibre.tls-cert", dir.resolve("cert.pem").toString(), "fibre.tls-key", dir.resolve("key.pem").toString());
    }

    /** A client that trusts only the test certificate, so the scrape really checks the server's TLS. */
    private FibreScraper tlsScraper() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
            trust.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return new FibreScraper(context, HttpClient.newBuilder().sslContext(ssl).build(), "https");
    }

    @Test
    void onlyTheRightCredentialsGetTheMetrics() throws Exception {
        FibreScraper s = tlsScraper();
        HttpResponse<String> none = s.metrics(null, null);
        assertEquals(401, none.statusCode());
        assertEquals("Basic realm=\"FIBRE Metrics\", charset=\"UTF-8\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, s.metrics("prometheus", "s3cret").statusCode());
        assertEquals(401, s.metrics("grafana", "s3cret:with colon").statusCode());
        HttpResponse<String> right = s.metrics("prometheus", "s3cret:with colon");
        assertEquals(200, right.statusCode());
        assertTrue(right.body().contains("fibre_exporter_up 1"), right::body);
    }

    @Test
    void plainHttpIsNotServedOnTheTlsPort() {
        assertThrows(java.io.IOException.class, () -> new FibreScraper(context).metrics(null, null));
    }

    @Test
    void healthNeedsNoCredentials() throws Exception {
        assertEquals(200, new FibreScraper(context).health("/health").statusCode());
        assertEquals(200, new FibreScraper(context).health("/ready").statusCode());
    }
}
