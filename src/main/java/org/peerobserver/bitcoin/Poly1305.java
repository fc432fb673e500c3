package org.peerobserver.bitcoin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Poly1305 one-time authenticator of RFC 8439, reusable without allocation (Java 17's JCE one is slow, see
 * {@link ChaCha20}). Numbers mod 2^130-5 are five 26-bit limbs in longs, so a block's 25 limb products and their
 * sums fit in 64 bits with room to spare and no carries are lost.
 */
final class Poly1305 {
    static final int TAG_SIZE = 16;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M26 = 0x3ffffff;
    private static final long M32 = 0xffffffffL;

    private long r0;
    private long r1;
    private long r2;
    private long r3;
    private long r4;
    private long h0;
    private long h1;
    private long h2;
    private long h3;
    private long h4;
    private int s0;
    private int s1;
    private int s2;
    private int s3;
    private final byte[] block = new byte[TAG_SIZE];
    private final long[] limbs = new long[5];
    private final long[] reduced = new long[5];

    /** Starts a tag with the 32-byte one-time key at {@code key[off]}: r (clamped), then s. */
    void init(byte[] key, int off) {
        long t0 = (int) INT.get(key, off) & 0x0fffffffL;
        long t1 = (int) INT.get(key, off + 4) & 0x0ffffffcL;
        long t2 = (int) INT.get(key, off + 8) & 0x0ffffffcL;
        long t3 = (int) INT.get(key, off + 12) & 0x0ffffffcL;
        r0 = t0 & M26;
        r1 = (t0 >>> 26 | t1 << 6) & M26;
        r2 = (t1 >>> 20 | t2 << 12) & M26;
        r3 = (t2 >>> 14 | t3 << 18) & M26;
        r4 = t3 >>> 8;
        s0 = (int) INT.get(key, off + 16);
        s1 = (int) INT.get(key, off + 20);
        s2 = (int) INT.get(key, off + 24);
        s3 = (int) INT.get(key, off + 28);
        h0 = 0;
        h1 = 0;
        h2 = 0;
        h3 = 0;
        h4 = 0;
    }

    /**
     * Adds {@code m[off, off+len)}. Only the last piece of a message may end within a 16-byte block: RFC 8439's
     * plain MAC then pads it with 1 and zeros; {@code zeroPadded} (the AEAD's pad16) pads it as a whole block of zeros.
     */
    void update(byte[] m, int off, int len, boolean zeroPadded) {
        int full = len & ~(TAG_SIZE - 1);
        blocks(m, off, full, 1L << 24);
        int rest = len - full;
        if (rest > 0) {
            byte[] b = block;
            System.arraycopy(m, off + full, b, 0, rest);
            java.util.Arrays.fill(b, rest, TAG_SIZE, (byte) 0);
            if (!zeroPadded) {
                b[rest] = 1;
            }
            blocks(b, 0, TAG_SIZE, zeroPadded ? 1L << 24 : 0);
        }
    }

    /** Adds the 16-byte block of two little-endian 64-bit numbers (the AEAD's lengths). */
    void update(long a, long b) {
        INT.set(block, 0, (int) a);
        INT.set(block, 4, (int) (a >>> 32));
        INT.set(block, 8, (int) b);
        INT.set(block, 12, (int) (b >>> 32));
        blocks(block, 0, TAG_SIZE, 1L << 24);
    }

