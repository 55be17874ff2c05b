package org.bacnetsc.device;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.service.AtomicReadFile;
import org.bacnetsc.device.service.AtomicReadFileAck;
import org.bacnetsc.device.service.ConfirmedService;
import org.bacnetsc.device.service.DeviceCommunicationControl;
import org.bacnetsc.device.service.IAm;
import org.bacnetsc.device.service.IHave;
import org.bacnetsc.device.service.ReadProperty;
import org.bacnetsc.device.service.ReadPropertyAck;
import org.bacnetsc.device.service.ReadPropertyMultiple;
import org.bacnetsc.device.service.ReadPropertyMultipleAck;
import org.bacnetsc.device.service.ReinitializeDevice;
import org.bacnetsc.device.service.ServiceDecode;
import org.bacnetsc.device.service.UnconfirmedService;
import org.bacnetsc.device.service.WhoHas;
import org.bacnetsc.device.service.WhoIs;
import org.bacnetsc.device.service.WriteProperty;

/**
 * A device's client side: confirmed requests with the APDU timeout and retries, segmented ACKs reassembled, and
 * discovery (Who-Is, Who-Has). Each call completes with the decoded ACK, or fails with a {@link BacnetException}.
 */
public final class BacnetClient {

    /** The largest file {@link #readFile} assembles. */
    public static final int MAX_FILE = 16 * 1024 * 1024;
    /** Octets asked for per AtomicReadFile. */
    static final int FILE_CHUNK = 1400;

    private final ActorRef<ApplicationLayer.Command> layer;

    BacnetClient(ActorRef<ApplicationLayer.Command> layer) {
        this.layer = layer;
    }

    /** A confirmed request; completes with the ACK's service data (empty for a SimpleACK). */
    public CompletionStage<ByteString> confirmed(Address to, ConfirmedService service, ByteString data) {
        CompletableFuture<ByteString> reply = new CompletableFuture<>();
        layer.tell(new ApplicationLayer.Request(to, service.code(), data, reply));
        return reply;
    }

    /** An unconfirmed request to {@code to}, or a global broadcast when null. */
    public void unconfirmed(Address to, UnconfirmedService service, ByteString data) {
        layer.tell(new ApplicationLayer.SendUnconfirmed(to, service.code(), data));
    }

    /** ReadProperty. */
    public CompletionStage<ReadPropertyAck> readProperty(Address to, Value.ObjectId object, long property,
                                                         Long arrayIndex) {
        return confirmed(to, ConfirmedService.READ_PROPERTY, new ReadProperty(object, property, arrayIndex).encode())
                .thenApply(data -> decoded(ReadPropertyAck.decode(data), "ReadProperty-ACK"));
    }

    /** ReadPropertyMultiple. */
    public CompletionStage<ReadPropertyMultipleAck> readPropertyMultiple(Address to, ReadPropertyMultiple request) {
        return confirmed(to, ConfirmedService.READ_PROPERTY_MULTIPLE, request.encode())
                .thenApply(data -> decoded(ReadPropertyMultipleAck.decode(data), "ReadPropertyMultiple-ACK"));
    }

    /** WriteProperty (no priority). */
    public CompletionStage<Void> writeProperty(Address to, Value.ObjectId object, long property, Long arrayIndex,
                                               ByteString value) {
        return confirmed(to, ConfirmedService.WRITE_PROPERTY,
                new WriteProperty(object, property, arrayIndex, value, null).encode()).thenApply(d -> null);
    }

    /** DeviceCommunicationControl: 0 enable, 1 disable, 2 disable-initiation; duration and password optional. */
    public CompletionStage<Void> deviceCommunicationControl(Address to, int enableDisable, Integer durationMinutes,
                                                            String password) {
        return confirmed(to, ConfirmedService.DEVICE_COMMUNICATION_CONTROL,
                new DeviceCommunicationControl(durationMinutes, enableDisable, password).encode())
                .thenApply(d -> null);
    }

    /** ReinitializeDevice: 0 coldstart, 1 warmstart, 7 activate-changes, ...; password optional. */
    public CompletionStage<Void> reinitializeDevice(Address to, int state, String password) {
        return confirmed(to, ConfirmedService.REINITIALIZE_DEVICE, new ReinitializeDevice(state, password).encode())
                .thenApply(d -> null);
    }

