package org.peerobserver.tool.connectivity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The IANA special-purpose registries (IPv4 and IPv6) as a table: the first and last address of every range that is
 * not globally reachable, and its neighbours outside, in IPv4, IPv6, IPv4-mapped, NAT64 and 6to4 forms.
 */
class AddressPolicyTest {
    private static final AddressPolicy STRICT = new AddressPolicy("");
    private static final AddressPolicy LAB = new AddressPolicy("loopback, private ,link-local,shared");
    private static final List<String> ALLOWABLE = List.of("loopback", "private", "link-local", "shared");

    /** First address, last address, reason: the IPv4 special-purpose registry, plus multicast. */
    static Stream<Arguments> ipv4Ranges() {
        return Stream.of(
                Arguments.of("0.0.0.0", "0.0.0.0", "unspecified"),
                Arguments.of("0.0.0.1", "0.255.255.255", "this-network"),
                Arguments.of("10.0.0.0", "10.255.255.255", "private"),
                Arguments.of("100.64.0.0", "100.127.255.255", "shared"),
                Arguments.of("127.0.0.0", "127.255.255.255", "loopback"),
                Arguments.of("169.254.0.0", "169.254.255.255", "link-local"),
                Arguments.of("172.16.0.0", "172.31.255.255", "private"),
                Arguments.of("192.0.0.0", "192.0.0.8", "ietf-protocol"),
                Arguments.of("192.0.0.11", "192.0.0.255", "ietf-protocol"),
                Arguments.of("192.0.2.0", "192.0.2.255", "documentation"),
                Arguments.of("192.88.99.0", "192.88.99.255", "deprecated"),
                Arguments.of("192.168.0.0", "192.168.255.255", "private"),
                Arguments.of("198.18.0.0", "198.19.255.255", "benchmarking"),
                Arguments.of("198.51.100.0", "198.51.100.255", "documentation"),
                Arguments.of("203.0.113.0", "203.0.113.255", "documentation"),
                Arguments.of("224.0.0.0", "239.255.255.255", "multicast"),
                Arguments.of("240.0.0.0", "255.255.255.254", "reserved"),
                Arguments.of("255.255.255.255", "255.255.255.255", "broadcast"));
    }

