package org.peerobserver.bitcoin;

import java.nio.charset.StandardCharsets;

import static org.peerobserver.bitcoin.P2pCodecException.Kind.BAD_CHECKSUM;
import static org.peerobserver.bitcoin.P2pCodecException.Kind.BAD_COMMAND;
import static org.peerobserver.bitcoin.P2pCodecException.Kind.OVERSIZE;

/**
 * The 24-byte v1 message header: magic (4), command (12, ASCII padded with NULs), payload length
 * (uint32 LE) and checksum (the first 4 bytes of SHA256d of the payload).
 */
public record FrameHeader(int magic, String command, int length, int checksum) {
    public static final int SIZE = 24;
    public static final int COMMAND_SIZE = 12;

    /** The magic of the header starting at {@code b[off]}, read big-endian (as {@link BitcoinNetwork#magic()}). */
    public static int magic(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    /**
     * Parses a header (magic not checked: the caller knows what it expects). The command must be printable
     * ASCII up to the first NUL and NULs after it; a length over {@code maxLength} is refused here, before any
     * payload byte is read.
     */
    public static FrameHeader parse(byte[] b, int off, int maxLength) throws P2pCodecException {
        int commandEnd = off + 4;
        while (commandEnd < off + 16 && b[commandEnd] != 0) {
            int c = b[commandEnd] & 0xff;
            if (c < 0x20 || c > 0x7e) {
                throw new P2pCodecException(BAD_COMMAND, "command with a non-printable byte 0x" + Integer.toHexString(c));
            }
            commandEnd++;
        }
        for (int i = commandEnd; i < off + 16; i++) {
            if (b[i] != 0) {
                throw new P2pCodecException(BAD_COMMAND, "command not padded with NULs");
            }
        }
        if (commandEnd == off + 4) {
            throw new P2pCodecException(BAD_COMMAND, "empty command");
        }
        String command = new String(b, off + 4, commandEnd - off - 4, StandardCharsets.US_ASCII);
        long length = (b[off + 16] & 0xff) | (b[off + 17] & 0xff) << 8 | (b[off + 18] & 0xff) << 16 | (long) (b[off + 19] & 0xff) << 24;
        if (length > maxLength) {
            throw new P2pCodecException(OVERSIZE, command + " announces " + length + " payload bytes (at most " + maxLength + ")");
        }
        return new FrameHeader(magic(b, off), command, (int) length, magic(b, off + 20));
    }

    /** Checks the payload against the checksum. */
    public void verify(byte[] payload, int off, int len) throws P2pCodecException {
        if (Hashes.checksum(payload, off, len) != checksum) {
            throw new P2pCodecException(BAD_CHECKSUM, command + ": checksum does not match the payload");
        }
    }

    /** A whole frame: header for {@code network} and {@code command}, then the payload. */
    public static byte[] frame(BitcoinNetwork network, String command, byte[] payload) {
        byte[] c = command.getBytes(StandardCharsets.US_ASCII);
        if (c.length == 0 || c.length > COMMAND_SIZE) {
            throw new IllegalArgumentException("command must have 1 to 12 characters: " + command);
        }
        byte[] out = new byte[SIZE + payload.length];
        putIntBE(out, 0, network.magic());
        System.arraycopy(c, 0, out, 4, c.length);
        int n = payload.length;
        out[16] = (byte) n;
        out[17] = (byte) (n >>> 8);
        out[18] = (byte) (n >>> 16);
        out[19] = (byte) (n >>> 24);
        putIntBE(out, 20, Hashes.checksum(payload, 0, payload.length));
        System.arraycopy(payload, 0, out, SIZE, payload.length);
        return out;
    }

    private static void putIntBE(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
