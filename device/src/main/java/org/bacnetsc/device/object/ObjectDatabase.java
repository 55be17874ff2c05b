package org.bacnetsc.device.object;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.bacnetsc.device.codec.Value;

/**
 * A device's objects: its Device object first, then the others in the order they were added. Safe to change from any
 * thread while the device answers; adding or removing an object increments Database_Revision.
 */
public final class ObjectDatabase {

    /** The wildcard instance that addresses a device's own Device object. */
    public static final int WILDCARD = 4194303;

    private final DeviceInfo info;
    private final BacnetObject device;
    private final List<BacnetObject> others = new CopyOnWriteArrayList<>();
    private final AtomicLong revision = new AtomicLong(1);

    /** A database holding only the Device object described by {@code info}. */
    public ObjectDatabase(DeviceInfo info) {
        this.info = info;
        this.device = DeviceObject.create(info, this);
    }

    /** What the Device object says of itself. */
    public DeviceInfo info() {
        return info;
    }

    /** The Device object. */
    public BacnetObject device() {
        return device;
    }

    /** The device's instance. */
    public int instance() {
        return info.instance();
    }

    /**
     * Adds an object.
     *
     * @throws IllegalArgumentException when an object with its identifier or name exists
     */
    public synchronized void add(BacnetObject o) {
        if (find(o.id()).isPresent()) {
            throw new IllegalArgumentException("object " + o + " exists");
        }
        if (findByName(o.name()).isPresent()) {
            throw new IllegalArgumentException("an object named \"" + o.name() + "\" exists");
        }
        others.add(o);
        revision.incrementAndGet();
    }

    /** Removes the object with this identifier (the Device object stays); whether there was one. */
    public synchronized boolean remove(Value.ObjectId id) {
        boolean removed = others.removeIf(o -> o.id().equals(id));
        if (removed) {
            revision.incrementAndGet();
        }
        return removed;
    }

    /** The object with {@code id}; (device, 4194303) is our own Device object. */
    public Optional<BacnetObject> find(Value.ObjectId id) {
        if (id.objectType() == ObjectType.DEVICE.code()
                && (id.instance() == WILDCARD || id.instance() == info.instance())) {
            return Optional.of(device);
        }
        for (BacnetObject o : others) {
            if (o.id().equals(id)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The object named exactly {@code name}. */
    public Optional<BacnetObject> findByName(String name) {
        if (device.name().equals(name)) {
            return Optional.of(device);
        }
        return others.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /** Every object, the Device object first. */
    public List<BacnetObject> objects() {
        List<BacnetObject> all = new ArrayList<>(others.size() + 1);
        all.add(device);
        all.addAll(others);
        return all;
    }

    /** Database_Revision: starts at 1, one more for each object added or removed. */
    public long revision() {
        return revision.get();
    }
}
