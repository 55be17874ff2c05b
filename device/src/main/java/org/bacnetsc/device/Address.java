package org.bacnetsc.device;

import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Vmac;

/**
 * Where a BACnet device is: a MAC on our own network, or a network number and a MAC on it reached through the router
 * whose MAC is {@code mac}.
 *
 * @param mac     the data link MAC to send to: the device's on our network, else its router's
 * @param network the device's network when it is another one, else null
 * @param adr     the device's MAC on {@code network} (DADR), or null when local
 */
public record Address(ByteString mac, Integer network, ByteString adr) {

    /** Validates the combination. */
    public Address {
        if (mac == null || (network == null) != (adr == null)) {
            throw new IllegalArgumentException("a MAC, and a network number with an address on it or neither");
        }
        if (network != null && (network < 1 || network > 65534 || adr.isEmpty())) {
            throw new IllegalArgumentException("network 1-65534 with a non-empty address, got " + network);
        }
    }

    /** A device on our own network. */
    public static Address local(ByteString mac) {
        return new Address(mac, null, null);
    }

    /** A device on our own SC network. */
    public static Address of(Vmac vmac) {
        return local(ByteString.fromArrayUnsafe(vmac.toBytes()));
    }

    /** A device on network {@code network} at {@code adr}, through the router at {@code router}. */
    public static Address remote(ByteString router, int network, ByteString adr) {
        return new Address(router, network, adr);
    }

    /** Whether the device is on another network. */
    public boolean remote() {
        return network != null;
    }

    @Override
    public String toString() {
        return remote() ? network + ":" + hex(adr) + " via " + hex(mac) : hex(mac);
    }

    private static String hex(ByteString b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.size(); i++) {
            s.append(String.format("%02X", b.apply(i) & 0xFF));
        }
        return s.toString();
    }
}
