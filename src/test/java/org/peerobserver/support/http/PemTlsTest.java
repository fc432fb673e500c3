package org.peerobserver.support.http;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.testing.Commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key and certificate files as openssl writes them, and the one-line refusals of files that cannot work. */
class PemTlsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws Exception {
        Commands.run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ec.key", "-out", "ec.pem", "-days", "2", "-subj", "/CN=localhost");
        Commands.run(dir, "openssl", "genrsa", "-traditional", "-out", "rsa.key", "2048");
        Commands.run(dir, "openssl", "req", "-x509", "-key", "rsa.key", "-out", "rsa.pem", "-days", "2", "-subj", "/CN=localhost");
    }

    @Test
    void pkcs8AndTraditionalRsaKeysWork() throws Exception {
        assertTrue(Files.readString(dir.resolve("ec.key")).contains("BEGIN PRIVATE KEY"));
        assertTrue(Files.readString(dir.resolve("rsa.key")).contains("BEGIN RSA PRIVATE KEY"));
        assertNotNull(PemTls.keyCert(dir.resolve("ec.pem"), dir.resolve("ec.key")));
        assertNotNull(PemTls.keyCert(dir.resolve("rsa.pem"), dir.resolve("rsa.key")));
    }

    @Test
    void unusableFilesAreNamedInOneLineWithoutTheKey() throws Exception {
        String key = Files.readString(dir.resolve("ec.key"));
        String swapped = assertThrows(IllegalArgumentException.class,
                () -> PemTls.keyCert(dir.resolve("ec.key"), dir.resolve("ec.pem"))).getMessage();
        assertTrue(swapped.startsWith("cannot use TLS certificate " + dir.resolve("ec.key") + " with key " + dir.resolve("ec.pem")), swapped);
        assertFalse(swapped.contains("\n"), swapped);
        assertFalse(swapped.contains(key.lines().skip(1).findFirst().orElseThrow()), "the key's text is a secret");
        String missing = assertThrows(IllegalArgumentException.class,
                () -> PemTls.keyCert(dir.resolve("ec.pem"), dir.resolve("nothing.key"))).getMessage();
        assertEquals("cannot read the TLS key file " + dir.resolve("nothing.key") + ": java.nio.file.NoSuchFileException: "
                + dir.resolve("nothing.key"), missing);
    }
}
