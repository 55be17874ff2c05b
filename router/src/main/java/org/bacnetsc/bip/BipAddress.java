package org.bacnetsc.bip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.apache.pekko.util.ByteString;

/**
 * A BACnet/IP address: IPv4 address and UDP port, which is also the node's 6-octet MAC (digest §3): the four address
 * octets then the port, most significant first.
 *
 * @param ip   the IPv4 address as an unsigned 32-bit value
 * @param port the UDP port
 */
public record BipAddress(long ip, int port) {

    /** The default BACnet/IP UDP port, 0xBAC0. */
    public static final int DEFAULT_PORT = 47808;

    /** Validates. */
    public BipAddress {
        if (ip < 0 || ip > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("IPv4 address out of range: " + ip);
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("UDP port out of range: " + port);
        }
    }

    /** From the 6 MAC octets. */
    public static BipAddress ofMac(ByteString mac) {
        if (mac.size() != 6) {
            throw new IllegalArgumentException("a BACnet/IP MAC has 6 octets, not " + mac.size());
        }
        long ip = 0;
        for (int i = 0; i < 4; i++) {
            ip = ip << 8 | mac.apply(i) & 0xFF;
        }
        return new BipAddress(ip, (mac.apply(4) & 0xFF) << 8 | mac.apply(5) & 0xFF);
    }

    /** From a socket address (IPv4 only). */
    public static BipAddress of(InetSocketAddress a) {
        if (!(a.getAddress() instanceof Inet4Address v4)) {
            throw new IllegalArgumentException("BACnet/IP (Annex J) is IPv4: " + a);
        }
        byte[] b = v4.getAddress();
        long ip = (b[0] & 0xFFL) << 24 | (b[1] & 0xFFL) << 16 | (b[2] & 0xFFL) << 8 | b[3] & 0xFFL;
        return new BipAddress(ip, a.getPort());
    }

    /** Parses "a.b.c.d:port" (port optional: 47808). */
    public static BipAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? text : text.substring(0, colon);
        int port = colon < 0 ? DEFAULT_PORT : Integer.parseInt(text.substring(colon + 1));
        String[] parts = host.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + host);
        }
        long ip = 0;
        for (String p : parts) {
            int v = Integer.parseInt(p);
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + host);
            }
            ip = ip << 8 | v;
        }
        return new BipAddress(ip, port);
    }

    /** The 6 MAC octets. */
    public ByteString mac() {
        return ByteString.fromArray(new byte[] {(byte) (ip >> 24), (byte) (ip >> 16), (byte) (ip >> 8), (byte) ip,
            (byte) (port >> 8), (byte) port});
    }

    /** As a socket address. */
    public InetSocketAddress socketAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) (ip >> 24), (byte) (ip >> 16),
                (byte) (ip >> 8), (byte) ip}), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return (ip >> 24 & 0xFF) + "." + (ip >> 16 & 0xFF) + "." + (ip >> 8 & 0xFF) + "." + (ip & 0xFF) + ":" + port;
    }
}
