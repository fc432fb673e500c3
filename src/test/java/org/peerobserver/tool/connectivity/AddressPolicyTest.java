package org.peerobserver.tool.connectivity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AddressPolicyTest {
    private final AddressPolicy strict = new AddressPolicy("");

    private String refusal(AddressPolicy p, String ip) {
        return p.refusal(AddressPolicy.literal(ip));
    }

    @Test
    void refusesLocalRangesUnlessAllowed() {
        assertEquals("loopback", refusal(strict, "127.0.0.1"));
        assertEquals("loopback", refusal(strict, "::1"));
        assertEquals("private", refusal(strict, "10.0.0.1"));
        assertEquals("private", refusal(strict, "172.31.255.255"));
        assertEquals("private", refusal(strict, "192.168.0.1"));
        assertEquals("private", refusal(strict, "100.64.0.1"));
        assertEquals("private", refusal(strict, "0.0.0.0"));
        assertEquals("private", refusal(strict, "255.255.255.255"));
        assertEquals("private", refusal(strict, "fd00::1"));
        assertEquals("private", refusal(strict, "::"));
        assertEquals("link-local", refusal(strict, "169.254.1.1"));
        assertEquals("link-local", refusal(strict, "fe80::1"));
        assertEquals("multicast", refusal(strict, "239.1.2.3"));
        assertEquals("multicast", refusal(strict, "ff02::1"));
        // an IPv4-mapped IPv6 address is judged by its IPv4 address
        assertEquals("private", refusal(strict, "::ffff:10.0.0.1"));
        assertNull(refusal(strict, "172.32.0.1"));
        assertNull(refusal(strict, "203.0.113.7"));
        assertNull(refusal(strict, "2001:db8::7"));

        AddressPolicy loopback = new AddressPolicy("loopback, link-local");
        assertNull(refusal(loopback, "127.0.0.1"));
        assertNull(refusal(loopback, "fe80::1"));
        assertEquals("private", refusal(loopback, "10.0.0.1"));
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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AddressPolicy("loopback,lan"));
        assertEquals("CONNECTIVITY_ALLOW has an unknown range 'lan'; choose from loopback, private, link-local, multicast,"
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
