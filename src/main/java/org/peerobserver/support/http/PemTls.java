package org.peerobserver.support.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * A server's TLS identity from PEM files, as web servers and openssl write them: a certificate chain
 * and its key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted). Vert.x reads them; this checks them at
 * start, so a wrong file stops the start with one line rather than failing each handshake later.
 */
public final class PemTls {
    private PemTls() {
    }

    /** Fails with a one-line reason naming the files when they cannot be used; never with the key's text. */
    public static KeyCertOptions keyCert(Path certFile, Path keyFile) {
        PemKeyCertOptions options = new PemKeyCertOptions().addCertValue(read(certFile, "certificate"))
                .addKeyValue(read(keyFile, "key"));
        try {
            // with the PEM text given as values, Vert.x needs no instance to load them
            options.getKeyManagerFactory(null);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot use TLS certificate " + certFile + " with key " + keyFile + ": "
                    + e.getMessage(), e);
        }
        return options;
    }

    private static Buffer read(Path file, String what) {
        try {
            return Buffer.buffer(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TLS " + what + " file " + file + ": " + e, e);
        }
    }
}
