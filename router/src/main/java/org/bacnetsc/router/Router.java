package org.bacnetsc.router;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.bip.BipAddress;
import org.bacnetsc.bip.BipPort;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.network.NetworkMessage;
import org.bacnetsc.network.Npdu;
import org.bacnetsc.network.NpduCodec;
import org.bacnetsc.network.NpduDecodeResult;
import org.bacnetsc.node.NodeStatus;
import org.bacnetsc.node.ReceivedNpdu;

/**
 * A BACnet router between one BACnet/IP port and one BACnet/SC port (Clause 6; digest §4, §6): it supervises the
 * {@link BipPort} child, uses an {@link org.bacnetsc.node.ScNode} (its hub connector) as the SC port, and carries out the decisions of
 * {@link RoutingCore}: forwarding with the address rewrites, I-Am-Router-To-Network on every port once both are up,
 * unknown networks held (bounded) while Who-Is-Router-To-Network asks and rejected with reason 1 after the discovery
 * timeout, forwarded broadcasts limited per port and second. Every drop is counted by reason.
 */
public final class Router {

    /** The BACnet/IP port's id in the routing table. */
    public static final int BIP_PORT = 1;
    /** The BACnet/SC port's id in the routing table. */
    public static final int SC_PORT = 2;

    /** What the router understands. */
    public sealed interface Command permits GetStatus, AttachApplication, FromApplication, FromBip, FromSc, ScStatus,
            DiscoveryTimeout, BroadcastWindow, ScSendFailed, StatusWithPort, Stop {
    }

