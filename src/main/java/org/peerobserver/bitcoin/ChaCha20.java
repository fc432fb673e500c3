package org.peerobserver.bitcoin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The ChaCha20 stream cipher of RFC 8439 (32-byte key, 12-byte nonce, 32-bit block counter). Java 17's JCE
 * ChaCha20 needs a {@code Cipher.init} (key copies, checks) for every BIP324 packet and XORs slowly; this one
 * keeps the state in 16 int locals the JIT holds in registers and XORs 8 bytes at a time.
 */
final class ChaCha20 {
    static final int BLOCK_SIZE = 64;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** "expand 32-byte k". */
    private static final int C0 = 0x61707865;
    private static final int C1 = 0x3320646e;
    private static final int C2 = 0x79622d32;
    private static final int C3 = 0x6b206574;

    private int k0;
    private int k1;
    private int k2;
    private int k3;
    private int k4;
    private int k5;
    private int k6;
    private int k7;
    private int n0;
    private int n1;
    private int n2;
    /** The keystream of a last partial block. */
    private final byte[] tail = new byte[BLOCK_SIZE];

    /** Sets the 32-byte key at {@code key[keyOff]} and the 12-byte nonce at {@code nonce[nonceOff]}. */
    void init(byte[] key, int keyOff, byte[] nonce, int nonceOff) {
        k0 = (int) INT.get(key, keyOff);
        k1 = (int) INT.get(key, keyOff + 4);
        k2 = (int) INT.get(key, keyOff + 8);
        k3 = (int) INT.get(key, keyOff + 12);
        k4 = (int) INT.get(key, keyOff + 16);
        k5 = (int) INT.get(key, keyOff + 20);
        k6 = (int) INT.get(key, keyOff + 24);
        k7 = (int) INT.get(key, keyOff + 28);
        n0 = (int) INT.get(nonce, nonceOff);
        n1 = (int) INT.get(nonce, nonceOff + 4);
        n2 = (int) INT.get(nonce, nonceOff + 8);
    }

    /**
     * XORs {@code in[inOff, inOff+len)} with the keystream from block {@code counter} on into {@code out[outOff]};
     * in and out may be the same bytes.
     */
    void crypt(int counter, byte[] in, int inOff, byte[] out, int outOff, int len) {
        for (; len > 0; counter++, inOff += BLOCK_SIZE, outOff += BLOCK_SIZE, len -= BLOCK_SIZE) {
            int x0 = C0;
            int x1 = C1;
            int x2 = C2;
            int x3 = C3;
            int x4 = k0;
            int x5 = k1;
            int x6 = k2;
            int x7 = k3;
            int x8 = k4;
            int x9 = k5;
            int x10 = k6;
            int x11 = k7;
            int x12 = counter;
            int x13 = n0;
            int x14 = n1;
            int x15 = n2;
            for (int i = 0; i < 10; i++) {
                // columns
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
                // diagonals
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
            }
            x0 += C0;
            x1 += C1;
            x2 += C2;
            x3 += C3;
            x4 += k0;
            x5 += k1;
            x6 += k2;
            x7 += k3;
            x8 += k4;
            x9 += k5;
            x10 += k6;
            x11 += k7;
            x12 += counter;
            x13 += n0;
            x14 += n1;
            x15 += n2;
            if (len >= BLOCK_SIZE) {
                xor(in, inOff, out, outOff, x0, x1);
                xor(in, inOff + 8, out, outOff + 8, x2, x3);
                xor(in, inOff + 16, out, outOff + 16, x4, x5);
                xor(in, inOff + 24, out, outOff + 24, x6, x7);
                xor(in, inOff + 32, out, outOff + 32, x8, x9);
                xor(in, inOff + 40, out, outOff + 40, x10, x11);
                xor(in, inOff + 48, out, outOff + 48, x12, x13);
                xor(in, inOff + 56, out, outOff + 56, x14, x15);
            } else {
                byte[] t = tail;
                INT.set(t, 0, x0);
                INT.set(t, 4, x1);
                INT.set(t, 8, x2);
                INT.set(t, 12, x3);
                INT.set(t, 16, x4);
                INT.set(t, 20, x5);
                INT.set(t, 24, x6);
                INT.set(t, 28, x7);
                INT.set(t, 32, x8);
                INT.set(t, 36, x9);
                INT.set(t, 40, x10);
                INT.set(t, 44, x11);
                INT.set(t, 48, x12);
                INT.set(t, 52, x13);
                INT.set(t, 56, x14);
                INT.set(t, 60, x15);
                int i = 0;
                for (; i + 8 <= len; i += 8) {
                    LONG.set(out, outOff + i, (long) LONG.get(in, inOff + i) ^ (long) LONG.get(t, i));
                }
                for (; i < len; i++) {
                    out[outOff + i] = (byte) (in[inOff + i] ^ t[i]);
                }
            }
        }
    }

    private static void xor(byte[] in, int inOff, byte[] out, int outOff, int lo, int hi) {
        LONG.set(out, outOff, (long) LONG.get(in, inOff) ^ ((long) hi << 32 | lo & 0xffffffffL));
    }
}
