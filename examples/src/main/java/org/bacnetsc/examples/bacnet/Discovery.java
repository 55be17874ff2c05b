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
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.node.ReceivedNpdu;
import org.bacnetsc.node.ScNode;

/** A BACnet client on an {@link ScNode}: Who-Is through the hub, then ReadProperty object-name of each device. */
public final class Discovery {

    /**
     * One device found.
     *
     * @param instance   device instance
     * @param vmac       its VMAC
     * @param vendorId   vendor-identifier from its I-Am
     * @param objectName object-name read with ReadProperty, or null when it did not answer
     */
    public record Found(int instance, Vmac vmac, int vendorId, String objectName) {
    }

    private final ScNode node;
    private final Map<Integer, Found> found = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger invokeIds = new AtomicInteger();

    private Discovery(ScNode node) {
        this.node = node;
    }

    /** Sends Who-Is, collects I-Ams for {@code timeout}, then reads each device's object-name. */
    public static CompletionStage<List<Found>> run(ActorSystem<?> system, ScNode node, Duration timeout) {
        Discovery d = new Discovery(node);
        node.npdus().runForeach(d::onNpdu, system);
        return node.broadcast(Npdu.wrap(Apdu.whoIs(-1, -1), false))
                .thenCompose(ok -> CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)))
                .thenCompose(ok -> d.readNames(timeout));
    }

    private void onNpdu(ReceivedNpdu n) {
        Npdu.unwrap(n.npdu()).ifPresent(d -> {
            Apdu.decodeIAm(d.apdu()).ifPresent(iAm -> found.putIfAbsent(iAm.device().instance(),
                    new Found(iAm.device().instance(), n.source(), iAm.vendorId(), null)));
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
            node.send(f.vmac(), Npdu.wrap(Apdu.readProperty(invoke, new Apdu.ObjectId(Apdu.OBJECT_DEVICE,
                    f.instance()), Apdu.PROP_OBJECT_NAME), true));
            reads.add(name.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(n -> new Found(f.instance(), f.vmac(), f.vendorId(), n)));
        }
        return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<Found> out = new ArrayList<>();
            reads.forEach(r -> out.add(r.join()));
            out.sort(Comparator.comparingInt(Found::instance));
            return out;
        });
    }
}
