package org.peerobserver.component.ebpf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Finds the bitcoind process to attach to: the configured PID while it runs that binary, else the
 * PID in the pid file, else the first process running the binary. Asked again on every check, so a
 * restarted bitcoind (new PID) is found without configuration changes.
 */
final class BitcoindProcess {
    private static final Path PROC = Path.of("/proc");

    private final Path binary;
    private final int pid;
    private final Path pidFile;

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

    /** The PID to attach to, or 0 when no process runs the binary. */
    int find() {
        if (runsBinary(pid)) {
            return pid;
        }
        int fromFile = pidFromFile();
        if (runsBinary(fromFile)) {
            return fromFile;
        }
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .mapToInt(Integer::parseInt).filter(this::runsBinary).sorted().findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
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

    private int pidFromFile() {
        if (pidFile == null) {
            return 0;
        }
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

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
