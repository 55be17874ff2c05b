package org.bacnetsc.bip;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;

/**
 * A BACnet/IP port as a plain node (Annex J; digest §9): sends NPDUs as Original-Unicast-NPDU to a B/IP address and
 * as Original-Broadcast-NPDU to the configured broadcast address, hands received NPDUs to its owner with the source
 * MAC the network layer uses (the UDP source, or the originating address inside a Forwarded-NPDU), drops what it sent
 * itself (the OS loops broadcasts back), answers every BBMD function with its BVLC-Result NAK, ignores acks, results
 * and Secure-BVLL, and counts every drop by reason.
 */
public final class BipPort {

    /** What the port understands. */
    public sealed interface Command permits Bound, BindFailed, Datagram, SendUnicast, SendBroadcast, GetStatus {
    }

    /**
     * An NPDU received on the port.
     *
     * @param npdu      the NPDU
     * @param source    the B/IP address of the node that sent it (its MAC)
     * @param broadcast whether it came as a broadcast (Original-Broadcast-NPDU or Forwarded-NPDU)
     */
    public record Received(ByteString npdu, BipAddress source, boolean broadcast) {
    }

    /** What the owner hears from the port. */
    public sealed interface Event permits Up, Failed, Delivered {
    }

    /** The port is bound. @param address its local B/IP address */
    public record Up(BipAddress address) implements Event {
    }

    /** The port could not bind. @param reason why */
    public record Failed(String reason) implements Event {
    }

    /** An NPDU arrived. @param received it */
    public record Delivered(Received received) implements Event {
    }

    /**
     * Send an NPDU to one node.
     *
     * @param destination its B/IP address
     * @param npdu        the NPDU
     */
    public record SendUnicast(BipAddress destination, ByteString npdu) implements Command {
    }

    /** Broadcast an NPDU on the B/IP network. @param npdu the NPDU */
    public record SendBroadcast(ByteString npdu) implements Command {
    }

    /** Ask for the counters. @param replyTo who gets them */
    public record GetStatus(ActorRef<Status> replyTo) implements Command {
    }

    /**
     * The port's counters.
     *
     * @param address    its local address (null before bound)
     * @param received   NPDUs handed to the owner
     * @param sent       datagrams sent
     * @param naksSent   BVLC-Result NAKs sent for BBMD functions
     * @param ownDropped datagrams from our own address (looped-back broadcasts) dropped
     * @param ignored    results, acks, Secure-BVLL ignored
     * @param malformed  datagrams dropped as malformed, by reason
     * @param foreignDevices foreign devices registered now (BBMD), or -1 when the port is not a BBMD
     * @param registrationsRefused foreign device registrations refused because the FDT was full (BBMD)
     * @param fdt        the Foreign Device Table now (BBMD; empty otherwise)
     */
    public record Status(BipAddress address, long received, long sent, long naksSent, long ownDropped, long ignored,
                         Map<BvllDecodeResult.Reason, Long> malformed, int foreignDevices,
                         long registrationsRefused, java.util.List<Bvll.FdtEntry> fdt) {
    }

    /**
     * The port as a BBMD.
     *
     * @param bdt               the Broadcast Distribution Table (this BBMD's own entry included or not)
     * @param maxForeignDevices the most foreign devices registered at once
     */
    public record BbmdSettings(java.util.List<Bvll.BdtEntry> bdt, int maxForeignDevices) {
        /** Copies the table. */
        public BbmdSettings {
            bdt = java.util.List.copyOf(bdt);
        }
    }

    record Bound(InetSocketAddress local) implements Command {
    }

    record BindFailed(String reason) implements Command {
    }

    record Datagram(ByteString data, InetSocketAddress from) implements Command {
    }

    private final ActorContext<Command> context;
    private final ActorRef<Event> owner;
    private final BipAddress broadcastAddress;
    private final org.apache.pekko.actor.ActorRef socket;
    private final BbmdSettings bbmdSettings;
    private Bbmd bbmd;
    private BipAddress self;
    private long received;
    private long sent;
    private long naksSent;
    private long ownDropped;
    private long ignored;
    private final Map<BvllDecodeResult.Reason, Long> malformed = new EnumMap<>(BvllDecodeResult.Reason.class);

    private BipPort(ActorContext<Command> context, ActorRef<Event> owner, InetSocketAddress bind,
                    BipAddress broadcastAddress, BbmdSettings bbmdSettings) {
        this.context = context;
        context.setLoggerName(BipPort.class);
        this.owner = owner;
        this.broadcastAddress = broadcastAddress;
        this.bbmdSettings = bbmdSettings;
        this.socket = Adapter.actorOf(context, UdpSocket.props(context.getSelf(), bind), "udp");
    }

    /**
     * A port bound to {@code bind} (IPv4), broadcasting to {@code broadcastAddress}; {@code owner} hears
     * {@link Up} or {@link Failed}, then each {@link Delivered}.
     */
    public static Behavior<Command> create(ActorRef<Event> owner, InetSocketAddress bind,
                                           BipAddress broadcastAddress) {
        return create(owner, bind, broadcastAddress, null);
    }

