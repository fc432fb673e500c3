package org.peerobserver.extractor.ebpf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.peerobserver.support.SafeText;

/**
 * Finds the bitcoind process to attach to, and after a restart the same node again, never another node
 * that runs the same binary:
 * <ul>
 *   <li>the configured PID while it runs the binary;</li>
 *   <li>else, with a pid file, only the PID in it (bitcoind writes it on start and deletes it on
 *       shutdown, so it names this node's datadir);</li>
 *   <li>else the first process running the binary; once attached, only a process with that node's
 *       command line and user (its datadir and configuration) is taken again.</li>
 * </ul>
 * Asked again on every check, so a restarted bitcoind (new PID) is found without configuration changes.
 * Poll thread only.
 */
final class BitcoindProcess {
    private static final Path PROC = Path.of("/proc");

    private final Path binary;
    private final int pid;
    private final Path pidFile;
    /** The node attached to, once it is known; a process with another identity is another node. */
    private Identity node;

    BitcoindProcess(String binary, int pid, String pidFile) {
        this.binary = realPath(Path.of(binary));
        this.pid = pid;
        this.pidFile = pidFile == null || pidFile.isBlank() ? null : Path.of(pidFile);
        // a pid file not written yet is bitcoind not started yet; one whose directory is missing is a typo
        if (this.pidFile != null && !Files.isDirectory(this.pidFile.toAbsolutePath().getParent())) {
            throw new IllegalArgumentException("the directory of the pid file " + pidFile
                    + " does not exist (setting BITCOIND_PID_FILE)");
        }
        if (this.pidFile != null && Files.exists(this.pidFile) && !Files.isRegularFile(this.pidFile)) {
            throw new IllegalArgumentException(pidFile + " is not a pid file (setting BITCOIND_PID_FILE)");
        }
    }

    Path binary() {
        return binary;
    }

    /** A process to attach to (pid 0: none, and why, for the log and the health check). */
    record Found(int pid, String why, int others) {
    }

    Found find() {
        if (runsBinary(pid) && sameNode(pid)) {
            return new Found(pid, null, 0);
        }
        if (pidFile != null) {
            int fromFile = pidFromFile();
            if (fromFile == 0) {
                return new Found(0, "waiting for bitcoind to write its pid file " + pidFile, 0);
            }
            return runsBinary(fromFile) ? new Found(fromFile, null, 0)
                    : new Found(0, "PID " + fromFile + " in " + pidFile + " does not run " + binary, 0);
        }
        if (pid > 0 && node == null) {
            return new Found(0, "PID " + pid + " (BITCOIND_PID) does not run " + binary
                    + "; set BITCOIND_PID_FILE to find a restarted bitcoind", 0);
        }
        List<Integer> candidates = running().stream().filter(this::sameNode).toList();
        if (candidates.isEmpty()) {
            String what = node == null ? "no process runs " + binary
                    : "no process runs " + binary + " as the node attached before (" + node.describe() + ")";
            return new Found(0, what, 0);
        }
        return new Found(candidates.get(0), null, candidates.size() - 1);
    }

    /** Remembers who runs as {@code p} now: from then on only that node is taken again. */
    void attached(int p) {
        if (pidFile == null) {
            Identity identity = Identity.of(p);
            if (identity != null) {
                node = identity;
            }
        }
    }

    /** Whether process {@code p}, attached to before, still runs: the same process, not a reused PID. */
    boolean stillRuns(int p, long startTime) {
        return runsBinary(p) && startTime(p) == startTime;
    }

    /** Whether process {@code p} exists and runs the binary (a reused PID does not). */
    boolean runsBinary(int p) {
        if (p <= 0) {
            return false;
        }
        try {
            return Files.readSymbolicLink(PROC.resolve(Integer.toString(p)).resolve("exe")).equals(binary);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private boolean sameNode(int p) {
        return node == null || node.equals(Identity.of(p));
    }

    /** The processes running the binary, lowest PID first. */
    private List<Integer> running() {
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Integer::parseInt).filter(this::runsBinary).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private int pidFromFile() {
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(pidFile)) {
                head = in.readNBytes(16);   // a PID and a newline; anything longer is not a pid file
            }
            return Integer.parseInt(new String(head, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** When process {@code p} started, in clock ticks after boot (field 22 of /proc/PID/stat); -1 when gone. */
    static long startTime(int p) {
        try {
            String stat = Files.readString(PROC.resolve(Integer.toString(p)).resolve("stat"), StandardCharsets.US_ASCII);
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its end
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /**
     * What tells one node from another running the same binary: its arguments (-datadir, -conf, -chain
     * ...) and its user (whose home holds the default datadir).
     */
    record Identity(List<String> arguments, int uid) {
        static Identity of(int p) {
            Path dir = PROC.resolve(Integer.toString(p));
            try {
                byte[] cmdline = Files.readAllBytes(dir.resolve("cmdline"));
                List<String> arguments = Arrays.asList(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
                return new Identity(arguments.subList(Math.min(1, arguments.size()), arguments.size()),
                        (Integer) Files.getAttribute(dir, "unix:uid"));
            } catch (IOException | RuntimeException e) {
                return null;   // gone, or not readable: not a node we can tell
            }
        }

        String describe() {
            return SafeText.of("arguments " + String.join(" ", arguments) + ", uid " + uid);
        }
    }
}
