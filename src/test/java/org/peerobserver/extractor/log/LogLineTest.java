package org.peerobserver.extractor.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peerobserver.proto.log.LogDebugCategory;

class LogLineTest {
    /** 2025-11-20T10:00:00Z */
    private static final long SECONDS = 1_763_632_800L;

    @Test
    void plainTimestampAndCategory() {
        LogLine l = LogLine.parse("2025-11-20T10:00:00Z [net] received: inv (37 bytes) peer=3");
        assertTrue(l.parsed());
        assertEquals(SECONDS * 1_000_000L, l.timestampMicros());
        assertEquals(LogDebugCategory.NET, l.category());
        assertEquals("received: inv (37 bytes) peer=3", l.message());
    }

    @Test
    void microsecondTimestamp() {
        LogLine l = LogLine.parse("2025-11-20T10:00:00.000042Z [validation] x");
        assertEquals(SECONDS * 1_000_000L + 42, l.timestampMicros());
        assertEquals(LogDebugCategory.VALIDATION, l.category());
        assertEquals("x", l.message());
    }

    @Test
    void lineWithoutCategoryKeepsItsWholeMessage() {
        LogLine l = LogLine.parse("2025-11-20T10:00:00Z UpdateTip: new best=00ab height=5");
        assertEquals(LogDebugCategory.UNKNOWN, l.category());
        assertEquals("UpdateTip: new best=00ab height=5", l.message());
    }

    /** The category token, wherever -logthreadnames and -logsourcelocations put it, and level suffixes. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[net] hello                                                     | NET        | hello",
        "[NET] hello                                                     | NET        | hello",
        "[net:debug] hello                                               | NET        | hello",
        "[validation:info] hello                                         | VALIDATION | hello",
        "[cmpctblock:warning] hello                                      | CMPCTBLOCK | hello",
        "[warning] disk space is low                                     | UNKNOWN    | disk space is low",
        "[error] failed                                                  | UNKNOWN    | failed",
        "[lock] contention                                               | UNKNOWN    | contention",
        "[privatebroadcast:info] sent                                    | UNKNOWN    | sent",
        "[all:info] Bitcoin Core version v30.0                           | UNKNOWN    | Bitcoin Core version v30.0",
        "[msghand] [net] hello                                           | NET        | hello",
        "[net] [net] socket closed                                       | NET        | socket closed",
        "[httpworker.0] [http] Received a POST                           | HTTP       | Received a POST",
        "[net_processing.cpp:3456] [ProcessMessage] [net] got inv        | NET        | got inv",
        "[msghand] [net_processing.cpp:3456] [ProcessMessage] [mempool:info] hi | MEMPOOL | hi",
        "[scheduler] [validationinterface.cpp:1] [operator()] [validation] Enqueuing | VALIDATION | Enqueuing",
        "[msghand] uncategorised                                         | UNKNOWN    | [msghand] uncategorised",
        "[default wallet] Wallet completed loading                       | UNKNOWN    | [default wallet] Wallet completed loading",
        "[net] [default wallet] odd but possible                         | NET        | [default wallet] odd but possible",
        "[net]                                                           | NET        | ''",
    })
    void categoryToken(String afterTimestamp, LogDebugCategory category, String message) {
        LogLine l = LogLine.parse("2025-11-20T10:00:00Z " + afterTimestamp);
        assertTrue(l.parsed());
        assertEquals(category, l.category(), afterTimestamp);
        assertEquals(message, l.message(), afterTimestamp);
    }

    @Test
    void mocktimeIsSkipped() {
        LogLine l = LogLine.parse("2025-11-20T10:00:00Z (mocktime: 2011-02-02T23:16:42Z) [net] hello");
        assertEquals(SECONDS * 1_000_000L, l.timestampMicros());
        assertEquals(LogDebugCategory.NET, l.category());
        assertEquals("hello", l.message());
    }

    @Test
    void timestampShapedButNoDateIsZeroAndTheRestStillParses() {
        LogLine l = LogLine.parse("2025-13-45T10:00:00Z [net] hello");
        assertTrue(l.parsed());
        assertEquals(0, l.timestampMicros());
        assertEquals(LogDebugCategory.NET, l.category());
        assertEquals("hello", l.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hello",
        "''",
        "2025-11-20T10:00:00Z",
        "2025-11-20T10:00:00Zx [net] glued",
        "2025-11-20 10:00:00Z [net] space instead of T",
        "2025-11-20T10:00:00.12Z [net] short fraction",
        "2025-11-20T10:00:00 [net] no Z",
        "'  2025-11-20T10:00:00Z [net] leading spaces'",
    })
    void notALogLine(String line) {
        LogLine l = LogLine.parse(line);
        assertFalse(l.parsed());
        assertEquals(0, l.timestampMicros());
        assertEquals(LogDebugCategory.UNKNOWN, l.category());
        assertEquals("", l.message());
    }
}
