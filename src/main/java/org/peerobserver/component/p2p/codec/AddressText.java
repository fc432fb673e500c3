package org.peerobserver.component.p2p.codec;

/**
 * The address strings upstream puts in {@code bitcoin_primitives.Address}: dotted quads, RFC 5952 IPv6
 * (lower-case, longest run of two or more zero groups as {@code ::}, the first one on a tie), and lower-case
 * unpadded RFC 4648 base32 for Tor and I2P.
 */
public final class AddressText {
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private AddressText() {
    }

    public static String ipv4(byte[] b, int off) {
        return (b[off] & 0xff) + "." + (b[off + 1] & 0xff) + "." + (b[off + 2] & 0xff) + "." + (b[off + 3] & 0xff);
    }

    /** RFC 5952 text of 16 bytes; IPv4-mapped ones as {@code ::ffff:a.b.c.d}. */
    public static String ipv6(byte[] b, int off) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[off + 2 * i] & 0xff) << 8 | (b[off + 2 * i + 1] & 0xff);
        }
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + ipv4(b, off + 12);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder(39);
        if (bestLen < 2) {
            groups(s, g, 0, 8);
        } else {
            groups(s, g, 0, bestStart);
            s.append("::");
            groups(s, g, bestStart + bestLen, 8);
        }
        return s.toString();
    }

    private static void groups(StringBuilder s, int[] g, int from, int to) {
        for (int i = from; i < to; i++) {
            if (i > from) {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
    }

    /** Lower-case RFC 4648 base32, no padding. */
    public static String base32(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder((len * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (int i = off; i < off + len; i++) {
            buffer = buffer << 8 | (b[i] & 0xff);
            bits += 8;
            while (bits >= 5) {
                s.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            s.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return s.toString();
    }

    /** Bytes of lower- or upper-case unpadded RFC 4648 base32. */
    public static byte[] fromBase32(String text) {
        int bits = 0;
        int buffer = 0;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length() * 5 / 8);
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            int v = c >= 'a' && c <= 'z' ? c - 'a' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
            if (v < 0) {
                throw new IllegalArgumentException("not base32: " + text);
            }
            buffer = buffer << 5 | v;
            bits += 5;
            if (bits >= 8) {
                out.write(buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
