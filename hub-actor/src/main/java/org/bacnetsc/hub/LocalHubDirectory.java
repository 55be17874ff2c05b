package org.bacnetsc.hub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.FrameSink;

/** The directory of one hub process, owned and used by the hub actor alone (not thread-safe). */
public final class LocalHubDirectory implements HubDirectory {

    /** An empty directory. */
    public LocalHubDirectory() {
    }

    private final Map<Vmac, Entry> byVmac = new HashMap<>();
    private final Map<DeviceUuid, Entry> byUuid = new HashMap<>();
    private final Map<ActorRef<Connection.Command>, Entry> byConnection = new HashMap<>();
    private final List<Entry> connectedView = new ArrayList<>();
    private boolean connectedViewStale = true;

    @Override
    public Admission admit(ActorRef<Connection.Command> connection, Vmac vmac, DeviceUuid uuid) {
        Entry sameDevice = byUuid.get(uuid);
        if (sameDevice != null && !sameDevice.connection().equals(connection)) {
            // UUID first: the same device reconnecting replaces its old connection, whatever VMAC it uses now.
            Entry holder = byVmac.get(vmac);
            if (holder != null && !holder.uuid().equals(uuid)) {
                return new Duplicate(holder.connection());
            }
            detach(sameDevice);
            put(new Entry(connection, vmac, uuid, 0, false, null));
            return new Replace(sameDevice.connection());
        }
        Entry holder = byVmac.get(vmac);
        if (holder != null && !holder.connection().equals(connection)) {
            return new Duplicate(holder.connection());
        }
        put(new Entry(connection, vmac, uuid, 0, false, null));
        return Admit.INSTANCE;
    }

    @Override
    public void connected(ActorRef<Connection.Command> connection, int maxBvlc, FrameSink sink) {
        Entry e = byConnection.get(connection);
        if (e != null) {
            put(new Entry(connection, e.vmac(), e.uuid(), maxBvlc, true, sink));
        }
    }

    @Override
    public void remove(ActorRef<Connection.Command> connection) {
        Entry e = byConnection.remove(connection);
        if (e != null) {
            detach(e);
        }
    }

    private void detach(Entry e) {
        byConnection.remove(e.connection());
        if (byVmac.get(e.vmac()) == e) {
            byVmac.remove(e.vmac());
        }
        if (byUuid.get(e.uuid()) == e) {
            byUuid.remove(e.uuid());
        }
        connectedViewStale = true;
    }

    private void put(Entry e) {
        Entry old = byConnection.put(e.connection(), e);
        if (old != null && !old.vmac().equals(e.vmac()) && byVmac.get(old.vmac()) == old) {
            byVmac.remove(old.vmac());
        }
        byVmac.put(e.vmac(), e);
        byUuid.put(e.uuid(), e);
        connectedViewStale = true;
    }

    @Override
    public Entry lookup(Vmac vmac) {
        Entry e = byVmac.get(vmac);
        return e != null && e.connected() ? e : null;
    }

    @Override
    public Entry entryOf(ActorRef<Connection.Command> connection) {
        return byConnection.get(connection);
    }

    @Override
    public Collection<Entry> connected() {
        if (connectedViewStale) {
            connectedView.clear();
            for (Entry e : byConnection.values()) {
                if (e.connected()) {
                    connectedView.add(e);
                }
            }
            connectedViewStale = false;
        }
        return connectedView;
    }
}
