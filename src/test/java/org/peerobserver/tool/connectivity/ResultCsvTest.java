package org.peerobserver.tool.connectivity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResultCsvTest {
    @TempDir
    Path dir;

    @Test
    void quotesOnlyWhatMustBeQuoted() {
        assertEquals("/Satoshi:27.1.0/", ResultCsv.field("/Satoshi:27.1.0/"));
        assertEquals("\"/a,b/\"", ResultCsv.field("/a,b/"));
        assertEquals("\"say \"\"hi\"\"\"", ResultCsv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", ResultCsv.field("two\nlines"));
    }

    @Test
    void rotatesBySizeAndKeepsTheNewestFiles() throws Exception {
        List<String> row = Collections.nCopies(ResultCsv.COLUMNS.size(), "x");
        int header = String.join(",", ResultCsv.COLUMNS).length() + 1;
        int line = row.size() * 2;  // "x," per column, the last comma being the newline
        try (ResultCsv csv = new ResultCsv(dir, header + 2L * line, 2)) {
            for (int i = 0; i < 7; i++) {
                csv.write(row);
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        // files of two rows each: 2, 2, 2, 1; the oldest two are gone
        assertEquals(2, files.size(), files.toString());
        assertEquals(3, Files.readAllLines(files.get(0)).size());
        assertEquals(2, Files.readAllLines(files.get(1)).size());
        assertEquals(String.join(",", ResultCsv.COLUMNS), Files.readAllLines(files.get(1)).get(0));
        assertEquals(String.join(",", row), Files.readAllLines(files.get(1)).get(1));
    }
}
