package org.bacnetsc.examples.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.BacnetObject;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ObjectType;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.object.PropertyValue;
import org.bacnetsc.node.ScNode;

/**
 * An SC node as a BACnet device with an object of its own, compiled with the build so that it stays correct: the
 * device module gives the node its Device, Network Port and File objects ({@link ScDevice}); the application adds an
 * Analog Input whose Present_Value comes from its sensor each time a request reads it.
 */
public final class MyDevice {

    /** Engineering units degrees-Celsius (BACnetEngineeringUnits 62). */
    public static final int DEGREES_CELSIUS = 62;

    private MyDevice() {
    }

    /**
     * An Analog Input with the properties the standard requires of one: Present_Value read from {@code sensor},
     * Status_Flags, Event_State normal, Out_Of_Service false, Units degrees-Celsius (Object_Identifier, Object_Name,
     * Object_Type and Property_List every object has of itself).
     */
    public static BacnetObject outsideAirTemperature(int instance, Supplier<Float> sensor) {
        return BacnetObject.builder(ObjectType.ANALOG_INPUT, instance, "Outside air temperature")
                .required(PropertyIdentifier.PRESENT_VALUE, () -> PropertyValue.of(new Value.Real(sensor.get())))
                .required(PropertyIdentifier.STATUS_FLAGS,       // in-alarm, fault, overridden, out-of-service
                        PropertyValue.of(new Value.BitString(List.of(false, false, false, false))))
                .required(PropertyIdentifier.EVENT_STATE, PropertyValue.enumerated(0))      // normal
                .required(PropertyIdentifier.OUT_OF_SERVICE, PropertyValue.bool(false))
                .required(PropertyIdentifier.UNITS, PropertyValue.enumerated(DEGREES_CELSIUS))
                .optional(PropertyIdentifier.DESCRIPTION, PropertyValue.of("north facade, 3 m above ground"))
                .build();
    }

    /** Starts a node as device 1001 with the Analog Input, answers requests for a minute, stops. */
    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "gateway");
        ScNode node = ScNode.builder()
                .primaryHub(URI.create("wss://127.0.0.1:4443/hub"))
                .devPki(Path.of("pki"), 1)
                .start(system);
        BacnetDevice device = ScDevice.start(system, node, DeviceInfo.of(1001, "AHU-1"))   // Device, Network Port,
                .toCompletableFuture().get();                                               // File objects
        device.objects().add(outsideAirTemperature(1, () -> 21.5f));   // read with: bsc read 1001 analog-input,1
        Thread.sleep(60_000);                                          //            present-value --hub ...
        device.stop();
        node.stop().toCompletableFuture().get();
        system.terminate();
    }
}