    /** h = (h + block + 2^128 (hibit)) * r mod 2^130-5 for each whole block. */
    private void blocks(byte[] m, int off, int len, long hibit) {
        long a0 = r0;
        long a1 = r1;
        long a2 = r2;
        long a3 = r3;
        long a4 = r4;
        // 2^130 = 5 mod p: limb products that land at 2^130 and above fold back times 5
        long f1 = a1 * 5;
        long f2 = a2 * 5;
        long f3 = a3 * 5;
        long f4 = a4 * 5;
        long b0 = h0;
        long b1 = h1;
        long b2 = h2;
        long b3 = h3;
        long b4 = h4;
        for (int end = off + len; off < end; off += TAG_SIZE) {
            long t0 = (int) INT.get(m, off) & M32;
            long t1 = (int) INT.get(m, off + 4) & M32;
            long t2 = (int) INT.get(m, off + 8) & M32;
            long t3 = (int) INT.get(m, off + 12) & M32;
            b0 += t0 & M26;
            b1 += (t0 >>> 26 | t1 << 6) & M26;
            b2 += (t1 >>> 20 | t2 << 12) & M26;
            b3 += (t2 >>> 14 | t3 << 18) & M26;
            b4 += t3 >>> 8 | hibit;
            long d0 = b0 * a0 + b1 * f4 + b2 * f3 + b3 * f2 + b4 * f1;
            long d1 = b0 * a1 + b1 * a0 + b2 * f4 + b3 * f3 + b4 * f2;
            long d2 = b0 * a2 + b1 * a1 + b2 * a0 + b3 * f4 + b4 * f3;
            long d3 = b0 * a3 + b1 * a2 + b2 * a1 + b3 * a0 + b4 * f4;
            long d4 = b0 * a4 + b1 * a3 + b2 * a2 + b3 * a1 + b4 * a0;
            d1 += d0 >>> 26;
            d2 += d1 >>> 26;
            d3 += d2 >>> 26;
            d4 += d3 >>> 26;
            b0 = (d0 & M26) + (d4 >>> 26) * 5;
            b1 = (d1 & M26) + (b0 >>> 26);
            b0 &= M26;
            b2 = d2 & M26;
            b3 = d3 & M26;
            b4 = d4 & M26;
        }
        h0 = b0;
        h1 = b1;
        h2 = b2;
        h3 = b3;
        h4 = b4;
    }

    /** Writes the 16-byte tag to {@code out[off]}. */
    void finish(byte[] out, int off) {
        long[] a = limbs;
        a[0] = h0;
        a[1] = h1;
        a[2] = h2;
        a[3] = h3;
        a[4] = h4;
        // carry twice, the top's carry folding back times 5 once: then every limb is below 2^26 but the top one,
        // which passes 2^26 only when h >= p
        carry(a, 0);
        a[0] += (a[4] >>> 26) * 5;
        a[4] &= M26;
        carry(a, 0);
        // g = h - p = h + 5 - 2^130; take it when it is not negative, without a branch
        long[] g = reduced;
        System.arraycopy(a, 0, g, 0, 5);
        carry(g, 5);
        g[4] -= 1L << 26;
        long keepH = g[4] >> 63;
        for (int i = 0; i < 5; i++) {
            a[i] = a[i] & keepH | g[i] & ~keepH;
        }
        // (h + s) mod 2^128
        long w = ((a[0] | a[1] << 26) & M32) + (s0 & M32);
        INT.set(out, off, (int) w);
        w = (w >>> 32) + ((a[1] >>> 6 | a[2] << 20) & M32) + (s1 & M32);
        INT.set(out, off + 4, (int) w);
        w = (w >>> 32) + ((a[2] >>> 12 | a[3] << 14) & M32) + (s2 & M32);
        INT.set(out, off + 8, (int) w);
        w = (w >>> 32) + ((a[3] >>> 18 | a[4] << 8) & M32) + (s3 & M32);
        INT.set(out, off + 12, (int) w);
    }

    /** Adds {@code in} to the lowest limb and carries up to the top one, which keeps what passes 26 bits. */
    private static void carry(long[] limbs, long in) {
        long c = in;
        for (int i = 0; i < 4; i++) {
            limbs[i] += c;
            c = limbs[i] >>> 26;
            limbs[i] &= M26;
        }
        limbs[4] += c;
    }

    /** Whether the tag equals the 16 bytes at {@code tag[off]}, in a time that does not depend on where they differ. */
    boolean verify(byte[] tag, int off) {
        finish(block, 0);
        int diff = 0;
        for (int i = 0; i < TAG_SIZE; i++) {
            diff |= block[i] ^ tag[off + i];
        }
        return diff == 0;
    }
}
