package org.peerobserver.bitcoin;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

import static org.peerobserver.bitcoin.P2pCodecException.Kind.MALFORMED;

/**
 * Reads Bitcoin's consensus encoding from a byte array, never past its end: every read checks what is
 * left and fails with {@link P2pCodecException} ({@code MALFORMED}) instead. Counts are checked against
 * the bytes left before anything is allocated for them, so a lying count costs nothing.
 */
final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    ByteReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    byte[] array() {
        return buf;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    private void need(int n, String what) throws P2pCodecException {
        if (n > end - pos) {
            throw new P2pCodecException(MALFORMED, "payload ends inside " + what);
        }
    }

    int u8(String what) throws P2pCodecException {
        need(1, what);
        return buf[pos++] & 0xff;
    }

    boolean bool(String what) throws P2pCodecException {
        return u8(what) != 0;
    }

    int u16be(String what) throws P2pCodecException {
        need(2, what);
        int v = (buf[pos] & 0xff) << 8 | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int i32le(String what) throws P2pCodecException {
        need(4, what);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    long i64le(String what) throws P2pCodecException {
        need(8, what);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    void skip(int n, String what) throws P2pCodecException {
        need(n, what);
        pos += n;
    }

    /** A CompactSize, which must be minimally encoded; the value is unsigned. */
    long compactSize(String what) throws P2pCodecException {
        int first = u8(what);
        switch (first) {
            case 0xfd: {
                need(2, what);
                int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
                pos += 2;
                if (v < 0xfd) {
                    throw new P2pCodecException(MALFORMED, "non-minimal CompactSize in " + what);
                }
                return v;
            }
            case 0xfe: {
                long v = i32le(what) & 0xffffffffL;
                if (v < 0x10000) {
                    throw new P2pCodecException(MALFORMED, "non-minimal CompactSize in " + what);
                }
                return v;
            }
            case 0xff: {
                long v = i64le(what);
                if (Long.compareUnsigned(v, 0x100000000L) < 0) {
                    throw new P2pCodecException(MALFORMED, "non-minimal CompactSize in " + what);
                }
                return v;
            }
            default:
                return first;
        }
    }

    /**
     * A count of elements that take at least {@code minElementSize} bytes each: more than the bytes left could
     * hold is an error right away (the decode would fail anyway when the bytes run out).
     */
    int count(int minElementSize, String what) throws P2pCodecException {
        long n = compactSize(what);
        if (Long.compareUnsigned(n, remaining() / minElementSize) > 0) {
            throw new P2pCodecException(MALFORMED, what + ": " + Long.toUnsignedString(n) + " entries announced, "
                    + remaining() + " bytes left");
        }
        return (int) n;
    }

    /** A CompactSize length followed by that many bytes; returns the length, the bytes start at {@link #position()} - length. */
    int varBytesLength(String what) throws P2pCodecException {
        long n = compactSize(what);
        if (Long.compareUnsigned(n, remaining()) > 0) {
            throw new P2pCodecException(MALFORMED, "payload ends inside " + what);
        }
        pos += (int) n;
        return (int) n;
    }

    /** A view of the next {@code n} bytes (no copy: the array must not change afterwards). */
    ByteString bytes(int n, String what) throws P2pCodecException {
        need(n, what);
        ByteString s = UnsafeByteOperations.unsafeWrap(buf, pos, n);
        pos += n;
        return s;
    }

    byte[] copy(int n, String what) throws P2pCodecException {
        need(n, what);
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    ByteString hash(String what) throws P2pCodecException {
        return bytes(32, what);
    }

    ByteString varBytes(String what) throws P2pCodecException {
        int n = varBytesLength(what);
        return UnsafeByteOperations.unsafeWrap(buf, pos - n, n);
    }

    /** A CompactSize-prefixed string that must be valid UTF-8. */
    String varString(String what) throws P2pCodecException {
        int n = varBytesLength(what);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, pos - n, n)).toString();
        } catch (CharacterCodingException e) {
            throw new P2pCodecException(MALFORMED, what + " is not valid UTF-8");
        }
    }
}
