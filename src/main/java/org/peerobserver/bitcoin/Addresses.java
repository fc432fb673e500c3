package org.peerobserver.bitcoin;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.peerobserver.proto.primitives.Address;

/** Peer address strings as upstream's metrics tool reads them: networks, subnets, LinkingLion's ranges. */
public final class Addresses {
    /** LinkingLion's ranges, which upstream matches as string prefixes of the host. */
    private static final String[] LINKINGLION = {"162.218.65", "209.222.252", "91.198.115", "2604:d500:4:"};

    private Addresses() {
    }

    public static boolean isLinkingLion(String host) {
        for (String prefix : LINKINGLION) {
            if (host.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The /24 of an IPv4 host ({@code a.b.c.0}), the /64 of an IPv6 host, or the host itself. */
    public static String subnet(String host) {
        return subnet(host, 8);
    }

    /** The /24 of an IPv4 host, the first {@code ipv6Bytes} bytes of an IPv6 host (the rest zero), or the host itself. */
    public static String subnet(String host, int ipv6Bytes) {
        int[] v4 = ipv4(host);
        if (v4 != null) {
            return v4[0] + "." + v4[1] + "." + v4[2] + ".0";
        }
        byte[] v6 = ipv6(host);
        if (v6 == null) {
            return host;
        }
        for (int i = ipv6Bytes; i < 16; i++) {
            v6[i] = 0;
        }
        return AddressText.ipv6(v6, 0);
    }

    /** Upstream's name for the network of an address entry. */
    public static String network(Address a) {
        return switch (a.getAddressCase()) {
            case IPV4 -> "IPv4";
            case IPV6 -> "IPv6";
            case TORV2 -> "TorV2";
            case TORV3 -> "TorV3";
            case I2P -> "I2P";
            case CJDNS -> "CJDNS";
            default -> "Unknown";
        };
    }

    /** The address text of an entry; unknown networks have none. */
    public static String text(Address a) {
        return switch (a.getAddressCase()) {
            case IPV4 -> a.getIpv4();
            case IPV6 -> a.getIpv6();
            case TORV2 -> a.getTorv2();
            case TORV3 -> a.getTorv3();
            case I2P -> a.getI2P();
            case CJDNS -> a.getCjdns();
            default -> "";
        };
    }

    /** The four octets of a dotted quad, or null. */
    public static int[] ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] octets = new int[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            octets[i] = Integer.parseInt(parts[i]);
            if (octets[i] > 255) {
                return null;
            }
        }
        return octets;
    }

    /** The 16 bytes of an IPv6 literal, or null. Only strings with a colon are parsed, so no DNS lookup happens. */
    private static byte[] ipv6(String host) {
        if (host.indexOf(':') < 0 || host.length() > 45 || !host.chars().allMatch(c -> c == ':' || c == '.'
                || Character.digit(c, 16) >= 0)) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            // Java turns ::ffff:a.b.c.d into an IPv4 address; its upper 64 bits are zero
            return a instanceof Inet6Address ? a.getAddress() : new byte[16];
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
