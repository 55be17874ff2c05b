package org.bacnetsc.examples.bacnet;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.router.Router;
import org.bacnetsc.router.ScRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link DeviceObject} on a {@link Link}: answers Who-Is and ReadProperty, local ones locally and those from
 * another network (SNET/SADR) through the router they came from.
 */
public final class BacnetDevice {

    private static final Logger LOG = LoggerFactory.getLogger(BacnetDevice.class);

    private final Link link;
    private final DeviceObject device;

    private BacnetDevice(Link link, DeviceObject device) {
        this.link = link;
        this.device = device;
    }

    /** A device answering on {@code link}; feed it with {@link #onNpdu}. */
    public static BacnetDevice on(Link link, DeviceObject device) {
        return new BacnetDevice(link, device);
    }

    /** Starts answering what arrives at an SC node. */
    public static void run(ActorSystem<?> system, ScNode node, DeviceObject device) {
        BacnetDevice d = on(Link.of(node), device);
        node.npdus().runForeach(n -> d.onNpdu(ByteString.fromArrayUnsafe(n.source().toBytes()), n.npdu()), system);
    }

    /**
     * Starts answering as a router's own device: on its SC port directly, and from the BACnet/IP side through the
     * router (requests arrive with SNET/SADR, answers leave with DNET/DADR and are routed).
     */
    public static void runOnRouter(ActorSystem<?> system, ScRouter router, DeviceObject device) {
        run(system, router.scPort(), device);
        ActorRef<Router.Command> ref = router.ref();
        BacnetDevice d = on(new Link() {
            @Override
            public CompletionStage<?> send(ByteString mac, ByteString npdu) {
                ref.tell(new Router.FromApplication(npdu));
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<?> broadcast(ByteString npdu) {
                return send(ByteString.emptyByteString(), npdu);
            }
        }, device);
        ActorRef<Router.ForApplication> app = system.systemActorOf(Behaviors.receiveMessage(m -> {
            d.onNpdu(ByteString.emptyByteString(), m.npdu());
            return Behaviors.same();
        }), "router-device-" + device.instance(), Props.empty());
        ref.tell(new Router.AttachApplication(app));
    }

    /** One NPDU from datalink {@code sourceMac}. */
    public void onNpdu(ByteString sourceMac, ByteString npdu) {
        Npdu.unwrap(npdu).ifPresent(request -> device.answer(request.apdu()).ifPresent(answer -> {
            ByteString out = Npdu.answer(request, answer.apdu(), answer.broadcast());
            // a local broadcast answer goes to everyone; anything for another network goes to its router
            (answer.broadcast() && !request.remote() ? link.broadcast(out) : link.send(sourceMac, out))
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            LOG.debug("device {} could not answer {}: {}", device.instance(), sourceMac,
                                    failure.getMessage());
                        }
                    });
        }));
    }

    /** The device answering. */
    public DeviceObject device() {
        return device;
    }
}
