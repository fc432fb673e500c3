package org.peerobserver.tool.connectivity;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.peerobserver.bitcoin.AddressText;

/** Which announced addresses may be dialled, and how they are written for dialling. */
final class AddressPolicy {
    static final String TOR = "TorV3";
    static final String I2P = "I2P";
    /** Ranges that are never dialled unless listed in the allow setting. */
    static final Set<String> RANGES = Set.of("loopback", "private", "link-local", "multicast");

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    /** How BIP155 I2P addresses are written: base32 of a 32-byte hash. */
    private static final Pattern I2P_NAME = Pattern.compile("[a-z2-7]{52}\\.b32\\.i2p");

    private final Set<String> allowed;

    AddressPolicy(String allow) {
        allowed = Arrays.stream(allow == null ? new String[0] : allow.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String a : allowed) {
            if (!RANGES.contains(a)) {
                throw new IllegalArgumentException("CONNECTIVITY_ALLOW has an unknown range '" + a
                        + "'; choose from loopback, private, link-local, multicast, or leave it empty");
            }
        }
    }

    /**
     * Parses an IP literal without ever asking DNS: the JDK resolves anything that is not a literal, and these
     * strings come from the network.
     */
    static InetAddress literal(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !(text.indexOf(':') >= 0 && IPV6.matcher(text).matches())) {
            return null;
        }
        if (v4 && Arrays.stream(text.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
            return null;
        }
        try {
            return InetAddress.getByName(text);  // a literal now: a colon or a dotted quad never goes to DNS
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code text} is an I2P name; anything else would go to the proxy as a name to look up. */
    static boolean isI2pName(String text) {
        return I2P_NAME.matcher(text).matches();
    }

    /** Why {@code ip} must not be dialled, or null when it may. */
    String refusal(InetAddress ip) {
        String range = range(ip);
        return range == null || allowed.contains(range) ? null : range;
    }

    private static String range(InetAddress ip) {
        if (ip.isLoopbackAddress()) {
            return "loopback";
        }
        if (ip.isLinkLocalAddress()) {
            return "link-local";
        }
        if (ip.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = ip.getAddress();
        if (ip instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            // RFC 1918, carrier-grade NAT (RFC 6598), this-network and the reserved 240/4 with broadcast
            if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 < 32) || (a0 == 192 && a1 == 168) || (a0 == 100 && a1 >= 64 && a1 < 128)
                    || a0 == 0 || a0 >= 240) {
                return "private";
            }
        } else if (ip instanceof Inet6Address) {
            // unique local fc00::/7, the unspecified address and site-local fec0::/10
            if ((b[0] & 0xfe) == 0xfc || ip.isAnyLocalAddress() || ip.isSiteLocalAddress()) {
                return "private";
            }
        }
        return null;
    }

    /**
     * The dialable onion name of a torv3 address. Upstream renders only the 32-byte key in base32; Tor needs the
     * name of rend-spec-v3: base32(key | checksum | version 3), the checksum being SHA3-256(".onion checksum" | key | 3).
     */
    static String onionName(String upstreamTorV3) {
        String key = upstreamTorV3.endsWith(".onion") ? upstreamTorV3.substring(0, upstreamTorV3.length() - 6) : upstreamTorV3;
        byte[] pubkey = AddressText.fromBase32(key);
        if (pubkey.length != 32) {
            throw new IllegalArgumentException("a torv3 key has 32 bytes, not " + pubkey.length);
        }
        try {
            MessageDigest sha3 = MessageDigest.getInstance("SHA3-256");
            sha3.update(".onion checksum".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sha3.update(pubkey);
            sha3.update((byte) 3);
            byte[] digest = sha3.digest();
            byte[] name = Arrays.copyOf(pubkey, 35);
            name[32] = digest[0];
            name[33] = digest[1];
            name[34] = 3;
            return AddressText.base32(name, 0, name.length, ".onion");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA3-256 is part of every Java 17 runtime", e);
        }
    }
}