    /**
     * The router's settings.
     *
     * @param bipNetwork           the BACnet/IP network number
     * @param bipBind              where the BACnet/IP port binds (IPv4)
     * @param bipBroadcast         the BACnet/IP broadcast address
     * @param bbmd                 the port's BBMD settings, or null for a plain node
     * @param scNetwork            the BACnet/SC network number
     * @param discoveryTimeout     how long an NPDU for an unknown network is held
     * @param maxHeld              NPDUs held for discovery at most (all networks together)
     * @param broadcastsPerSecond  forwarded broadcasts per second at most, per destination port
     */
    public record Settings(int bipNetwork, InetSocketAddress bipBind, BipAddress bipBroadcast,
                           BipPort.BbmdSettings bbmd, int scNetwork, Duration discoveryTimeout, int maxHeld,
                           int broadcastsPerSecond) {
        /**
         * Reads {@code bacnet-sc.router}.
         *
         * @throws IllegalArgumentException naming the key and the value when one is invalid
         */
        public static Settings fromConfig(com.typesafe.config.Config root) {
            String path = "bacnet-sc.router.";
            try {
                com.typesafe.config.Config c = root.getConfig("bacnet-sc.router");
                BipAddress bind;
                try {
                    bind = BipAddress.parse(c.getString("bip-bind"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(path + "bip-bind = \"" + c.getString("bip-bind")
                            + "\": expected IPv4 host:port", e);
                }
                BipAddress broadcast;
                String b = c.getString("bip-broadcast").trim();
                try {
                    broadcast = b.isEmpty() ? new BipAddress(bind.ip() | 0xFF, bind.port()) : BipAddress.parse(
                            b.contains(":") ? b : b + ":" + bind.port());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(path + "bip-broadcast = \"" + b + "\": expected IPv4 host[:port]",
                            e);
                }
                BipPort.BbmdSettings bbmd = null;
                if (c.getBoolean("bbmd")) {
                    List<org.bacnetsc.bip.Bvll.BdtEntry> bdt = new ArrayList<>();
                    for (String e : c.getStringList("bdt")) {
                        try {
                            bdt.add(new org.bacnetsc.bip.Bvll.BdtEntry(BipAddress.parse(e), 0xFFFF_FFFFL));
                        } catch (IllegalArgumentException x) {
                            throw new IllegalArgumentException(path + "bdt: \"" + e + "\" is not IPv4 host:port", x);
                        }
                    }
                    bbmd = new BipPort.BbmdSettings(bdt, c.getInt("max-foreign-devices"));
                }
                return new Settings(c.getInt("bip-network"), bind.socketAddress(), broadcast, bbmd,
                        c.getInt("sc-network"), c.getDuration("discovery-timeout"), c.getInt("max-held"),
                        c.getInt("broadcasts-per-second"));
            } catch (com.typesafe.config.ConfigException e) {
                throw new IllegalArgumentException("bacnet-sc.router: " + e.getMessage(), e);
            }
        }

        /** Validates, naming the setting. */
        public Settings {
            if (bipNetwork == scNetwork) {
                throw new IllegalArgumentException("bacnet-sc.router.bip-network and sc-network are both " + bipNetwork
                        + ": two ports cannot carry the same network number");
            }
            for (int n : new int[] {bipNetwork, scNetwork}) {
                if (n < 1 || n > 65534) {
                    throw new IllegalArgumentException("bacnet-sc.router network number " + n + " is not 1-65534");
                }
            }
            if (maxHeld < 0 || broadcastsPerSecond < 1) {
                throw new IllegalArgumentException("bacnet-sc.router.max-held (" + maxHeld + ") must not be negative "
                        + "and broadcasts-per-second (" + broadcastsPerSecond + ") must be at least 1");
            }
        }
    }

    /**
     * The router's counters.
     *
     * @param up        whether both ports are up and routing
     * @param bipAddress the BACnet/IP port's address, or null before bound
     * @param scVmac    the SC port's VMAC, or null before connected
     * @param forwarded NPDUs sent, by port id
     * @param drops     NPDUs dropped, by reason
     * @param held      NPDUs held for discovery now
     * @param routes    networks reachable through each port, by port id
     * @param table     the routing table
     * @param broadcasts broadcasts sent (local, remote or global), by port id
     * @param toApplication   APDUs from the BACnet/IP side handed to the router's own application entity
     * @param fromApplication NPDUs its application entity sent through the router
     * @param bip       the BACnet/IP port's own status (FDT included), or null when it did not answer in time
     * @param sc        the SC port's last status, or null before it reported
     * @param announcements times the router announced itself on its ports (at start, and each time the SC port's
     *                      hub connection came back)
     */
    public record Status(boolean up, BipAddress bipAddress, Vmac scVmac, Map<Integer, Long> forwarded,
                         Map<String, Long> drops, int held, Map<Integer, List<Integer>> routes,
                         List<RoutingCore.TableEntry> table, Map<Integer, Long> broadcasts, long toApplication,
                         long fromApplication, BipPort.Status bip, NodeStatus sc, long announcements) {
    }

    /** Ask for the status. @param replyTo who gets it */
    public record GetStatus(ActorRef<Status> replyTo) implements Command {
    }

    /**
     * An APDU for the router's own application entity (its Device object, which lives on the SC network) that came
     * from the BACnet/IP side, with SNET/SADR naming its sender: answer it with {@link FromApplication}. APDUs from
     * the SC network reach that application through the SC node itself.
     *
     * @param npdu the encoded NPDU
     */
    public record ForApplication(org.apache.pekko.util.ByteString npdu) {
    }

    /**
     * Sends the router's own APDUs from the BACnet/IP side to {@code to} from now on (one application at a time).
     *
     * @param to the application entity
     */
    public record AttachApplication(ActorRef<ForApplication> to) implements Command {
    }

    /**
     * An NPDU from the router's own application entity for another network (a DNET: an answer to
     * {@link ForApplication}, a remote or a global broadcast): routed as if its SC port had sent it.
     *
     * @param npdu the encoded NPDU
     */
    public record FromApplication(org.apache.pekko.util.ByteString npdu) implements Command {
    }

    /**
     * Stops routing and closes the BACnet/IP port (the SC node is the caller's).
     *
     * @param replyTo told once the router stops
     */
    public record Stop(ActorRef<org.apache.pekko.Done> replyTo) implements Command {
    }

    private record StatusWithPort(ActorRef<Status> replyTo, BipPort.Status port) implements Command {
    }

    private record FromBip(BipPort.Event event) implements Command {
    }

    private record FromSc(ReceivedNpdu npdu) implements Command {
    }

    private record ScStatus(NodeStatus status) implements Command {
    }

    private record DiscoveryTimeout(int dnet) implements Command {
    }

    private record ScSendFailed(String reason) implements Command {
    }

    private enum BroadcastWindow implements Command {
        INSTANCE
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final Settings settings;
    private final ScPort sc;
    private final ActorRef<BipPort.Command> bip;
    private BipAddress bipSelf;
    private Vmac scSelf;
    private boolean scConnected;
    private RoutingCore core;
    private final Map<Integer, Deque<RouteAction.Hold>> held = new HashMap<>();
    private int heldCount;
    private final Map<Integer, Long> forwarded = new TreeMap<>();
    private final Map<String, Long> drops = new TreeMap<>();
    private final Map<Integer, Integer> broadcastsThisSecond = new HashMap<>();
    private final Map<Integer, Long> broadcasts = new TreeMap<>();
    private ActorRef<ForApplication> application;
    private long toApplication;
    private long fromApplication;
    private NodeStatus scStatus;
    private long announcements;

    private Router(ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings, ScPort sc) {
        this.context = context;
        context.setLoggerName(Router.class);
        this.timers = timers;
        this.settings = settings;
        this.sc = sc;
        this.bip = context.spawn(BipPort.create(context.messageAdapter(BipPort.Event.class, FromBip::new),
                settings.bipBind(), settings.bipBroadcast(), settings.bbmd()), "bip");
        sc.subscribe(context.messageAdapter(ReceivedNpdu.class, FromSc::new));
        sc.subscribeStatus(context.messageAdapter(NodeStatus.class, ScStatus::new));
        timers.startTimerAtFixedRate(BroadcastWindow.INSTANCE, Duration.ofSeconds(1));
    }

    /** A router over {@code sc} (started by the caller; {@link ScPort#of} an SC node) and a BACnet/IP port it binds. */
    public static Behavior<Command> create(Settings settings, ScPort sc) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Router(ctx, timers, settings, sc)
                .running()));
    }