    /** One AtomicReadFile with stream access. */
    public CompletionStage<AtomicReadFileAck> atomicReadFile(Address to, int fileInstance, long start, long count) {
        return confirmed(to, ConfirmedService.ATOMIC_READ_FILE,
                new AtomicReadFile(new Value.ObjectId(10, fileInstance), true, start, count).encode())
                .thenApply(data -> decoded(AtomicReadFileAck.decode(data), "AtomicReadFile-ACK"));
    }

    /** A whole file, read with AtomicReadFile from 0 until end-of-file (at most {@link #MAX_FILE} octets). */
    public CompletionStage<ByteString> readFile(Address to, int fileInstance) {
        return readFrom(to, fileInstance, new ByteStringBuilder());
    }

    private CompletionStage<ByteString> readFrom(Address to, int fileInstance, ByteStringBuilder so) {
        return atomicReadFile(to, fileInstance, so.length(), FILE_CHUNK).thenCompose(ack -> {
            ByteString data = ack.data().isEmpty() ? ByteString.emptyByteString() : ack.data().get(0);
            so.append(data);
            if (so.length() > MAX_FILE) {
                throw BacnetException.of(BacnetException.Kind.NOT_SENT, "file " + fileInstance + " is over "
                        + MAX_FILE + " octets");
            }
            if (ack.endOfFile() || data.isEmpty()) {
                return CompletableFuture.completedFuture(so.result());
            }
            return readFrom(to, fileInstance, so);
        });
    }

    /**
     * A device that answered Who-Is.
     *
     * @param address where it is (through the router it answered through, when on another network)
     * @param iAm     what it said
     */
    public record Found(Address address, IAm iAm) {
        /** Its instance. */
        public int instance() {
            return iAm.device().instance();
        }
    }

    /** Who-Is as a global broadcast; the devices that answered within {@code wait}, by instance. */
    public CompletionStage<List<Found>> whoIs(WhoIs range, Duration wait) {
        Map<Integer, Found> found = new ConcurrentHashMap<>();
        return listening(UnconfirmedService.I_AM, IAm::decode, (from, iAm) ->
                found.putIfAbsent(iAm.device().instance(), new Found(from, iAm)), () -> {
                    unconfirmed(null, UnconfirmedService.WHO_IS, range.encode());
                }, wait).thenApply(v -> {
                    List<Found> out = new ArrayList<>(found.values());
                    out.sort(Comparator.comparingInt(Found::instance));
                    return out;
                });
    }

    /** Who-Has as a global broadcast; the I-Haves that arrived within {@code wait}. */
    public CompletionStage<List<IHave>> whoHas(WhoHas request, Duration wait) {
        List<IHave> found = java.util.Collections.synchronizedList(new ArrayList<>());
        return listening(UnconfirmedService.I_HAVE, IHave::decode, (from, iHave) -> found.add(iHave),
                () -> unconfirmed(null, UnconfirmedService.WHO_HAS, request.encode()), wait)
                .thenApply(v -> List.copyOf(found));
    }

    private <T> CompletionStage<Void> listening(UnconfirmedService service,
                                                Function<ByteString, ServiceDecode<T>> decode,
                                                BiConsumer<Address, T> sink, Runnable send, Duration wait) {
        BiConsumer<Address, Apdu.UnconfirmedRequest> listener = (from, u) -> {
            if (u.serviceChoice() == service.code() && decode.apply(u.service()) instanceof ServiceDecode.Ok<T> ok) {
                sink.accept(from, ok.value());
            }
        };
        layer.tell(new ApplicationLayer.Listen(listener));
        send.run();
        return CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS))
                .thenRun(() -> layer.tell(new ApplicationLayer.Unlisten(listener)));
    }

    private static <T> T decoded(ServiceDecode<T> d, String what) {
        if (d instanceof ServiceDecode.Ok<T> ok) {
            return ok.value();
        }
        throw BacnetException.of(BacnetException.Kind.ABORT, "the " + what + " does not decode: "
                + ((ServiceDecode.Bad<T>) d).why());
    }
}
