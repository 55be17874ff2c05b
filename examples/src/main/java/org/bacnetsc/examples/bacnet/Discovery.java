package org.bacnetsc.examples.bacnet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.node.ScNode;

/**
 * A BACnet client on a {@link Link}: a global Who-Is (routers carry it to every network), then ReadProperty
 * object-name of each device that answered, through the router it answered through when it is on another network.
 */
public final class Discovery {

    /**
     * One device found.
     *
     * @param instance   device instance
     * @param mac        the datalink MAC it answered from: its own on this network, else its router's
     * @param network    its network when that is another one (it answered with SNET), else null
     * @param address    its MAC on {@code network} (SADR), or {@code mac} when local
     * @param vendorId   vendor-identifier from its I-Am
     * @param objectName object-name read with ReadProperty, or null when it did not answer
     */
    public record Found(int instance, ByteString mac, Integer network, ByteString address, int vendorId,
                        String objectName) {

        /** Whether it is on another network. */
        public boolean remote() {
            return network != null;
        }

        /** {@link #mac} as a VMAC (on an SC link). */
        public Vmac vmac() {
            return Vmac.of(mac.toArray());
        }

        Found named(String name) {
            return new Found(instance, mac, network, address, vendorId, name);
        }
    }

    private final Link link;
    private final Map<Integer, Found> found = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger invokeIds = new AtomicInteger();

    private Discovery(Link link) {
        this.link = link;
    }

    /** A discovery on {@code link}; feed it with {@link #onNpdu}, then {@link #run}. */
    public static Discovery on(Link link) {
        return new Discovery(link);
    }

    /** Discovery through an SC node. */
    public static CompletionStage<List<Found>> run(ActorSystem<?> system, ScNode node, Duration timeout) {
        Discovery d = on(Link.of(node));
        node.npdus().runForeach(n -> d.onNpdu(ByteString.fromArrayUnsafe(n.source().toBytes()), n.npdu()), system);
        return d.run(timeout);
    }

    /** Sends Who-Is, collects I-Ams for {@code timeout}, then reads each device's object-name. */
    public CompletionStage<List<Found>> run(Duration timeout) {
        return link.broadcast(Npdu.wrapTo(Apdu.whoIs(-1, -1), false, Npdu.GLOBAL, ByteString.emptyByteString()))
                .thenCompose(ok -> CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)))
                .thenCompose(ok -> readNames(timeout));
    }

    /** One NPDU from datalink {@code sourceMac}. */
    public void onNpdu(ByteString sourceMac, ByteString npdu) {
        Npdu.unwrap(npdu).ifPresent(d -> {
            Apdu.decodeIAm(d.apdu()).ifPresent(iAm -> found.putIfAbsent(iAm.device().instance(),
                    new Found(iAm.device().instance(), sourceMac, d.snet(), d.remote() ? d.sadr() : sourceMac,
                            iAm.vendorId(), null)));
            Apdu.decodeReadPropertyAck(d.apdu()).ifPresent(ack -> {
                CompletableFuture<String> f = pending.remove(ack.invokeId());
                if (f != null) {
                    f.complete(Apdu.decodeString(ack.value()).orElse(null));
                }
            });
        });
    }

    private CompletionStage<List<Found>> readNames(Duration timeout) {
        List<CompletableFuture<Found>> reads = new ArrayList<>();
        for (Found f : found.values()) {
            int invoke = invokeIds.getAndIncrement() & 0xFF;
            CompletableFuture<String> name = new CompletableFuture<>();
            pending.put(invoke, name);
            ByteString request = Apdu.readProperty(invoke, new Apdu.ObjectId(Apdu.OBJECT_DEVICE, f.instance()),
                    Apdu.PROP_OBJECT_NAME);
            link.send(f.mac(), f.remote() ? Npdu.wrapTo(request, true, f.network(), f.address())
                    : Npdu.wrap(request, true));
            reads.add(name.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(f::named));
        }
        return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<Found> out = new ArrayList<>();
            reads.forEach(r -> out.add(r.join()));
            out.sort(Comparator.comparingInt(Found::instance));
            return out;
        });
    }
}
