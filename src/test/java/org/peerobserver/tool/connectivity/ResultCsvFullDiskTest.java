package org.peerobserver.tool.connectivity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.CapturedLog;
import org.peerobserver.testing.TinyDisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CSV on a full tmpfs: one clear error, no half rows, no trail of new files, and rows again once there is room. */
class ResultCsvFullDiskTest {

    @Test
    void aFullDiskIsReportedOnceAndWritingResumesWithRoom() throws Exception {
        List<String> row = Collections.nCopies(ResultCsv.COLUMNS.size(), "2001:db8::1");
        try (TinyDisk disk = new TinyDisk("16k"); CapturedLog log = new CapturedLog(ResultCsv.class);
                ResultCsv csv = new ResultCsv(disk.dir(), 1 << 20, 10)) {
            int written = 0;
            int failed = 0;
            for (int i = 0; i < 200; i++) {
                try {
                    csv.write(row);
                    written++;
                } catch (IOException full) {
                    failed++;
                }
            }
            assertTrue(written > 0 && failed > 0, written + " written, " + failed + " failed");
            List<String> errors = log.lines("ERROR");
            assertEquals(1, errors.size(), errors::toString);
            assertTrue(errors.get(0).contains("No space left on device"), errors.get(0));

            disk.grow("1m");
            for (int i = 0; i < 5; i++) {
                csv.write(row);
            }
            assertTrue(log.lines("INFO").stream().anyMatch(l -> l.contains("works again")), log.lines()::toString);
            List<Path> files;
            try (Stream<Path> s = Files.list(disk.dir())) {
                files = s.toList();
            }
            assertEquals(1, files.size(), "the failed rows made no new files: " + files);
            List<String> lines = Files.readAllLines(files.get(0));
            assertEquals(1 + written + 5, lines.size());
            assertFalse(lines.stream().skip(1).anyMatch(l -> !l.equals(String.join(",", row))), "no half rows");
        }
    }
}
