package org.peerobserver.extractor.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real BCC tool (Debian's python3-bpfcc) beside ours: src/test/resources/bcc/usdt_counter.py, which
 * counts in the kernel how often each probe fired. Started on a target held stopped, it leaves it so.
 */
final class BccCounter implements AutoCloseable {
    private static final Path SCRIPT = Path.of("src/test/resources/bcc/usdt_counter.py").toAbsolutePath();
    private final Process process;
    private final BufferedReader out;
    private final List<String> lines = new ArrayList<>();

    /** Starts the script on {@code probes} of process {@code pid} and waits until it says it is attached. */
    BccCounter(long pid, String probes) throws IOException {
        process = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), UsdtTarget.BINARY.toString(),
                Long.toString(pid), probes).redirectErrorStream(true).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // BCC compiles its program with clang first: seconds on a busy machine
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
            if (line.equals("attached")) {
                return;
            }
        }
        throw new AssertionError("the BCC tool did not attach (python3-bpfcc and kernel headers installed?):\n"
                + String.join("\n", lines));
    }

    /** Once the target is gone: how often the tool counted each probe. */
    Map<String, Long> counted() throws Exception {
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the BCC tool did not finish");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
            String[] w = line.split(" ");
            if (w.length == 3 && w[0].equals("counted")) {
                counts.put(w[1], Long.parseLong(w[2]));
            }
        }
        assertEquals(0, process.exitValue(), () -> "the BCC tool failed:\n" + String.join("\n", lines));
        return counts;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