    /** The same as a BBMD ({@code bbmd} non-null): J.4 and J.5 through {@link Bbmd}. */
    public static Behavior<Command> create(ActorRef<Event> owner, InetSocketAddress bind, BipAddress broadcastAddress,
                                           BbmdSettings bbmd) {
        return Behaviors.setup(ctx -> new BipPort(ctx, owner, bind, broadcastAddress, bbmd).binding());
    }

    private Behavior<Command> binding() {
        return Behaviors.receive(Command.class)
                .onMessage(Bound.class, this::onBound)
                .onMessage(BindFailed.class, this::onBindFailed)
                .onMessage(GetStatus.class, this::onGetStatus)
                .build();
    }

    private Behavior<Command> bound() {
        return Behaviors.receive(Command.class)
                .onMessage(Datagram.class, this::onDatagram)
                .onMessage(SendUnicast.class, this::onSendUnicast)
                .onMessage(SendBroadcast.class, this::onSendBroadcast)
                .onMessage(GetStatus.class, this::onGetStatus)
                .build();
    }

    private Behavior<Command> onBound(Bound b) {
        self = BipAddress.of(b.local());
        if (bbmdSettings != null) {
            bbmd = new Bbmd(self, broadcastAddress, bbmdSettings.bdt(), bbmdSettings.maxForeignDevices());
        }
        context.getLog().info("BACnet/IP port bound to {}, broadcasting to {}{}", self, broadcastAddress,
                bbmd == null ? "" : " (BBMD, " + bbmdSettings.bdt().size() + " BDT entries)");
        owner.tell(new Up(self));
        return bound();
    }

    private Behavior<Command> onBindFailed(BindFailed f) {
        context.getLog().warn("BACnet/IP port could not bind: {}", f.reason());
        owner.tell(new Failed(f.reason()));
        return Behaviors.stopped();
    }

    private Behavior<Command> onDatagram(Datagram d) {
        BipAddress from = BipAddress.of(d.from());
        if (from.equals(self)) {
            ownDropped++;
            return Behaviors.same();
        }
        BvllDecodeResult r = BvllCodec.decode(d.data());
        if (r instanceof BvllDecodeResult.Dropped dropped) {
            malformed.merge(dropped.reason(), 1L, Long::sum);
            context.getLog().debug("dropping a datagram from {}: {}", from, dropped.detail());
            return Behaviors.same();
        }
        Bvll m = ((BvllDecodeResult.Decoded) r).bvll();
        if (bbmd != null) {
            if (m instanceof Bvll.Forwarded f && f.origin().equals(self)) {
                ownDropped++;
                return Behaviors.same();
            }
            carryOut(bbmd.received(from, m, java.time.Instant.now()));
            return Behaviors.same();
        }
        if (m instanceof Bvll.OriginalUnicast u) {
            deliver(new Received(u.npdu(), from, false));
        } else if (m instanceof Bvll.OriginalBroadcast b) {
            deliver(new Received(b.npdu(), from, true));
        } else if (m instanceof Bvll.Forwarded f) {
            if (f.origin().equals(self)) {
                ownDropped++;
            } else {
                deliver(new Received(f.npdu(), f.origin(), true));
            }
        } else {
            java.util.Optional<BvllResult> nak = BvllResult.nakFor(m.function());
            if (nak.isPresent()) {
                naksSent++;
                send(from, new Bvll.Result(nak.get()));
            } else {
                ignored++;
            }
        }
        return Behaviors.same();
    }

    private void carryOut(java.util.List<Bbmd.Out> outs) {
        for (Bbmd.Out o : outs) {
            if (o instanceof Bbmd.Deliver d) {
                deliver(new Received(d.npdu(), d.source(), d.broadcast()));
            } else if (o instanceof Bbmd.Send s) {
                if (s.bvll() instanceof Bvll.Result res && res.code() != BvllResult.SUCCESSFUL_COMPLETION.code()) {
                    naksSent++;
                }
                send(s.to(), s.bvll());
            }
        }
    }

    private void deliver(Received r) {
        received++;
        owner.tell(new Delivered(r));
    }

    private Behavior<Command> onSendUnicast(SendUnicast s) {
        send(s.destination(), new Bvll.OriginalUnicast(s.npdu()));
        return Behaviors.same();
    }

    private Behavior<Command> onSendBroadcast(SendBroadcast s) {
        if (bbmd != null) {
            carryOut(bbmd.broadcast(s.npdu(), java.time.Instant.now()));
        } else {
            send(broadcastAddress, new Bvll.OriginalBroadcast(s.npdu()));
        }
        return Behaviors.same();
    }

    private void send(BipAddress to, Bvll m) {
        sent++;
        socket.tell(new UdpSocket.Send(BvllCodec.encode(m), to.socketAddress()),
                org.apache.pekko.actor.ActorRef.noSender());
    }

    private Behavior<Command> onGetStatus(GetStatus g) {
        java.util.List<Bvll.FdtEntry> fdt = bbmd == null ? java.util.List.of() : bbmd.fdt(java.time.Instant.now());
        g.replyTo().tell(new Status(self, received, sent, naksSent, ownDropped, ignored, Map.copyOf(malformed),
                bbmd == null ? -1 : fdt.size(), bbmd == null ? 0 : bbmd.registrationsRefused(), fdt));
        return Behaviors.same();
    }
}