    /** The same for the IPv6 registry, multicast, and the space outside global unicast 2000::/3. */
    static Stream<Arguments> ipv6Ranges() {
        return Stream.of(
                Arguments.of("::", "::", "unspecified"),
                Arguments.of("::1", "::1", "loopback"),
                Arguments.of("::2", "::fffe:ffff:ffff", "reserved"),   // with the deprecated IPv4-compatible ::a.b.c.d
                Arguments.of("64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "private"),
                Arguments.of("100::", "100::ffff:ffff:ffff:ffff", "reserved"),
                Arguments.of("100:0:0:1::", "100:0:0:1:ffff:ffff:ffff:ffff", "reserved"),
                Arguments.of("2001::", "2001:1::", "ietf-protocol"),   // with Teredo 2001::/32
                Arguments.of("2001:1::4", "2001:1:ffff:ffff:ffff:ffff:ffff:ffff", "ietf-protocol"),
                Arguments.of("2001:2::", "2001:2:0:ffff:ffff:ffff:ffff:ffff", "benchmarking"),
                Arguments.of("2001:2:1::", "2001:2:ffff:ffff:ffff:ffff:ffff:ffff", "ietf-protocol"),
                Arguments.of("2001:4::", "2001:4:111:ffff:ffff:ffff:ffff:ffff", "ietf-protocol"),
                Arguments.of("2001:4:113::", "2001:1f:ffff:ffff:ffff:ffff:ffff:ffff", "ietf-protocol"),
                Arguments.of("2001:40::", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "ietf-protocol"),
                Arguments.of("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "documentation"),
                Arguments.of("3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "documentation"),
                Arguments.of("4000::", "5fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved"),   // with SRv6 5f00::/16
                Arguments.of("8000::", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved"),
                Arguments.of("fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "private"),
                Arguments.of("fe00::", "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved"),
                Arguments.of("fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "link-local"),
                Arguments.of("fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "private"),
                Arguments.of("ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "multicast"));
    }

    private static String refusal(AddressPolicy p, String ip) {
        InetAddress a = AddressPolicy.literal(ip);
        assertNotEquals(null, a, ip);
        return p.refusal(a);
    }

    /** The address {@code delta} away from {@code ip}, in the same family, or null past either end. */
    private static String step(String ip, int delta) {
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            int i = b.length - 1;
            while (i >= 0) {
                int v = (b[i] & 0xff) + delta;
                b[i] = (byte) v;
                if (v >= 0 && v <= 0xff) {
                    return InetAddress.getByAddress(b).getHostAddress();
                }
                i--;
            }
            return null;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(String ipv4, int from) {
        String[] o = ipv4.split("\\.");
        return String.format("%x", Integer.parseInt(o[from]) << 8 | Integer.parseInt(o[from + 1]));
    }

    @ParameterizedTest(name = "{0} to {1}: {2}")
    @MethodSource("ipv4Ranges")
    void everyIpv4RangeIsRefusedInEveryForm(String first, String last, String reason) {
        for (String ip : List.of(first, last)) {
            String nat64 = "64:ff9b::" + ip;
            String sixToFour = "2002:" + hex(ip, 0) + ":" + hex(ip, 2) + "::1";
            for (String form : List.of(ip, "::ffff:" + ip, "::ffff:" + hex(ip, 0) + ":" + hex(ip, 2), nat64, sixToFour)) {
                assertEquals(reason, refusal(STRICT, form), form);
            }
            // an allowed range lets the address through, also IPv4-mapped (the JDK dials the IPv4 address), but not
            // its translations, which lead to a relay somewhere else
            boolean allowable = ALLOWABLE.contains(reason);
            assertEquals(allowable ? null : reason, refusal(LAB, ip), ip);
            assertEquals(allowable ? null : reason, refusal(LAB, "::ffff:" + ip), ip);
            assertEquals(reason, refusal(LAB, nat64), nat64);
            assertEquals(reason, refusal(LAB, sixToFour), sixToFour);
        }
        for (String outside : new String[] {step(first, -1), step(last, 1)}) {
            if (outside != null) {
                assertNotEquals(reason, refusal(STRICT, outside), outside);
            }
        }
    }

    @ParameterizedTest(name = "{0} to {1}: {2}")
    @MethodSource("ipv6Ranges")
    void everyIpv6RangeIsRefused(String first, String last, String reason) {
        for (String ip : List.of(first, last)) {
            assertEquals(reason, refusal(STRICT, ip), ip);
            assertEquals(ALLOWABLE.contains(reason) ? null : reason, refusal(LAB, ip), ip);
        }
        for (String outside : new String[] {step(first, -1), step(last, 1)}) {
            // the neighbours of a range are another range's, or dialable (the reserved space is in several pieces);
            // IPv4-mapped ones are IPv4 to the JDK
            if (outside != null && outside.contains(":") && !reason.equals("reserved")) {
                assertNotEquals(reason, refusal(STRICT, outside), outside);
            }
        }
    }

    @Test
    void globallyReachableAddressesAreDialled() {
        for (String ip : List.of("1.0.0.0", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
                "126.255.255.255", "128.0.0.0", "169.253.255.255", "172.15.255.255", "172.32.0.0", "192.0.0.9", "192.0.0.10",
                "192.0.1.255", "192.0.3.0", "192.31.196.1", "192.52.193.1", "192.175.48.1", "192.167.255.255", "192.169.0.0",
                "198.17.255.255", "198.20.0.0", "223.255.255.255",
                "2000::1", "2001:1::1", "2001:1::2", "2001:1::3", "2001:3::1", "2001:4:112::1", "2001:20::1", "2001:30::1",
                "2001:200::1", "2001:db7:ffff::1", "2001:db9::1", "2620:4f:8000::1", "2a00:1450:4001::1", "3ffe:ffff::1",
                "3fff:1000::1", "64:ff9b::808:808", "64:ff9b::8.8.8.8", "2002:808:808::1", "::ffff:8.8.8.8")) {
            assertNull(refusal(STRICT, ip), ip);
        }
    }

    @Test
    void onlyLiteralsParseSoNothingGoesToDns() {
        assertNull(AddressPolicy.literal("localhost"));
        assertNull(AddressPolicy.literal("example.com"));
        assertNull(AddressPolicy.literal("1.2.3"));
        assertNull(AddressPolicy.literal("1.2.3.256"));
        assertNull(AddressPolicy.literal("1:2:3:4:5:6:7:8:9"));
        assertNull(AddressPolicy.literal(""));
        assertEquals("203.0.113.7", AddressPolicy.literal("203.0.113.7").getHostAddress());
    }

    @Test
    void unknownRangeIsRefusedWithTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AddressPolicy("loopback,multicast"));
        assertEquals("CONNECTIVITY_ALLOW has an unknown range 'multicast'; choose from loopback, private, link-local, shared,"
                + " or leave it empty", e.getMessage());
    }

    @Test
    void torV3KeyBecomesTheOnionNameTorDials() {
        // torproject.org's onion service; its last bytes are a checksum, so a wrong computation cannot match
        String onion = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
        assertEquals(onion, AddressPolicy.onionName(onion.substring(0, 52) + ".onion"));
        assertThrows(IllegalArgumentException.class, () -> AddressPolicy.onionName("abc.onion"));
    }
}
