package org.peerobserver.bitcoin;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA256d, the hash of block headers, transactions and frame checksums. */
public final class Hashes {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    });
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Hashes() {
    }

    static MessageDigest sha256() {
        MessageDigest md = SHA256.get();
        md.reset();
        return md;
    }

    /** SHA256(SHA256(bytes[offset..offset+length])), in internal byte order. */
    public static byte[] sha256d(byte[] bytes, int offset, int length) {
        MessageDigest md = sha256();
        md.update(bytes, offset, length);
        return md.digest(md.digest());
    }

    public static byte[] sha256d(byte[] bytes) {
        return sha256d(bytes, 0, bytes.length);
    }

    /** The first 4 bytes of SHA256d, read big-endian: what a v1 header carries as checksum. */
    public static int checksum(byte[] bytes, int offset, int length) {
        byte[] h = sha256d(bytes, offset, length);
        return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
    }

    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Hex the way explorers and bitcoin-cli show hashes: the internal bytes reversed. */
    public static String displayHex(byte[] internal) {
        byte[] r = new byte[internal.length];
        for (int i = 0; i < internal.length; i++) {
            r[i] = internal[internal.length - 1 - i];
        }
        return hex(r);
    }

    public static byte[] fromHex(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex: " + hex.substring(2 * i, 2 * i + 2));
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** Internal byte order from a hash as explorers show it. */
    public static byte[] fromDisplayHex(String hex) {
        byte[] b = fromHex(hex);
        for (int i = 0, j = b.length - 1; i < j; i++, j--) {
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
        return b;
    }
}
