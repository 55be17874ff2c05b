package org.bacnetsc.bip;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * The BACnet/IPv4 BVLL codec (Annex J; digest §8): pure functions over bytes, one datagram per message. Decoding
 * never throws. The BVLC Length counts the whole message, header included, and must equal the datagram's length.
 */
public final class BvllCodec {

    /** BVLC Type of BACnet/IPv4. */
    public static final int TYPE = 0x81;
    private static final int HEADER = 4;

    private BvllCodec() {
    }

    /** Decodes one datagram. */
    public static BvllDecodeResult decode(ByteString d) {
        if (d.size() < HEADER) {
            return drop(BvllDecodeResult.Reason.LENGTH, d.size() + " octets, fewer than the 4-octet header");
        }
        int type = d.apply(0) & 0xFF;
        if (type != TYPE) {
            return drop(BvllDecodeResult.Reason.TYPE, String.format("BVLC type 0x%02X (not 0x81)", type));
        }
        int code = d.apply(1) & 0xFF;
        int length = u16(d, 2);
        if (length != d.size()) {
            return drop(BvllDecodeResult.Reason.LENGTH, "BVLC length " + length + " in a datagram of " + d.size()
                    + " octets");
        }
        BvllFunction f = BvllFunction.find(code).orElse(null);
        if (f == null) {
            return drop(BvllDecodeResult.Reason.FUNCTION, String.format("BVLC function 0x%02X", code));
        }
        ByteString data = d.drop(HEADER);
        Bvll b = switch (f) {
            case BVLC_RESULT -> data.size() == 2 ? new Bvll.Result(u16(data, 0)) : null;
            case WRITE_BROADCAST_DISTRIBUTION_TABLE -> bdt(data) == null ? null : new Bvll.WriteBdt(bdt(data));
            case READ_BROADCAST_DISTRIBUTION_TABLE -> data.isEmpty() ? Bvll.ReadBdt.INSTANCE : null;
            case READ_BROADCAST_DISTRIBUTION_TABLE_ACK -> bdt(data) == null ? null : new Bvll.ReadBdtAck(bdt(data));
            case FORWARDED_NPDU -> data.size() >= 6 ? new Bvll.Forwarded(BipAddress.ofMac(data.take(6)),
                    data.drop(6)) : null;
            case REGISTER_FOREIGN_DEVICE -> data.size() == 2 ? new Bvll.RegisterForeignDevice(u16(data, 0)) : null;
            case READ_FOREIGN_DEVICE_TABLE -> data.isEmpty() ? Bvll.ReadFdt.INSTANCE : null;
            case READ_FOREIGN_DEVICE_TABLE_ACK -> fdt(data) == null ? null : new Bvll.ReadFdtAck(fdt(data));
            case DELETE_FOREIGN_DEVICE_TABLE_ENTRY -> data.size() == 6
                    ? new Bvll.DeleteFdtEntry(BipAddress.ofMac(data)) : null;
            case DISTRIBUTE_BROADCAST_TO_NETWORK -> new Bvll.DistributeBroadcast(data);
            case ORIGINAL_UNICAST_NPDU -> new Bvll.OriginalUnicast(data);
            case ORIGINAL_BROADCAST_NPDU -> new Bvll.OriginalBroadcast(data);
            case SECURE_BVLL -> new Bvll.SecureBvll(data);
        };
        return b == null ? drop(BvllDecodeResult.Reason.MALFORMED, f + " with " + data.size() + " octets of data")
                : new BvllDecodeResult.Decoded(b);
    }

    private static BvllDecodeResult drop(BvllDecodeResult.Reason reason, String detail) {
        return new BvllDecodeResult.Dropped(reason, detail);
    }

    private static List<Bvll.BdtEntry> bdt(ByteString data) {
        if (data.size() % 10 != 0) {
            return null;
        }
        List<Bvll.BdtEntry> list = new ArrayList<>();
        for (int i = 0; i < data.size(); i += 10) {
            long mask = (data.apply(i + 6) & 0xFFL) << 24 | (data.apply(i + 7) & 0xFFL) << 16
                    | (data.apply(i + 8) & 0xFFL) << 8 | data.apply(i + 9) & 0xFFL;
            list.add(new Bvll.BdtEntry(BipAddress.ofMac(data.slice(i, i + 6)), mask));
        }
        return list;
    }

    private static List<Bvll.FdtEntry> fdt(ByteString data) {
        if (data.size() % 10 != 0) {
            return null;
        }
        List<Bvll.FdtEntry> list = new ArrayList<>();
        for (int i = 0; i < data.size(); i += 10) {
            list.add(new Bvll.FdtEntry(BipAddress.ofMac(data.slice(i, i + 6)), u16(data, i + 6), u16(data, i + 8)));
        }
        return list;
    }

    private static int u16(ByteString b, int at) {
        return (b.apply(at) & 0xFF) << 8 | b.apply(at + 1) & 0xFF;
    }

    /** Encodes one message as a datagram. */
    public static ByteString encode(Bvll m) {
        ByteStringBuilder data = new ByteStringBuilder();
        if (m instanceof Bvll.Result r) {
            put16(data, r.code());
        } else if (m instanceof Bvll.WriteBdt w) {
            w.entries().forEach(e -> bdt(data, e));
        } else if (m instanceof Bvll.ReadBdtAck a) {
            a.entries().forEach(e -> bdt(data, e));
        } else if (m instanceof Bvll.Forwarded f) {
            data.append(f.origin().mac()).append(f.npdu());
        } else if (m instanceof Bvll.RegisterForeignDevice r) {
            put16(data, r.timeToLive());
        } else if (m instanceof Bvll.ReadFdtAck a) {
            for (Bvll.FdtEntry e : a.entries()) {
                data.append(e.address().mac());
                put16(data, e.timeToLive());
                put16(data, e.secondsRemaining());
            }
        } else if (m instanceof Bvll.DeleteFdtEntry d) {
            data.append(d.address().mac());
        } else if (m instanceof Bvll.DistributeBroadcast d) {
            data.append(d.npdu());
        } else if (m instanceof Bvll.OriginalUnicast u) {
            data.append(u.npdu());
        } else if (m instanceof Bvll.OriginalBroadcast b) {
            data.append(b.npdu());
        } else if (m instanceof Bvll.SecureBvll s) {
            data.append(s.data());
        }
        ByteString body = data.result();
        ByteStringBuilder out = new ByteStringBuilder();
        out.putByte((byte) TYPE).putByte((byte) m.function().code());
        put16(out, HEADER + body.size());
        return out.append(body).result();
    }

    private static void bdt(ByteStringBuilder b, Bvll.BdtEntry e) {
        b.append(e.address().mac());
        long mask = e.mask();
        b.putByte((byte) (mask >> 24)).putByte((byte) (mask >> 16)).putByte((byte) (mask >> 8)).putByte((byte) mask);
    }

    private static void put16(ByteStringBuilder b, int v) {
        b.putByte((byte) (v >> 8)).putByte((byte) v);
    }
}
