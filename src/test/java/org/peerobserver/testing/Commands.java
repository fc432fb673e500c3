package org.peerobserver.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Helper programs and files of the tests (openssl, keytool, route files). */
public final class Commands {
    private Commands() {
    }

    /** Runs {@code command} in {@code dir}; fails with its output when it exits non-zero. */
    public static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** A self-signed EC certificate for 127.0.0.1 and its unencrypted PKCS#8 key: {@code dir}/cert.pem and key.pem. */
    public static void selfSignedCertificate(Path dir) throws IOException, InterruptedException {
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1");
    }

    /** The bundled route files ({@code extractors/}, {@code tools/}) copied into {@code dir}, as docs/routes.md says to. */
    public static void copyBundledRoutes(Path dir) throws IOException {
        Path source = Path.of("src/main/resources/routes");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
