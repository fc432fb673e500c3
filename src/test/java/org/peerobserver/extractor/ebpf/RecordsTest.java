package org.peerobserver.extractor.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Records that do not match their layout are refused without reading past them. */
class RecordsTest {

    private static ByteBuffer record(int kind, int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN).putInt(0, kind);
    }

    @Test
    void kindsMapToTracepointsAndUnknownKindsToNull() {
        assertEquals(Tracepoint.NET_INBOUND_MESSAGE, Records.tracepoint(record(1, 4)));
        assertEquals(Tracepoint.UDP_BLOCK_SEND_START, Records.tracepoint(record(20, 4)));
        assertNull(Records.tracepoint(record(0, 4)));
        assertNull(Records.tracepoint(record(21, 4)));
        assertThrows(Records.BadRecordException.class, () -> Records.tracepoint(ByteBuffer.allocate(3)));
    }

    @Test
    void shortRecordsAreRefused() {
        for (Tracepoint t : Tracepoint.values()) {
            if (t != Tracepoint.UDP_BLOCK_SEND_START) {
                assertThrows(Records.BadRecordException.class, () -> Records.decode(t, record(t.ordinal() + 1, 16), 0), t::toString);
            }
        }
    }

    @Test
    void messageSizeBeyondTheRecordIsRefused() {
        ByteBuffer r = record(1, Records.MSG_PAYLOAD_OFFSET + 8);
        r.putLong(16, 9);
        Records.BadRecordException e = assertThrows(Records.BadRecordException.class,
                () -> Records.decode(Tracepoint.NET_INBOUND_MESSAGE, r, 0));
        assertEquals("message record of 136 bytes for a payload of 9", e.getMessage());
        r.putLong(16, -1);
        assertThrows(Records.BadRecordException.class, () -> Records.decode(Tracepoint.NET_INBOUND_MESSAGE, r, 0));
        r.putLong(16, 8);
        assertEquals(8, Records.decode(Tracepoint.NET_INBOUND_MESSAGE, r, 0).getEbpfExtractor().getMessage()
                .getUnknown().getPayload().size());
    }

    @Test
    void stringsWithoutTerminatorStopAtTheirBuffer() {
        ByteBuffer r = record(7, 144);
        for (int k = 16; k < 144; k++) {
            r.put(k, (byte) 'x');
        }
        assertEquals(128, Records.decode(Tracepoint.NET_MISBEHAVING_CONNECTION, r, 0).getEbpfExtractor().getConnection()
                .getMisbehaving().getMessage().length());
    }

    @Test
    void everyLengthReadsBackTheSameFromTheBufferAndFromTheRecentStrings() {
        // each string is a prefix of the next, and what follows its NUL is the rest of the longer ones: only
        // the bytes before the NUL may count, whether it falls inside a word, on a word's edge or nowhere
        for (int round = 0; round < 2; round++) {
            for (int length = 0; length <= 128; length++) {
                ByteBuffer r = record(7, 144);
                for (int k = 0; k < 128; k++) {
                    r.put(16 + k, (byte) ('a' + k % 26));
                }
                if (length < 128) {
                    r.put(16 + length, (byte) 0);
                }
                String expected = IntStream.range(0, length).mapToObj(k -> String.valueOf((char) ('a' + k % 26))).collect(Collectors.joining());
                assertEquals(expected, Records.decode(Tracepoint.NET_MISBEHAVING_CONNECTION, r, 0).getEbpfExtractor().getConnection()
                        .getMisbehaving().getMessage(), "length " + length + ", round " + round);
            }
        }
    }

    @Test
    void aStringInEveryRecordKeepsItsInstanceAmongManyOthers() {
        String first = null;
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer r = record(1, Records.MSG_PAYLOAD_OFFSET);
            byte[] addr = ("10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255) + ":8333").getBytes(StandardCharsets.US_ASCII);
            r.put(24, addr).put(112, "ping".getBytes(StandardCharsets.US_ASCII));
            String command = Records.decode(Tracepoint.NET_INBOUND_MESSAGE, r, 0).getEbpfExtractor().getMessage().getMeta()
                    .getCommand();
            assertEquals("ping", command);
            if (first == null) {
                first = command;
            }
            // a new instance per record would have its hash computed again by every switch and map on the way
            assertSame(first, command, "record " + i);
        }
    }
}