    private Behavior<Command> running() {
        return Behaviors.receive(Command.class)
                .onMessage(FromBip.class, m -> onBip(m.event()))
                .onMessage(FromSc.class, m -> onSc(m.npdu()))
                .onMessage(ScStatus.class, m -> onScStatus(m.status()))
                .onMessage(DiscoveryTimeout.class, m -> onDiscoveryTimeout(m.dnet()))
                .onMessageEquals(BroadcastWindow.INSTANCE, this::onBroadcastWindow)
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessage(StatusWithPort.class, this::onStatusWithPort)
                .onMessage(AttachApplication.class, this::onAttachApplication)
                .onMessage(Stop.class, this::onStop)
                .onMessage(FromApplication.class, m -> onFromApplication(m.npdu()))
                .onMessage(ScSendFailed.class, m -> {
                    count("sc_send_failed");
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Command> onBip(BipPort.Event e) {
        if (e instanceof BipPort.Up up) {
            bipSelf = up.address();
            maybeStart();
        } else if (e instanceof BipPort.Failed f) {
            context.getLog().error("router: the BACnet/IP port failed: {}", f.reason());
            return Behaviors.stopped();
        } else if (e instanceof BipPort.Delivered d) {
            inbound(BIP_PORT, d.received().source().mac(), d.received().npdu(), d.received().broadcast());
        }
        return Behaviors.same();
    }

    private Behavior<Command> onSc(ReceivedNpdu r) {
        inbound(SC_PORT, ByteString.fromArray(r.source().toBytes()), r.npdu(), r.broadcast());
        return Behaviors.same();
    }

    private Behavior<Command> onStop(Stop s) {
        context.getLog().info("router stopping: {} NPDUs held for discovery dropped", heldCount);
        s.replyTo().tell(org.apache.pekko.Done.done());
        return Behaviors.stopped();
    }

    private Behavior<Command> onAttachApplication(AttachApplication a) {
        application = a.to();
        return Behaviors.same();
    }

    private Behavior<Command> onFromApplication(ByteString bytes) {
        if (core == null) {
            count("port_not_ready");
            return Behaviors.same();
        }
        NpduDecodeResult r = NpduCodec.decode(bytes);
        if (!(r instanceof NpduDecodeResult.Decoded d) || !d.npdu().hasDestination()) {
            count("application_npdu_without_dnet");
            return Behaviors.same();
        }
        fromApplication++;
        // as if it had arrived at the SC port from the router's own VMAC: routed onward, never delivered back
        for (RouteAction a : core.received(SC_PORT, ByteString.fromArray(scSelf.toBytes()), d.npdu(), false)) {
            if (!(a instanceof RouteAction.Deliver)) {
                carryOut(List.of(a), false);
            }
        }
        return Behaviors.same();
    }

    private Behavior<Command> onScStatus(NodeStatus s) {
        scStatus = s;
        if (s.connected() && !scConnected) {
            scConnected = true;
            if (core != null && !s.vmac().equals(scSelf)) {
                core = null; // a new VMAC (the hub reported a duplicate): the table starts again with it
            }
            scSelf = s.vmac();
            // once up, and again each time the hub connection comes back (digest §6.2)
            maybeStart();
        } else if (!s.connected()) {
            scConnected = false;
        }
        return Behaviors.same();
    }

    private void maybeStart() {
        if (bipSelf == null || scSelf == null) {
            return;
        }
        if (core == null) {
            core = new RoutingCore(Map.of(BIP_PORT, settings.bipNetwork(), SC_PORT, settings.scNetwork()),
                    Map.of(BIP_PORT, bipSelf.mac(), SC_PORT, ByteString.fromArray(scSelf.toBytes())));
            context.getLog().info("router up: network {} on BACnet/IP {}, network {} on BACnet/SC as {}",
                    settings.bipNetwork(), bipSelf, settings.scNetwork(), scSelf);
        }
        announcements++;
        carryOut(core.startup(), false);
    }

    private void inbound(int port, ByteString mac, ByteString bytes, boolean broadcast) {
        if (core == null) {
            count("port_not_ready");
            return;
        }
        NpduDecodeResult r = NpduCodec.decode(bytes);
        if (r instanceof NpduDecodeResult.Dropped d) {
            count("malformed_" + d.reason().name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        Npdu npdu = ((NpduDecodeResult.Decoded) r).npdu();
        carryOut(core.received(port, mac, npdu, broadcast), true);
        if (npdu.isNetworkMessage() && npdu.message() instanceof NetworkMessage.IAmRouterToNetwork i) {
            release(i.dnets());
        }
    }

    private void carryOut(List<RouteAction> actions, boolean limited) {
        for (RouteAction a : actions) {
            if (a instanceof RouteAction.Send s) {
                send(s, limited);
            } else if (a instanceof RouteAction.Hold h) {
                hold(h);
            } else if (a instanceof RouteAction.Drop d) {
                count(d.reason());
            } else if (a instanceof RouteAction.Deliver d) {
                deliver(d);
            }
        }
    }

    /** APDUs from the BACnet/IP side go to the router's application; the SC node hands it the SC side's itself. */
    private void deliver(RouteAction.Deliver d) {
        if (d.port() != BIP_PORT || d.npdu().isNetworkMessage()) {
            return;
        }
        if (application == null) {
            count("no_application");
            return;
        }
        Npdu npdu = d.npdu().hasSource() ? d.npdu() : d.npdu().withSource(settings.bipNetwork(), d.sourceMac());
        toApplication++;
        application.tell(new ForApplication(NpduCodec.encode(npdu)));
    }

    private void send(RouteAction.Send s, boolean limited) {
        if (limited && s.mac() == null) {
            int n = broadcastsThisSecond.merge(s.port(), 1, Integer::sum);
            if (n > settings.broadcastsPerSecond()) {
                count("broadcast_rate_port_" + s.port());
                return;
            }
        }
        ByteString bytes = NpduCodec.encode(s.npdu());
        forwarded.merge(s.port(), 1L, Long::sum);
        if (s.mac() == null) {
            broadcasts.merge(s.port(), 1L, Long::sum);
        }
        if (s.port() == BIP_PORT) {
            bip.tell(s.mac() == null ? new BipPort.SendBroadcast(bytes)
                    : new BipPort.SendUnicast(BipAddress.ofMac(s.mac()), bytes));
        } else {
            (s.mac() == null ? sc.broadcast(bytes) : sc.send(Vmac.of(s.mac().toArray()), bytes))
                    .whenComplete((d, t) -> {
                        if (t != null) {
                            context.getSelf().tell(new ScSendFailed(String.valueOf(t.getMessage())));
                        }
                    });
        }
    }

    private void hold(RouteAction.Hold h) {
        if (heldCount >= settings.maxHeld()) {
            count("discovery_queue_full");
            return;
        }
        Deque<RouteAction.Hold> q = held.computeIfAbsent(h.dnet(), d -> new ArrayDeque<>());
        boolean first = q.isEmpty();
        q.addLast(h);
        heldCount++;
        if (first) {
            List<RouteAction> ask = new ArrayList<>();
            for (int port : List.of(BIP_PORT, SC_PORT)) {
                if (port != h.port()) {
                    ask.add(new RouteAction.Send(port, null, Npdu.local(
                            new NetworkMessage.WhoIsRouterToNetwork(h.dnet()))));
                }
            }
            carryOut(ask, false);
            timers.startSingleTimer(h.dnet(), new DiscoveryTimeout(h.dnet()), settings.discoveryTimeout());
        }
    }

    private void release(List<Integer> dnets) {
        for (int dnet : dnets) {
            Deque<RouteAction.Hold> q = held.remove(dnet);
            if (q != null && core.route(dnet) != null) {
                timers.cancel(dnet);
                heldCount -= q.size();
                for (RouteAction.Hold h : q) {
                    carryOut(core.received(h.port(), h.sourceMac(), h.npdu(), h.npdu().dadr().isEmpty()), true);
                }
            } else if (q != null) {
                held.put(dnet, q);
            }
        }
    }

    private Behavior<Command> onDiscoveryTimeout(int dnet) {
        Deque<RouteAction.Hold> q = held.remove(dnet);
        if (q != null) {
            heldCount -= q.size();
            for (RouteAction.Hold h : q) {
                count("unknown_network");
                carryOut(core.unreachable(h), false);
            }
        }
        return Behaviors.same();
    }

    private Behavior<Command> onBroadcastWindow() {
        broadcastsThisSecond.clear();
        return Behaviors.same();
    }

    private void count(String reason) {
        drops.merge(reason, 1L, Long::sum);
    }

    private Behavior<Command> onGetStatus(GetStatus g) {
        context.ask(BipPort.Status.class, bip, Duration.ofSeconds(2), BipPort.GetStatus::new,
                (s, failure) -> new StatusWithPort(g.replyTo(), s));
        return Behaviors.same();
    }

    private Behavior<Command> onStatusWithPort(StatusWithPort m) {
        Map<Integer, List<Integer>> routes = new TreeMap<>();
        if (core != null) {
            routes.put(BIP_PORT, core.reachableExcept(SC_PORT));
            routes.put(SC_PORT, core.reachableExcept(BIP_PORT));
        }
        m.replyTo().tell(new Status(core != null, bipSelf, scSelf, Map.copyOf(forwarded), Map.copyOf(drops),
                heldCount, routes, core == null ? List.of() : core.table(), Map.copyOf(broadcasts), toApplication,
                fromApplication, m.port(), scStatus, announcements));
        return Behaviors.same();
    }
}
