package org.bacnetsc.examples.bacnet;

import org.apache.pekko.actor.typed.ActorSystem;
import org.bacnetsc.node.ReceivedNpdu;
import org.bacnetsc.node.ScNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a {@link DeviceObject} on an {@link ScNode}: answers Who-Is and ReadProperty arriving through the hub. */
public final class BacnetDevice {

    private static final Logger LOG = LoggerFactory.getLogger(BacnetDevice.class);

    private BacnetDevice() {
    }

    /** Starts answering. */
    public static void run(ActorSystem<?> system, ScNode node, DeviceObject device) {
        node.npdus().runForeach(n -> onNpdu(node, device, n), system);
    }

    private static void onNpdu(ScNode node, DeviceObject device, ReceivedNpdu n) {
        Npdu.unwrap(n.npdu()).flatMap(d -> device.answer(d.apdu())).ifPresent(answer -> {
            var npdu = Npdu.wrap(answer.apdu(), false);
            (answer.broadcast() ? node.broadcast(npdu) : node.send(n.source(), npdu)).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.debug("device {} could not answer {}: {}", device.instance(), n.source(), failure.getMessage());
                }
            });
        });
    }
}
