package org.peerobserver.app;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.DocBlocks;
import org.peerobserver.testing.NatsServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell blocks of the README and the docs pages, run as typed through bin/peer-observer (each on free
 * loopback ports, for a few seconds): each starts, is healthy, serves the tools' ports it names, and prints the
 * lines its page shows after it. Blocks that cannot run here say why ({@code <!-- not run: why -->}, DocsTest).
 */
class ReadmeCommandsIT {
    /** The tools' listening settings, given free ports unless the command sets them. */
    private static final List<String> ADDRESSES = List.of("METRICS_ADDRESS", "WEBSOCKET_ADDRESS", "CONNECTIVITY_METRICS_ADDRESS");
    private static final List<String> PORTS = List.of("FIBRE_METRICS_PORT", "FIBRE_HEALTH_PORT", "P2P_EXTRACTOR_PORT");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\\S*)\\s+");

    @Test
    void everyRunnableBlockRunsAndPrintsWhatItsPageShows() throws Exception {
        // a command two pages show is run once
        Set<String> ran = new LinkedHashSet<>();
        for (Path page : DocBlocks.pages()) {
            for (DocBlocks block : DocBlocks.of(page)) {
                if (block.language().equals("sh") && block.notRun() != null) {
                    System.out.println(block.where() + ": not run: " + block.notRun());
                } else if (block.language().equals("sh")) {
                    for (String command : block.commands()) {
                        if (!command.equals(DocBlocks.BUILD) && ran.add(command)) {
                            run(block, command);
                        }
                    }
                }
            }
        }
        assertTrue(ran.contains("bin/peer-observer"), "the quick start was not among " + ran);
    }

    private static void run(DocBlocks block, String command) throws Exception {
        Matcher launch = DocBlocks.LAUNCH.matcher(command);
        assertTrue(launch.matches(), block.where() + ": " + command);
        Map<String, String> env = new HashMap<>();
        Matcher a = ASSIGNMENT.matcher(launch.group(1));
        while (a.find()) {
            env.put(a.group(1), a.group(2));
        }
        for (String name : ADDRESSES) {
            env.putIfAbsent(name, "127.0.0.1:" + NatsServer.freePort());
        }
        for (String name : PORTS) {
            env.putIfAbsent(name, Integer.toString(NatsServer.freePort()));
        }
        String[] args = launch.group(2) == null ? new String[0] : launch.group(2).strip().split("\\s+");
        String what = block.where() + ": " + command;
        try (AppProcess app = AppProcess.launcher(env, args)) {
            app.awaitStarted(Duration.ofSeconds(60));
            HttpResponse<String> health = app.get("/observe/health");
            assertEquals(200, health.statusCode(), what + ": " + health.body());
            String tools = env.getOrDefault("TOOLS", "logger");
            if (tools.contains("metrics")) {
                HttpResponse<String> metrics = AppProcess.get(port(env.get("METRICS_ADDRESS")), "/metrics");
                assertEquals(200, metrics.statusCode(), what);
                assertTrue(metrics.body().contains("# TYPE peerobserver_"), what + ": " + metrics.body());
            }
            if (tools.contains("websocket")) {
                HttpResponse<String> pages = AppProcess.get(port(env.get("WEBSOCKET_ADDRESS")), "/");
                assertEquals(200, pages.statusCode(), what);
            }
            if (block.output() != null) {
                for (String shown : block.output().split("\n")) {
                    Pattern expected = printed(shown);
                    app.awaitLine(l -> expected.matcher(l).find(), Duration.ofSeconds(20));
                }
            }
            assertTrue(app.isAlive(), what);
        }
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /**
     * A line as a page shows it, as a pattern: the date and time before the level stand for any, {@code node=myhost}
     * for any node name, and a line that ends in "..." is cut there.
     */
    static Pattern printed(String shown) {
        String rest = shown.replaceFirst("^\\S+ (?=[A-Z]+ )", "");
        boolean cut = rest.endsWith(" ...");
        if (cut) {
            rest = rest.substring(0, rest.length() - " ...".length());
        }
        String[] parts = rest.split("node=myhost", -1);
        StringBuilder regex = new StringBuilder("^\\S+ ");
        for (int i = 0; i < parts.length; i++) {
            regex.append(i > 0 ? "node=\\S+" : "").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.append(cut ? "" : "$").toString());
    }
}
