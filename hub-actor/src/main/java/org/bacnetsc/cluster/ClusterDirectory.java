package org.bacnetsc.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.hub.HubDirectory;
import org.bacnetsc.hub.LocalHubDirectory;

/**
 * The hub directory of one member of a clustered hub: this member's connections (authoritative, used by its hub
 * actor alone) plus a read-only replica of every member's claims and routers, published by the
 * {@link ClusterKeeper} as an immutable snapshot. Claims and releases go to the keeper, which replicates them.
 */
public final class ClusterDirectory implements HubDirectory {

    /** The replicated view: VMAC to claims, member address to router. */
    record Snapshot(Map<Vmac, List<Claim>> claims, Map<String, ActorRef<MemberRouter.Command>> routers) {
    }

    private final LocalHubDirectory local = new LocalHubDirectory();
    private final String self;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());
    private volatile ActorRef<ClusterKeeper.Command> keeper;

    /**
     * A directory for the member with address {@code self}.
     *
     * @param self this member's address
     */
    public ClusterDirectory(String self) {
        this.self = self;
    }

    /**
     * The cluster-wide directory of a clustered hub.
     *
     * @throws IllegalArgumentException when {@code hub} is not clustered
     */
    public static ClusterDirectory of(org.bacnetsc.hub.ScHub hub) {
        return hub.cluster().map(c -> (ClusterDirectory) c.directory())
                .orElseThrow(() -> new IllegalArgumentException("the hub at " + hub.uri() + " is not clustered"));
    }

    void attach(ActorRef<ClusterKeeper.Command> value) {
        this.keeper = value;
    }

    void publish(Snapshot value) {
        this.snapshot = value;
    }

    /** VMACs known cluster-wide (claims of every member, as replicated here). */
    public int knownVmacs() {
        return snapshot.claims().size();
    }

    /** Members whose routers are known. */
    public int knownRouters() {
        return snapshot.routers().size();
    }

    @Override
    public Admission admit(ActorRef<Connection.Command> connection, Vmac vmac, DeviceUuid uuid) {
        for (Claim c : snapshot.claims().getOrDefault(vmac, List.of())) {
            if (!c.member().equals(self) && !c.uuid().equals(uuid)) {
                // Held by another device on another member (digest §9, cluster-wide).
                return new Duplicate(null);
            }
        }
        Admission a = local.admit(connection, vmac, uuid);
        if (!(a instanceof Duplicate) && keeper != null) {
            keeper.tell(new ClusterKeeper.ClaimVmac(vmac, uuid));
        }
        return a;
    }

    @Override
    public void connected(ActorRef<Connection.Command> connection, int maxBvlc,
                          org.bacnetsc.connection.FrameSink sink) {
        local.connected(connection, maxBvlc, sink);
    }

    @Override
    public void remove(ActorRef<Connection.Command> connection) {
        Entry e = local.entryOf(connection);
        local.remove(connection);
        if (e != null && keeper != null) {
            keeper.tell(new ClusterKeeper.ReleaseVmac(e.vmac(), e.uuid()));
        }
    }

    @Override
    public Entry lookup(Vmac vmac) {
        return local.lookup(vmac);
    }

    @Override
    public Entry entryOf(ActorRef<Connection.Command> connection) {
        return local.entryOf(connection);
    }

    @Override
    public Collection<Entry> connected() {
        return local.connected();
    }

    /**
     * The member that holds a VMAC as far as this member knows: among the claims whose member has a router, the
     * device that was admitted first, on the member it reconnected to last.
     */
    public java.util.Optional<String> holderOf(Vmac vmac) {
        return java.util.Optional.ofNullable(holder(snapshot, vmac)).map(Claim::member);
    }

    private static Claim holder(Snapshot s, Vmac vmac) {
        Claim holder = null;
        for (Claim c : s.claims().getOrDefault(vmac, List.of())) {
            if (!s.routers().containsKey(c.member())) {
                continue;
            }
            if (holder == null || (c.uuid().equals(holder.uuid()) ? c.winsDeviceOver(holder)
                    : c.winsVmacOver(holder))) {
                holder = c;
            }
        }
        return holder;
    }

    @Override
    public boolean forwardUnicast(Vmac destination, ByteString frame) {
        Snapshot s = snapshot;
        Claim holder = holder(s, destination);
        ActorRef<MemberRouter.Command> router = holder == null || holder.member().equals(self) ? null
                : s.routers().get(holder.member());
        if (router == null) {
            return false;
        }
        router.tell(new MemberRouter.Unicast(destination.bits(), frame.toArray(), System.currentTimeMillis()));
        return true;
    }

    @Override
    public int forwardBroadcast(ByteString frame) {
        int n = 0;
        byte[] bytes = null;
        for (Map.Entry<String, ActorRef<MemberRouter.Command>> r : snapshot.routers().entrySet()) {
            if (!r.getKey().equals(self)) {
                if (bytes == null) {
                    bytes = frame.toArray();
                }
                r.getValue().tell(new MemberRouter.Broadcast(bytes, System.currentTimeMillis()));
                n++;
            }
        }
        return n;
    }
}
