package org.peerobserver.bitcoin;

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
        return base32(b, off, len, "");
    }

    /** Lower-case RFC 4648 base32 of {@code b[off..off+len]}, no padding, then {@code suffix}: one allocation. */
    public static String base32(byte[] b, int off, int len, String suffix) {
        int chars = (len * 8 + 4) / 5;
        char[] out = new char[chars + suffix.length()];
        int o = 0;
        int i = off;
        int end = off + len;
        // five bytes make eight characters
        for (; i + 5 <= end; i += 5) {
            long v = (b[i] & 0xffL) << 32 | (b[i + 1] & 0xffL) << 24 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 8 | (b[i + 4] & 0xffL);
            for (int shift = 35; shift >= 0; shift -= 5) {
                out[o++] = BASE32[(int) (v >>> shift) & 31];
            }
        }
        int buffer = 0;
        int bits = 0;
        for (; i < end; i++) {
            buffer = buffer << 8 | (b[i] & 0xff);
            bits += 8;
            while (bits >= 5) {
                out[o++] = BASE32[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        if (bits > 0) {
            out[o++] = BASE32[(buffer << (5 - bits)) & 31];
        }
        suffix.getChars(0, suffix.length(), out, o);
        return new String(out);
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
