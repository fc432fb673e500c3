package org.peerobserver.tool.connectivity;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results as upstream's CSV ({@code addr-connectivity-<unix_ts>.csv}, its columns in its order, then our
 * {@code result_failure}), with size-based rotation: a new file once one holds {@code maxFileSize} bytes, and only the
 * newest {@code maxFiles} kept.
 */
final class ResultCsv implements AutoCloseable {
    static final String PREFIX = "addr-connectivity-";
    static final List<String> COLUMNS = List.of("result_timestamp", "addr_address", "addr_port", "addr_services",
            "addr_timestamp", "addr_network_type", "addr_version", "source_address", "source_id", "source_tor_exit_node",
            "result_success", "result_cached", "version", "version_useragent", "version_relay", "version_version",
            "version_services", "version_start_height", "version_nonce", "version_timestamp", "version_sender_address",
            "version_sender_port", "result_failure", "transport");
    private static final Logger LOG = LoggerFactory.getLogger(ResultCsv.class);

    private final Path directory;
    private final long maxFileSize;
    private final int maxFiles;
    private Writer out;
    private long bytesInFile;
    private long lastStamp;
    private Path current;
    /** Bytes of the current file that end with a whole line: where the next open cuts a failed write back to. */
    private long wholeLines;
    private boolean failing;

    ResultCsv(Path directory, long maxFileSize, int maxFiles) {
        this.directory = directory;
        this.maxFileSize = maxFileSize;
        this.maxFiles = maxFiles;
    }

    /**
     * Appends one row of {@link #COLUMNS} values (already in text form). When it fails (a full disk), the
     * error is logged once until writing works again and the row is lost (the caller counts it); the next
     * row goes into the same file, cut back to its last whole line, so a failure leaves neither half rows
     * nor a trail of new files that would push the older results out.
     */
    synchronized void write(List<String> values) throws IOException {
        try {
            if (out != null && bytesInFile >= maxFileSize) {
                close();
                current = null;
            }
            if (out == null) {
                open();
            }
            String line = String.join(",", values.stream().map(ResultCsv::field).toList()) + "\n";
            out.write(line);
            out.flush();
            bytesInFile += line.getBytes(StandardCharsets.UTF_8).length;
            wholeLines = bytesInFile;
            if (failing) {
                LOG.info("Writing connectivity results to {} works again", current);
                failing = false;
            }
        } catch (IOException e) {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException alsoFull) {
                    // the same failure again; the bytes it could not write are cut off at the next open
                }
                out = null;
            }
            if (!failing) {
                LOG.error("Cannot write connectivity results to {}: {}; results are not written (counted in"
                        + " connectivitycheck_check_skipped{reason=\"csv_error\"}) until writing works again",
                        current == null ? directory : current, e.getMessage());
                failing = true;
            }
            throw e;
        }
    }

    /** Quotes a field only when it must be, as Rust's csv crate does. */
    static String field(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    private void open() throws IOException {
        Files.createDirectories(directory);
        boolean newFile = current == null;
        if (newFile) {
            // a new second per file, so names sort by age even when files fill up faster than one a second
            lastStamp = Math.max(System.currentTimeMillis() / 1000, lastStamp + 1);
            current = directory.resolve(PREFIX + lastStamp + ".csv");
            wholeLines = Files.exists(current) ? Files.size(current) : 0;
            LOG.info("Writing connectivity results to {}", current);
        }
        try (FileChannel file = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            file.truncate(wholeLines);
        }
        if (newFile) {
            deleteOldest();
        }
        out = Files.newBufferedWriter(current, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        bytesInFile = wholeLines;
        if (bytesInFile == 0) {
            String header = String.join(",", COLUMNS) + "\n";
            out.write(header);
            out.flush();
            bytesInFile = header.length();
            wholeLines = bytesInFile;
        }
    }

    private void deleteOldest() throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            List<Path> old = s.filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.toString().endsWith(".csv"))
                    .sorted(Comparator.comparing(Path::toString).reversed()).skip(maxFiles).toList();
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
