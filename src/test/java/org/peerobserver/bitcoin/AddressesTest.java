package org.peerobserver.bitcoin;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.peerobserver.support.HostPort;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Host parsing and the LinkingLion match give what the first, plainer code gave, for any input. */
class AddressesTest {
    /** The code before the IPv4 fast path, as the reference. */
    private static String plainHost(String addr) {
        int colon = addr.lastIndexOf(':');
        String host = colon < 0 ? addr : addr.substring(0, colon);
        return host.replace("[", "").replace("]", "");
    }

    private static boolean plainLinkingLion(String host) {
        return List.of("162.218.65", "209.222.252", "91.198.115", "2604:d500:4:").stream().anyMatch(host::startsWith);
    }

    @Test
    void oddAndRandomAddressesParseAsBefore() {
        List<String> inputs = new ArrayList<>(List.of("1.2.3.4:8333", "162.218.65.7:8333", "[2001:db8::7]:8333",
                "[2604:d500:4:1::2]:8333", "2604:d500:4:1::2", "[2604:d500:4:]", "abc.onion:8333",
                "ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.b32.i2p:0", "", ":", "[", "]", "[]:", "::",
                "1.2.3.4", "1.2.3.4:", "[1.2.3.4]:80", "1.2.[3].4:80", "]:[", "162.218.65", "91.198.115:x", "émoji:☃"));
        Random random = new Random(7);
        String alphabet = "[]:.0123456789abcdef2604d5";
        for (int i = 0; i < 5000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            inputs.add(s.toString());
        }
        for (String addr : inputs) {
            String host = HostPort.host(addr);
            assertEquals(plainHost(addr), host, addr);
            assertEquals(plainLinkingLion(host), Addresses.isLinkingLion(host), addr);
            assertEquals(plainLinkingLion(addr), Addresses.isLinkingLion(addr), addr);
        }
    }
}
