package org.bacnetsc.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.ddata.ORMultiMap;
import org.apache.pekko.cluster.ddata.ORMultiMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.hub.Hub;

/**
 * Keeps one member's part of the clustered hub's directory (digest §9 rules, cluster-wide): replicates this member's
 * VMAC claims with Distributed Data (an {@code ORMultiMap} VMAC to claims), publishes every member's claims and
 * routers (Receptionist) to the {@link ClusterDirectory}, resolves conflicts deterministically, and removes the
 * claims of members that leave or are downed.
 *
 * <p>Conflicts, decided the same way on every member from the replicated claims: a VMAC claimed for two devices
 * belongs to the earlier admission (ties: the lower member address), and the loser's member disconnects its node
 * (which then reconnects and is NAKed NODE_DUPLICATE_VMAC); a device claimed on two members belongs to the later
 * admission (it moved), and the older member disconnects its stale connection.
 */
public final class ClusterKeeper {

    /** What the keeper understands. */
    public sealed interface Command permits ClaimVmac, ReleaseVmac, Changed, Updated, RoutersChanged,
            MemberRemoved, Reconcile {
    }

    /**
     * This member admitted {@code uuid} with {@code vmac}.
     *
     * @param vmac the VMAC
     * @param uuid the device
     */
    public record ClaimVmac(Vmac vmac, DeviceUuid uuid) implements Command {
    }

    /**
     * This member's connection of {@code uuid} with {@code vmac} ended.
     *
     * @param vmac the VMAC
     * @param uuid the device
     */
    public record ReleaseVmac(Vmac vmac, DeviceUuid uuid) implements Command {
    }

    private record Changed(Replicator.SubscribeResponse<ORMultiMap<String, String>> response) implements Command {
    }

    private record Updated(Replicator.UpdateResponse<ORMultiMap<String, String>> response) implements Command {
    }

    private record RoutersChanged(Receptionist.Listing listing) implements Command {
    }

    private record MemberRemoved(ClusterEvent.MemberRemoved event) implements Command {
    }

    private enum Reconcile implements Command {
        INSTANCE
    }

    /**
     * How often the replicated claims are checked against what this member holds: a claim of ours that we no longer
     * hold, or one of a member no longer in the cluster, is removed. Concurrent updates of one VMAC's entry (a release
     * here, a claim there, a departed member's entries dropped everywhere) can leave such a claim behind.
     */
    static final java.time.Duration RECONCILE_EVERY = java.time.Duration.ofSeconds(2);

    static final org.apache.pekko.cluster.ddata.Key<ORMultiMap<String, String>> KEY =
            ORMultiMapKey.create("bacnet-sc-hub-vmacs");

    private final ActorContext<Command> context;
    private final ReplicatorMessageAdapter<Command, ORMultiMap<String, String>> replicator;
    private final ClusterDirectory directory;
    private final ActorRef<Hub.Command> hub;
    private final SelfUniqueAddress node;
    private final String self;
    /** This member's current claims, by VMAC (what it has written). */
    private final Map<Vmac, Claim> mine = new HashMap<>();
    private Map<Vmac, List<Claim>> claims = Map.of();
    private Map<String, ActorRef<MemberRouter.Command>> routers = Map.of();

    private ClusterKeeper(ActorContext<Command> context,
                          ReplicatorMessageAdapter<Command, ORMultiMap<String, String>> replicator,
                          ClusterDirectory directory, ActorRef<Hub.Command> hub) {
        this.context = context;
        context.setLoggerName(ClusterKeeper.class);
        this.replicator = replicator;
        this.directory = directory;
        this.hub = hub;
        this.node = DistributedData.get(context.getSystem()).selfUniqueAddress();
        this.self = memberOf(context);
    }

    /** This member's address as used in claims. */
    static String memberOf(ActorContext<?> context) {
        return Cluster.get(context.getSystem()).selfMember().address().toString();
    }

