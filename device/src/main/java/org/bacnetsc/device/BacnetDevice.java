package org.bacnetsc.device;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.device.server.RequestExecutor;

/**
 * A BACnet device: its objects ({@link #objects()}), answering requests that arrive on its {@link Link}, and its
 * client ({@link #client()}). One actor per device does both (see the module's docs/device.md).
 *
 * <pre>{@code
 * BacnetDevice device = BacnetDevice.start(system, new ObjectDatabase(DeviceInfo.of(1001, "AHU-1")), link, () -> { });
 * link's receiver: device.onNpdu(sourceMac, npdu, broadcast);
 * }</pre>
 * For an SC node use {@link ScDevice}, which also adds the Network Port and File objects.
 */
public final class BacnetDevice {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final ObjectDatabase objects;
    private final ActorRef<ApplicationLayer.Command> layer;
    private final BacnetClient client;

    private BacnetDevice(ObjectDatabase objects, ActorRef<ApplicationLayer.Command> layer) {
        this.objects = objects;
        this.layer = layer;
        this.client = new BacnetClient(layer);
    }

    /**
     * Starts a device on {@code link}; NPDUs that arrive go to {@link #onNpdu}.
     *
     * @param system      where its actor runs
     * @param objects     its objects
     * @param link        how it sends
     * @param restartPort what ReinitializeDevice COLDSTART and WARMSTART restart (after the SimpleACK went out)
     */
    public static BacnetDevice start(ActorSystem<?> system, ObjectDatabase objects, Link link, Runnable restartPort) {
        ActorRef<ApplicationLayer.Command> ref = system.systemActorOf(
                ApplicationLayer.create(new RequestExecutor(objects), link, restartPort),
                "bacnet-device-" + objects.instance() + "-" + NAMES.incrementAndGet(), Props.empty());
        return new BacnetDevice(objects, ref);
    }

    /** An NPDU from data link MAC {@code sourceMac}; {@code broadcast} when it was sent to everyone. */
    public void onNpdu(ByteString sourceMac, ByteString npdu, boolean broadcast) {
        layer.tell(new ApplicationLayer.Received(sourceMac, npdu, broadcast));
    }

    /** The device's objects: add your own here. */
    public ObjectDatabase objects() {
        return objects;
    }

    /** The device's instance. */
    public int instance() {
        return objects.instance();
    }

    /** The device's client side. */
    public BacnetClient client() {
        return client;
    }

    /** Sends our I-Am as a global broadcast (at start-up; DM-DDB-B). */
    public void announce() {
        layer.tell(new ApplicationLayer.Announce());
    }

    /** The application layer's status and counters. */
    public CompletionStage<DeviceStatus> status() {
        CompletableFuture<DeviceStatus> reply = new CompletableFuture<>();
        layer.tell(new ApplicationLayer.GetStatus(reply));
        return reply;
    }

    /** Stops the device's actor; outstanding client requests fail. */
    public void stop() {
        layer.tell(new ApplicationLayer.Stop());
    }
}
