package org.peerobserver.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code promtool check metrics} on a scrape: exit 1 is a format error, exit 3 naming lints only. */
public record Promtool(int exitCode, String output) {

    public static Promtool check(String scrape) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Promtool(p.waitFor(), output);
    }
}