    /**
     * The keeper of a member: spawns and registers the member's router, subscribes to the claims, the routers and
     * the membership.
     *
     * @param directory the member's directory (it gets the snapshots)
     * @param hub       the member's hub actor (it gets forwarded frames and evictions)
     */
    public static Behavior<Command> create(ClusterDirectory directory, ActorRef<Hub.Command> hub) {
        return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, ORMultiMap<String, String>> r) -> {
                    ClusterKeeper k = new ClusterKeeper(ctx, r, directory, hub);
                    directory.attach(ctx.getSelf());
                    ActorRef<MemberRouter.Command> router = ctx.spawn(MemberRouter.create(hub), "router");
                    ctx.getSystem().receptionist().tell(Receptionist.register(MemberRouter.KEY, router));
                    ctx.getSystem().receptionist().tell(Receptionist.subscribe(MemberRouter.KEY,
                            ctx.messageAdapter(Receptionist.Listing.class, RoutersChanged::new)));
                    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
                            ctx.messageAdapter(ClusterEvent.MemberRemoved.class, MemberRemoved::new),
                            ClusterEvent.MemberRemoved.class));
                    r.subscribe(KEY, Changed::new);
                    return Behaviors.withTimers(timers -> {
                        timers.startTimerWithFixedDelay(Reconcile.INSTANCE, RECONCILE_EVERY);
                        return k.running();
                    });
                }));
    }

    private Behavior<Command> running() {
        return Behaviors.receive(Command.class)
                .onMessage(ClaimVmac.class, this::onClaim)
                .onMessage(ReleaseVmac.class, this::onRelease)
                .onMessage(Changed.class, m -> onChanged(m.response()))
                .onMessage(Updated.class, m -> onUpdated(m.response()))
                .onMessage(RoutersChanged.class, m -> onRouters(m.listing()))
                .onMessage(MemberRemoved.class, m -> onMemberRemoved(m.event()))
                .onMessage(Reconcile.class, m -> onReconcile())
                .build();
    }

    private Behavior<Command> onClaim(ClaimVmac m) {
        Claim claim = new Claim(self, m.uuid(), System.currentTimeMillis());
        // One claim per device on this member: a reconnect with another VMAC replaces the old claim.
        List<Map.Entry<Vmac, Claim>> stale = new ArrayList<>();
        for (Map.Entry<Vmac, Claim> e : mine.entrySet()) {
            if (e.getValue().uuid().equals(m.uuid()) || e.getKey().equals(m.vmac())) {
                stale.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        stale.forEach(e -> mine.remove(e.getKey()));
        mine.put(m.vmac(), claim);
        update(map -> {
            ORMultiMap<String, String> next = map;
            for (Map.Entry<Vmac, Claim> e : stale) {
                next = next.removeBinding(node, e.getKey().toString(), e.getValue().text());
            }
            return next.addBinding(node, m.vmac().toString(), claim.text());
        });
        return Behaviors.same();
    }

    private Behavior<Command> onRelease(ReleaseVmac m) {
        Claim claim = mine.get(m.vmac());
        if (claim != null && claim.uuid().equals(m.uuid())) {
            mine.remove(m.vmac());
            update(map -> map.removeBinding(node, m.vmac().toString(), claim.text()));
        }
        return Behaviors.same();
    }

    private void update(java.util.function.Function<ORMultiMap<String, String>, ORMultiMap<String, String>> f) {
        replicator.askUpdate(replyTo -> new Replicator.Update<>(KEY, ORMultiMap.emptyWithValueDeltas(),
                Replicator.writeLocal(), replyTo, f::apply), Updated::new);
    }

    private Behavior<Command> onUpdated(Replicator.UpdateResponse<ORMultiMap<String, String>> r) {
        if (!(r instanceof Replicator.UpdateSuccess)) {
            if (leaving()) {
                // the replicator stops as this member leaves: nothing an operator must act on
                context.getLog().debug("directory update not applied while leaving: {}", r);
            } else {
                context.getLog().warn("directory update not applied: {}", r);
            }
        }
        return Behaviors.same();
    }

    /** Whether this member is on its way out of the cluster (or out). */
    private boolean leaving() {
        org.apache.pekko.cluster.MemberStatus s = Cluster.get(context.getSystem()).selfMember().status();
        return s != org.apache.pekko.cluster.MemberStatus.up() && s != org.apache.pekko.cluster.MemberStatus.weaklyUp()
                && s != org.apache.pekko.cluster.MemberStatus.joining();
    }

    private Behavior<Command> onChanged(Replicator.SubscribeResponse<ORMultiMap<String, String>> r) {
        if (!(r instanceof Replicator.Changed<ORMultiMap<String, String>> changed)) {
            return Behaviors.same();
        }
        Map<Vmac, List<Claim>> next = new HashMap<>();
        for (Map.Entry<String, Set<String>> e : changed.get(KEY).getEntries().entrySet()) {
            List<Claim> list = new ArrayList<>();
            e.getValue().forEach(text -> list.add(Claim.parse(text)));
            next.put(Vmac.parse(e.getKey()), List.copyOf(list));
        }
        claims = Map.copyOf(next);
        directory.publish(new ClusterDirectory.Snapshot(claims, routers));
        resolveConflicts();
        return Behaviors.same();
    }

    /** Evicts this member's claims that lose against another member's (see the class comment). */
    private void resolveConflicts() {
        Map<DeviceUuid, Claim> newestPerDevice = new HashMap<>();
        for (List<Claim> list : claims.values()) {
            for (Claim c : list) {
                newestPerDevice.merge(c.uuid(), c, (a, b) -> a.winsDeviceOver(b) ? a : b);
            }
        }
        for (Map.Entry<Vmac, Claim> e : List.copyOf(mine.entrySet())) {
            Claim ours = e.getValue();
            Claim vmacWinner = ours;
            for (Claim c : claims.getOrDefault(e.getKey(), List.of())) {
                if (!c.uuid().equals(ours.uuid()) && c.winsVmacOver(vmacWinner)) {
                    vmacWinner = c;
                }
            }
            Claim deviceWinner = newestPerDevice.getOrDefault(ours.uuid(), ours);
            String reason = null;
            if (vmacWinner != ours) {
                reason = "VMAC " + e.getKey() + " was admitted earlier for device " + vmacWinner.uuid() + " on "
                        + vmacWinner.member();
            } else if (!deviceWinner.member().equals(self) && deviceWinner.winsDeviceOver(ours)) {
                reason = "device " + ours.uuid() + " reconnected to " + deviceWinner.member();
            }
            if (reason != null) {
                context.getLog().info("cluster directory: {}; disconnecting our connection", reason);
                hub.tell(new Hub.Evict(e.getKey(), ours.uuid(), reason));
                mine.remove(e.getKey());
                update(map -> map.removeBinding(node, e.getKey().toString(), ours.text()));
            }
        }
    }

    private Behavior<Command> onRouters(Receptionist.Listing listing) {
        Map<String, ActorRef<MemberRouter.Command>> next = new HashMap<>();
        for (ActorRef<MemberRouter.Command> r : listing.getServiceInstances(MemberRouter.KEY)) {
            org.apache.pekko.actor.Address a = r.path().address();
            next.put(a.hasLocalScope() ? self : a.toString(), r);
        }
        routers = Map.copyOf(next);
        directory.publish(new ClusterDirectory.Snapshot(claims, routers));
        context.getLog().info("hub members with routers: {}", routers.keySet());
        return Behaviors.same();
    }

    private Behavior<Command> onReconcile() {
        if (leaving()) {
            return Behaviors.same();
        }
        Set<String> members = new java.util.HashSet<>();
        Cluster.get(context.getSystem()).state().getMembers().forEach(m -> members.add(m.address().toString()));
        List<Map.Entry<Vmac, Claim>> stale = new ArrayList<>();
        claims.forEach((vmac, list) -> list.stream()
                .filter(c -> c.member().equals(self) ? !c.equals(mine.get(vmac)) : !members.contains(c.member()))
                .forEach(c -> stale.add(Map.entry(vmac, c))));
        if (!stale.isEmpty()) {
            context.getLog().info("cluster directory: removing {} stale entries ({})", stale.size(), stale);
            update(map -> {
                ORMultiMap<String, String> next = map;
                for (Map.Entry<Vmac, Claim> c : stale) {
                    next = next.removeBinding(node, c.getKey().toString(), c.getValue().text());
                }
                return next;
            });
        }
        return Behaviors.same();
    }

    private Behavior<Command> onMemberRemoved(ClusterEvent.MemberRemoved e) {
        String gone = e.member().address().toString();
        List<Map.Entry<Vmac, Claim>> theirs = new ArrayList<>();
        claims.forEach((vmac, list) -> list.stream().filter(c -> c.member().equals(gone))
                .forEach(c -> theirs.add(Map.entry(vmac, c))));
        if (gone.equals(self) || leaving() || theirs.isEmpty()) {
            // our own leave (every member looks removed from here), or nothing of theirs to drop
            context.getLog().debug("member {} removed: {} directory entries of it", gone, theirs.size());
        } else {
            context.getLog().info("member {} removed: dropping its {} directory entries", gone, theirs.size());
        }
        if (!theirs.isEmpty()) {
            update(map -> {
                ORMultiMap<String, String> next = map;
                for (Map.Entry<Vmac, Claim> c : theirs) {
                    next = next.removeBinding(node, c.getKey().toString(), c.getValue().text());
                }
                return next;
            });
        }
        return Behaviors.same();
    }
}
