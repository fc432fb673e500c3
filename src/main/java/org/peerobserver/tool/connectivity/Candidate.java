package org.peerobserver.tool.connectivity;

/**
 * One announced address to check, with what upstream's CSV says about where it came from.
 *
 * @param display     the address as upstream prints it, e.g. {@code IPv4(1.2.3.4)}
 * @param host        what we dial: an IP literal, or an onion/I2P name handed to the proxy
 * @param network     {@code IPv4}, {@code IPv6}, {@code TorV3} or {@code I2P}
 * @param addrVersion {@code addr} or {@code addrv2}
 * @param receivedSeconds when the message was received (the event's timestamp), in seconds
 */
public record Candidate(String display, String host, int port, long services, long addrTimestamp, String network,
                        String addrVersion, String sourceIp, long sourceId, long receivedSeconds) {

    /** The cache's key: the address as dialled (one address written two ways is one key), and the port. */
    String cacheKey() {
        return host + "--" + port;
    }

    boolean viaProxy() {
        return network.equals(AddressPolicy.TOR) || network.equals(AddressPolicy.I2P);
    }
}
