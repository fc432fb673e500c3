package org.peerobserver.tool.connectivity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.peerobserver.bitcoin.AddressText;

/**
 * Which announced addresses may be dialled, and how they are written for dialling. Every range of the IANA IPv4 and
 * IPv6 special-purpose address registries that is not globally reachable is refused, and so is IPv6 outside the
 * global unicast 2000::/3; {@link #ALLOWABLE} ranges only when the operator allows them.
 */
public final class AddressPolicy {
    static final String TOR = "TorV3";
    static final String I2P = "I2P";
    /** The ranges {@code CONNECTIVITY_ALLOW} may let through: the ones a test network or a lab uses. */
    public static final List<String> ALLOWABLE = List.of("loopback", "private", "link-local", "shared");

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    /** How BIP155 I2P addresses are written: base32 of a 32-byte hash. */
    private static final Pattern I2P_NAME = Pattern.compile("[a-z2-7]{52}\\.b32\\.i2p");

    /** Refusal reasons of special-purpose IPv4 ranges, first match wins; a null reason: globally reachable. */
    private static final List<Range> IPV4_RANGES = List.of(
            range("0.0.0.0/32", "unspecified"),
            range("0.0.0.0/8", "this-network"),
            range("10.0.0.0/8", "private"),
            range("100.64.0.0/10", "shared"),
            range("127.0.0.0/8", "loopback"),
            range("169.254.0.0/16", "link-local"),
            range("172.16.0.0/12", "private"),
            range("192.0.0.9/32", null),          // PCP anycast
            range("192.0.0.10/32", null),         // TURN anycast
            range("192.0.0.0/24", "ietf-protocol"),
            range("192.0.2.0/24", "documentation"),
            range("192.88.99.0/24", "deprecated"), // 6to4 relay anycast
            range("192.168.0.0/16", "private"),
            range("198.18.0.0/15", "benchmarking"),
            range("198.51.100.0/24", "documentation"),
            range("203.0.113.0/24", "documentation"),
            range("224.0.0.0/4", "multicast"),
            range("255.255.255.255/32", "broadcast"),
            range("240.0.0.0/4", "reserved"));

    /** The same for IPv6; the forms that embed an IPv4 address and the space outside 2000::/3 are judged in code. */
    private static final List<Range> IPV6_RANGES = List.of(
            range("::/128", "unspecified"),
            range("::1/128", "loopback"),
            range("64:ff9b:1::/48", "private"),   // local-use IPv4/IPv6 translation
            range("2001:2::/48", "benchmarking"),
            range("2001:1::1/128", null),         // PCP anycast
            range("2001:1::2/128", null),         // TURN anycast
            range("2001:1::3/128", null),         // DNS-SD SRP anycast
            range("2001:3::/32", null),           // AMT
            range("2001:4:112::/48", null),       // AS112
            range("2001:20::/28", null),          // ORCHIDv2
            range("2001:30::/28", null),          // drone remote ID
            range("2001::/23", "ietf-protocol"),  // with Teredo 2001::/32
            range("2001:db8::/32", "documentation"),
            range("3fff::/20", "documentation"),
            range("fc00::/7", "private"),         // unique local
            range("fe80::/10", "link-local"),
            range("fec0::/10", "private"),        // site-local, deprecated
            range("ff00::/8", "multicast"));
    /** IPv4/IPv6 translation (NAT64, RFC 6052) and 6to4 (RFC 3056): dialling them reaches the IPv4 address inside. */
    private static final Range NAT64 = range("64:ff9b::/96", null);
    private static final Range SIX_TO_FOUR = range("2002::/16", null);
    /** Global unicast: the rest of the IPv6 space is reserved by the IETF. */
    private static final Range GLOBAL_UNICAST = range("2000::/3", null);

    private final Set<String> allowed;

    AddressPolicy(String allow) {
        allowed = Arrays.stream(allow == null ? new String[0] : allow.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String a : allowed) {
            if (!ALLOWABLE.contains(a)) {
                throw new IllegalArgumentException("CONNECTIVITY_ALLOW has an unknown range '" + a
                        + "'; choose from " + String.join(", ", ALLOWABLE) + ", or leave it empty");
            }
        }
    }

    /**
     * Parses an IP literal without ever asking DNS: the JDK resolves anything that is not a literal, and these
     * strings come from the network. An IPv4-mapped IPv6 address comes back as its IPv4 address.
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
        byte[] b = ip.getAddress();
        // IPv4-mapped IPv6 (::ffff:0:0/96) arrives here as IPv4: the JDK parses it so, and dials the IPv4 address
        if (b.length == 4) {
            return allowedOrNot(reason(IPV4_RANGES, b));
        }
        // the IPv4 address inside a translation must itself be globally reachable: allowing a range does not
        // extend to its translations, which lead to a relay, not to the operator's own network
        if (NAT64.contains(b)) {
            return reason(IPV4_RANGES, Arrays.copyOfRange(b, 12, 16));
        }
        if (SIX_TO_FOUR.contains(b)) {
            return reason(IPV4_RANGES, Arrays.copyOfRange(b, 2, 6));
        }
        String reason = reason(IPV6_RANGES, b);
        return allowedOrNot(reason == null && !GLOBAL_UNICAST.contains(b) ? "reserved" : reason);
    }

    private String allowedOrNot(String reason) {
        return reason == null || allowed.contains(reason) ? null : reason;
    }

    private static String reason(List<Range> ranges, byte[] b) {
        for (Range r : ranges) {
            if (r.contains(b)) {
                return r.reason();
            }
        }
        return null;
    }

    private static Range range(String cidr, String reason) {
        int slash = cidr.indexOf('/');
        InetAddress prefix = literal(cidr.substring(0, slash));
        return new Range(prefix.getAddress(), Integer.parseInt(cidr.substring(slash + 1)), reason);
    }

    /** An address prefix of {@code bits} bits, and why its addresses are refused (null: they are not). */
    private record Range(byte[] prefix, int bits, String reason) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || ((address[whole] ^ prefix[whole]) & mask) == 0;
        }
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
