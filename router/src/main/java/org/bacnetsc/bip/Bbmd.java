package org.bacnetsc.bip;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * A BACnet Broadcast Management Device (Annex J.4, J.5; digest §10) as pure decisions: the Broadcast Distribution
 * Table from configuration, the Foreign Device Table (registration, time-to-live plus 30 s grace, a maximum size),
 * and for each BVLL message received what to send and what to hand to the network layer. Not thread-safe: the port
 * actor owns it.
 */
public final class Bbmd {

    /** Seconds an FDT entry outlives its time-to-live (J.5.2.3). */
    public static final int GRACE_SECONDS = 30;

    /** What the BBMD decides. */
    public sealed interface Out {
    }

    /**
     * Send a BVLL message.
     *
     * @param to  the destination (the B/IP broadcast address for a local broadcast)
     * @param bvll the message
     */
    public record Send(BipAddress to, Bvll bvll) implements Out {
    }

    /**
     * Hand an NPDU to the network layer.
     *
     * @param npdu      the NPDU
     * @param source    the originating node's B/IP address (its MAC)
     * @param broadcast whether it was a broadcast
     */
    public record Deliver(ByteString npdu, BipAddress source, boolean broadcast) implements Out {
    }

    private record Registration(int timeToLive, Instant expires) {
    }

    private final BipAddress self;
    private final BipAddress localBroadcast;
    private final List<Bvll.BdtEntry> bdt;
    private final int maxForeignDevices;
    private final Map<BipAddress, Registration> fdt = new LinkedHashMap<>();
    private long registrationsRefused;

    /**
     * @param self              this BBMD's own address (its BDT entry, if listed, is skipped when forwarding)
     * @param localBroadcast    the B/IP broadcast address of its own network
     * @param bdt               the Broadcast Distribution Table (peer BBMDs and their masks)
     * @param maxForeignDevices the most foreign devices registered at once (beyond: NAK 0x0030)
     */
    public Bbmd(BipAddress self, BipAddress localBroadcast, List<Bvll.BdtEntry> bdt, int maxForeignDevices) {
        if (maxForeignDevices < 0) {
            throw new IllegalArgumentException("maximum foreign devices " + maxForeignDevices + " must not be negative");
        }
        this.self = self;
        this.localBroadcast = localBroadcast;
        this.bdt = List.copyOf(bdt);
        this.maxForeignDevices = maxForeignDevices;
    }

    /** Registrations refused because the FDT was full. */
    public long registrationsRefused() {
        return registrationsRefused;
    }

    /** The FDT as Read-FDT-Ack shows it at {@code now} (expired entries removed first). */
    public List<Bvll.FdtEntry> fdt(Instant now) {
        expire(now);
        List<Bvll.FdtEntry> out = new ArrayList<>();
        fdt.forEach((a, r) -> out.add(new Bvll.FdtEntry(a, r.timeToLive(),
                (int) Math.min(0xFFFF, Math.max(0, Duration.between(now, r.expires()).toSeconds())))));
        return out;
    }

    private void expire(Instant now) {
        fdt.values().removeIf(r -> !r.expires().isAfter(now));
    }

    /** Where a Forwarded-NPDU for a BDT peer goes: its address with the inverted mask OR-ed in (J.4.5). */
    static BipAddress forwardTarget(Bvll.BdtEntry e) {
        return new BipAddress((e.address().ip() | ~e.mask()) & 0xFFFF_FFFFL, e.address().port());
    }

    /** Our own broadcast: on the local network, to every BDT peer and every foreign device. */
    public List<Out> broadcast(ByteString npdu, Instant now) {
        expire(now);
        List<Out> out = new ArrayList<>();
        out.add(new Send(localBroadcast, new Bvll.OriginalBroadcast(npdu)));
        out.addAll(distribute(self, npdu, null));
        return out;
    }

