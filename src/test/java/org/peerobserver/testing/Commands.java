package org.peerobserver.testing;

import java.io.IOException;
import java.nio.file.Path;

/** Runs helper programs of the tests (openssl, keytool). */
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
}