    /** The decisions for one BVLL message from {@code from}. */
    public List<Out> received(BipAddress from, Bvll m, Instant now) {
        expire(now);
        List<Out> out = new ArrayList<>();
        if (m instanceof Bvll.OriginalUnicast u) {
            out.add(new Deliver(u.npdu(), from, false));
        } else if (m instanceof Bvll.OriginalBroadcast b) {
            out.add(new Deliver(b.npdu(), from, true));
            out.addAll(distribute(from, b.npdu(), null));
        } else if (m instanceof Bvll.Forwarded f) {
            out.add(new Deliver(f.npdu(), f.origin(), true));
            Bvll.BdtEntry peer = peer(from);
            if (peer != null) {
                if (peer.mask() == 0xFFFF_FFFFL) {
                    // sent to us alone ("two-hop"): our network hears it from us
                    out.add(new Send(localBroadcast, new Bvll.Forwarded(f.origin(), f.npdu())));
                }
                for (BipAddress fd : fdt.keySet()) {
                    out.add(new Send(fd, new Bvll.Forwarded(f.origin(), f.npdu())));
                }
            }
        } else if (m instanceof Bvll.RegisterForeignDevice r) {
            if (!fdt.containsKey(from) && fdt.size() >= maxForeignDevices) {
                registrationsRefused++;
                out.add(new Send(from, new Bvll.Result(BvllResult.REGISTER_FOREIGN_DEVICE_NAK)));
            } else {
                fdt.put(from, new Registration(r.timeToLive(), now.plusSeconds((long) r.timeToLive()
                        + GRACE_SECONDS)));
                out.add(new Send(from, new Bvll.Result(BvllResult.SUCCESSFUL_COMPLETION)));
            }
        } else if (m == Bvll.ReadFdt.INSTANCE) {
            out.add(new Send(from, new Bvll.ReadFdtAck(fdt(now))));
        } else if (m instanceof Bvll.DeleteFdtEntry d) {
            out.add(new Send(from, new Bvll.Result(fdt.remove(d.address()) != null
                    ? BvllResult.SUCCESSFUL_COMPLETION : BvllResult.DELETE_FOREIGN_DEVICE_TABLE_ENTRY_NAK)));
        } else if (m == Bvll.ReadBdt.INSTANCE) {
            out.add(new Send(from, new Bvll.ReadBdtAck(bdt)));
        } else if (m instanceof Bvll.WriteBdt) {
            // the BDT comes from configuration (the Network Port object), never from the wire [verify]
            out.add(new Send(from, new Bvll.Result(BvllResult.WRITE_BROADCAST_DISTRIBUTION_TABLE_NAK)));
        } else if (m instanceof Bvll.DistributeBroadcast d) {
            if (!fdt.containsKey(from)) {
                out.add(new Send(from, new Bvll.Result(BvllResult.DISTRIBUTE_BROADCAST_TO_NETWORK_NAK)));
            } else {
                out.add(new Deliver(d.npdu(), from, true));
                out.add(new Send(localBroadcast, new Bvll.Forwarded(from, d.npdu())));
                out.addAll(distribute(from, d.npdu(), from));
            }
        }
        // BVLC-Result, the acks and Secure-BVLL: nothing to do
        return out;
    }

    /** Forwarded-NPDU of {@code origin}'s broadcast to every BDT peer and every foreign device but {@code skip}. */
    private List<Out> distribute(BipAddress origin, ByteString npdu, BipAddress skip) {
        List<Out> out = new ArrayList<>();
        for (Bvll.BdtEntry e : bdt) {
            if (!e.address().equals(self)) {
                out.add(new Send(forwardTarget(e), new Bvll.Forwarded(origin, npdu)));
            }
        }
        for (BipAddress fd : fdt.keySet()) {
            if (!fd.equals(skip)) {
                out.add(new Send(fd, new Bvll.Forwarded(origin, npdu)));
            }
        }
        return out;
    }

    private Bvll.BdtEntry peer(BipAddress from) {
        for (Bvll.BdtEntry e : bdt) {
            if (e.address().equals(from) && !from.equals(self)) {
                return e;
            }
        }
        return null;
    }
}
