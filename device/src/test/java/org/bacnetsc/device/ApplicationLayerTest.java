package org.bacnetsc.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.codec.ApduCodec;
import org.bacnetsc.device.codec.ApduDecodeFailure;
import org.bacnetsc.device.codec.ApduDecodeResult;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ErrorCodes;
import org.bacnetsc.device.object.FileObject;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.object.ScNetworkPort;
import org.bacnetsc.device.object.ScPortConfig;
import org.bacnetsc.device.object.ScPortState;
import org.bacnetsc.device.segment.SegmentReceiver;
import org.bacnetsc.device.segment.SegmentSender;
import org.bacnetsc.device.server.Answer;
import org.bacnetsc.device.server.RequestExecutor;
import org.bacnetsc.device.service.ConfirmedService;
import org.bacnetsc.device.service.DeviceCommunicationControl;
import org.bacnetsc.device.service.IAm;
import org.bacnetsc.device.service.ReadProperty;
import org.bacnetsc.device.service.ReadPropertyAck;
import org.bacnetsc.device.service.ReadPropertyMultiple;
import org.bacnetsc.device.service.ReinitializeDevice;
import org.bacnetsc.device.service.ServiceDecode;
import org.bacnetsc.device.service.UnconfirmedService;
import org.bacnetsc.device.service.WhoIs;
import org.bacnetsc.network.NetworkPriority;
import org.bacnetsc.network.Npdu;
import org.bacnetsc.network.NpduCodec;
import org.bacnetsc.network.NpduDecodeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device's actor through {@link BacnetDevice}, on a fake {@link Link} that records every NPDU it is given, with
 * ManualTime for the APDU, segment and DeviceCommunicationControl timers (digest sections 1.2, 1.3, 3.2).
 */
class ApplicationLayerTest {

    static final int INSTANCE = 1001;
    static final Value.ObjectId DEVICE = new Value.ObjectId(8, INSTANCE);
    static final Value.ObjectId PORT = new Value.ObjectId(56, 1);
    static final ByteString PEER = hex("0A 00 00 00 00 01");
    static final ByteString OTHER_PEER = hex("0A 00 00 00 00 02");
    static final ByteString ROUTER = hex("0A 00 00 00 00 FE");
    static final Duration WAIT = Duration.ofSeconds(5);

    /** An NPDU the device gave its link, decoded. */
    record Sent(ByteString mac, boolean broadcast, Npdu npdu, Apdu apdu) {
        <T extends Apdu> T as(Class<T> type) {
            return assertInstanceOf(type, apdu, () -> type.getSimpleName() + " expected, sent " + apdu);
        }
    }

    /** Records what the device sends (decoded by the test's thread, never on the actor's). */
    static final class FakeLink implements Link {
        private record Raw(ByteString mac, boolean broadcast, ByteString npdu) {
        }

        final BlockingQueue<Raw> sent = new LinkedBlockingQueue<>();
        final List<String> events;

        FakeLink(List<String> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> send(ByteString mac, ByteString npdu) {
            events.add("sent");
            sent.add(new Raw(mac, false, npdu));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<?> broadcast(ByteString npdu) {
            events.add("broadcast");
            sent.add(new Raw(null, true, npdu));
            return CompletableFuture.completedFuture(null);
        }

        Sent next() {
            Raw r;
            try {
                r = sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertNotNull(r, "the device sent nothing within " + WAIT);
            NpduDecodeResult.Decoded d = assertInstanceOf(NpduDecodeResult.Decoded.class, NpduCodec.decode(r.npdu()));
            ApduDecodeResult a = ApduCodec.decode(d.npdu().apdu());
            return new Sent(r.mac(), r.broadcast(), d.npdu(), assertInstanceOf(Apdu.class, a, () -> "an APDU: " + a));
        }
    }

    ActorTestKit kit;
    ManualTime time;
    List<String> events;
    FakeLink link;
    AtomicInteger restarts;
    ObjectDatabase db;
    BacnetDevice device;

    static ByteString hex(String hex) {
        String h = hex.replace(" ", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return ByteString.fromArray(out);
    }

    static ObjectDatabase database() {
        ObjectDatabase db = new ObjectDatabase(DeviceInfo.of(INSTANCE, "Device 1001"));
        ScTypes.DateTime at = new ScTypes.DateTime(new Value.Date(126, 6, 12, 5), new Value.Time(8, 0, 0, 0));
        ScPortState state = new ScPortState(hex("0A 0B 0C 0D 0E 0F"), 1,
                new ScTypes.HubConnection(1, at, ScTypes.DateTime.UNSPECIFIED, null, null),
                new ScTypes.HubConnection(0, ScTypes.DateTime.UNSPECIFIED, ScTypes.DateTime.UNSPECIFIED, null, null),
                false, false, List.of(), List.of(), List.of(), List.of(), ScTypes.Health.healthy(at));
        ScPortConfig config = new ScPortConfig(1, "SC port", "wss://hub.example:4443", "wss://failover.example:4443",
                10, 10, 300, 2, 30, 1600, 1497, "", false, List.of(), "", 0, 1, List.of(3, 4), 2);
        db.add(ScNetworkPort.create(config, () -> state, () -> CompletableFuture.completedFuture(null)));
        db.add(FileObject.create(1, "Operational Certificate", "application/x-pem-file",
                () -> ByteString.fromString("-----BEGIN CERTIFICATE-----\n".repeat(40)), () -> null));
        return db;
    }

    @BeforeEach
    void start() {
        kit = ActorTestKit.create("ApplicationLayerTest", ManualTime.config());
        time = ManualTime.get(kit.system());
        events = new CopyOnWriteArrayList<>();
        link = new FakeLink(events);
        restarts = new AtomicInteger();
        db = database();
        device = BacnetDevice.start(kit.system(), db, link, () -> {
            events.add("restart");
            restarts.incrementAndGet();
        });
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The status, once the actor has handled everything told before. */
    DeviceStatus status() {
        try {
            return device.status().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    DeviceCounters counters() {
        return status().counters();
    }

    void assertNothingSent() {
        status();
        assertTrue(link.sent.isEmpty(), () -> "sent: " + link.next());
    }

    void receive(ByteString mac, ByteString apdu, boolean broadcast) {
        device.onNpdu(mac, NpduCodec.encode(Npdu.local(apdu, false)), broadcast);
    }

    void receive(ByteString mac, Apdu apdu) {
        device.onNpdu(mac, NpduCodec.encode(Npdu.local(ApduCodec.encode(apdu), apdu instanceof
                Apdu.ConfirmedRequest)), false);
    }

    static Apdu.ConfirmedRequest request(int invoke, ConfirmedService service, ByteString data) {
        return request(invoke, service, data, 1476, 0, true);
    }

    static Apdu.ConfirmedRequest request(int invoke, ConfirmedService service, ByteString data, int maxApdu,
                                         int maxSegments, boolean segmentedResponseAccepted) {
        return new Apdu.ConfirmedRequest(false, false, segmentedResponseAccepted, maxSegments, maxApdu, invoke, 0, 0,
                service.code(), data);
    }

    static ByteString readName(Value.ObjectId object) {
        return new ReadProperty(object, PropertyIdentifier.OBJECT_NAME.code(), null).encode();
    }

    static ByteString rpmAll(Value.ObjectId... objects) {
        List<ReadPropertyMultiple.ReadAccessSpec> specs = new ArrayList<>();
        for (Value.ObjectId o : objects) {
            specs.add(new ReadPropertyMultiple.ReadAccessSpec(o, List.of(
                    new ReadPropertyMultiple.PropertyReference(PropertyIdentifier.ALL.code(), null))));
        }
        return new ReadPropertyMultiple(specs).encode();
    }

    /** What the executor answers, as the device should send it. */
    ByteString expectedAck(ConfirmedService service, ByteString data) {
        Answer a = new RequestExecutor(db).confirmed(service.code(), data);
        return assertInstanceOf(Answer.Complex.class, a).data();
    }

    static BacnetException failure(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(BacnetException.class, e.getCause());
    }

    static <T> T ok(ServiceDecode<T> d) {
        if (d instanceof ServiceDecode.Ok<T> ok) {
            return ok.value();
        }
        return fail("does not decode: " + d);
    }

    // ------------------------------------------------------------------------------------------------ server

    @Test
    void anUndecodableConfirmedRequestWhoseInvokeIdWasReadIsAnsweredWithTheRejectTheCodecNames() {
        // header cut short after the invoke ID; reserved max-APDU code 15; segmented with window 0
        String[] malformed = {"00 05 07", "00 0F 08 0C 0C 02 00 03 E9 19 4D", "0A 05 09 00 00 0C"};
        for (String hex : malformed) {
            ApduDecodeFailure f = assertInstanceOf(ApduDecodeFailure.class, ApduCodec.decode(hex(hex)));
            receive(PEER, hex(hex), false);
            Sent s = link.next();
            assertEquals(PEER, s.mac());
            assertFalse(s.broadcast());
            assertNull(s.npdu().dnet());
            assertEquals(new Apdu.Reject(f.invokeId().getAsInt(), f.rejectReason().getAsInt()), s.as(Apdu.Reject.class),
                    hex);
        }
        // no invoke ID read: nothing to answer
        receive(PEER, hex("00 05"), false);
        receive(PEER, hex("F0 01 02"), false);
        assertNothingSent();
        DeviceCounters c = counters();
        assertEquals(5, c.undecodable());
        assertEquals(3, c.rejects());
    }

    @Test
    void aConfirmedRequestThatArrivedAsABroadcastIsNotAnswered() {
        Apdu.ConfirmedRequest rp = request(1, ConfirmedService.READ_PROPERTY, readName(DEVICE));
        device.onNpdu(PEER, NpduCodec.encode(Npdu.local(ApduCodec.encode(rp), true)), true);
        // a global broadcast NPDU (DNET 0xFFFF) that the link delivered to us alone
        device.onNpdu(PEER, NpduCodec.encode(new Npdu(true, NetworkPriority.NORMAL, Npdu.GLOBAL,
                ByteString.emptyByteString(), null, null, 255, null, ApduCodec.encode(rp))), false);
        // an undecodable one whose invoke ID was read, as a broadcast
        receive(PEER, hex("00 05 07"), true);
        // for another network: not a device's
        device.onNpdu(PEER, NpduCodec.encode(new Npdu(true, NetworkPriority.NORMAL, 9, hex("01"), null, null, 255,
                null, ApduCodec.encode(rp))), false);
        assertNothingSent();
        assertEquals(0, counters().requestsServed());
        // the same request to us alone is answered
        receive(PEER, rp);
        assertEquals(1, link.next().as(Apdu.ComplexAck.class).invokeId());
    }

    @Test
    void anUnknownUnconfirmedServiceIsIgnored() {
        receive(PEER, ApduCodec.encode(new Apdu.UnconfirmedRequest(200, hex("09 01"))), true);
        receive(PEER, ApduCodec.encode(new Apdu.UnconfirmedRequest(UnconfirmedService.UNCONFIRMED_COV_NOTIFICATION
                .code(), hex("09 01"))), false);
        // I-Am from another device: nothing to answer either
        receive(PEER, ApduCodec.encode(new Apdu.UnconfirmedRequest(0, new IAm(new Value.ObjectId(8, 7), 1476, 0, 7)
                .encode())), true);
        assertNothingSent();
        DeviceCounters c = counters();
        assertEquals(3, c.unconfirmedReceived());
        assertEquals(0, c.unconfirmedAnswered());
    }

    @Test
    void whoIsIsAnsweredWithIAmAsALocalBroadcast() {
        receive(PEER, ApduCodec.encode(new Apdu.UnconfirmedRequest(8, WhoIs.all().encode())), true);
        Sent s = link.next();
        assertTrue(s.broadcast());
        assertNull(s.npdu().dnet());
        Apdu.UnconfirmedRequest iAm = s.as(Apdu.UnconfirmedRequest.class);
        assertEquals(UnconfirmedService.I_AM.code(), iAm.serviceChoice());
        assertEquals(new IAm(DEVICE, 1476, 0, 999), ok(IAm.decode(iAm.service())));
        // outside the range: nothing
        receive(PEER, ApduCodec.encode(new Apdu.UnconfirmedRequest(8, new WhoIs(2000L, 3000L).encode())), true);
        assertNothingSent();
        assertEquals(1, counters().unconfirmedAnswered());
    }

    @Test
    void aRequestFromARemoteDeviceIsAnsweredWithDnetAndDadrToTheMacItCameFrom() {
        ByteString sadr = hex("05");
        Apdu.ConfirmedRequest rp = request(42, ConfirmedService.READ_PROPERTY, readName(PORT));
        device.onNpdu(ROUTER, NpduCodec.encode(new Npdu(true, NetworkPriority.NORMAL, null, null, 7, sadr, null, null,
                ApduCodec.encode(rp))), false);
        Sent s = link.next();
        assertEquals(ROUTER, s.mac());
        assertFalse(s.broadcast());
        assertEquals(7, s.npdu().dnet());
        assertEquals(sadr, s.npdu().dadr());
        assertEquals(255, s.npdu().hopCount());
        assertNull(s.npdu().snet());
        assertFalse(s.npdu().expectingReply());
        Apdu.ComplexAck ack = s.as(Apdu.ComplexAck.class);
        assertEquals(42, ack.invokeId());
        assertEquals(expectedAck(ConfirmedService.READ_PROPERTY, readName(PORT)), ack.service());

        // an undecodable request from there: the Reject goes back the same way
        device.onNpdu(ROUTER, NpduCodec.encode(new Npdu(true, NetworkPriority.NORMAL, null, null, 7, sadr, null, null,
                hex("00 05 09"))), false);
        Sent reject = link.next();
        assertEquals(ROUTER, reject.mac());
        assertEquals(7, reject.npdu().dnet());
        assertEquals(new Apdu.Reject(9, 5), reject.as(Apdu.Reject.class));

        // a Who-Is from there: the I-Am goes back through the router too
        device.onNpdu(ROUTER, NpduCodec.encode(new Npdu(false, NetworkPriority.NORMAL, null, null, 7, sadr, null,
                null, ApduCodec.encode(new Apdu.UnconfirmedRequest(8, WhoIs.all().encode())))), false);
        Sent iAm = link.next();
        assertEquals(ROUTER, iAm.mac());
        assertEquals(7, iAm.npdu().dnet());
        assertEquals(sadr, iAm.npdu().dadr());
        assertEquals(UnconfirmedService.I_AM.code(), iAm.as(Apdu.UnconfirmedRequest.class).serviceChoice());
    }

    @Test
    void aSegmentedConfirmedRequestIsAcknowledgedWithSegmentAcksAndAnsweredOnceComplete() {
        // 120 references to Protocol_Version: a request of 247 octets, in 6 segments of 44 octets for max-APDU 50
        List<ReadPropertyMultiple.PropertyReference> refs = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            refs.add(new ReadPropertyMultiple.PropertyReference(PropertyIdentifier.PROTOCOL_VERSION.code(), null));
        }
        ByteString data = new ReadPropertyMultiple(List.of(new ReadPropertyMultiple.ReadAccessSpec(DEVICE, refs)))
                .encode();
        SegmentSender sender = SegmentSender.confirmedRequest(5, ConfirmedService.READ_PROPERTY_MULTIPLE.code(),
                data, 50, true, 64, 1476, 2, 3);
        assertTrue(sender.segmentCount() >= 5, sender.segmentCount() + " segments");

        List<Apdu> window = sender.start();
        int acks = 0;
        while (true) {
            window.forEach(segment -> receive(PEER, segment));
            Sent s = link.next();
            assertEquals(PEER, s.mac());
            Apdu.SegmentAck ack = s.as(Apdu.SegmentAck.class);
            assertTrue(ack.server(), "SRV=1: sent by the server");
            assertFalse(ack.negative());
            assertEquals(5, ack.invokeId());
            assertEquals(2, ack.actualWindowSize());
            acks++;
            SegmentSender.Step step = sender.onSegmentAck(ack);
            if (step.outcome() == SegmentSender.Outcome.DONE) {
                break;
            }
            assertEquals(SegmentSender.Outcome.CONTINUE, step.outcome());
            window = step.send();
        }
        // segment 0 alone, then windows of 2
        assertEquals(1 + (sender.segmentCount() - 1 + 1) / 2, acks);
        Apdu.ComplexAck answer = link.next().as(Apdu.ComplexAck.class);
        assertFalse(answer.segmented());
        assertEquals(5, answer.invokeId());
        assertEquals(ConfirmedService.READ_PROPERTY_MULTIPLE.code(), answer.serviceChoice());
        assertEquals(expectedAck(ConfirmedService.READ_PROPERTY_MULTIPLE, data), answer.service());
        assertNothingSent();
        DeviceStatus st = status();
        assertEquals(1, st.counters().requestsServed());
        assertEquals(0, st.serverInProgress());
    }

    /** A ReadPropertyMultiple of {@code references} x Protocol_Version of the device. */
    static ByteString manyReferences(int references) {
        List<ReadPropertyMultiple.PropertyReference> refs = new ArrayList<>();
        for (int i = 0; i < references; i++) {
            refs.add(new ReadPropertyMultiple.PropertyReference(PropertyIdentifier.PROTOCOL_VERSION.code(), null));
        }
        return new ReadPropertyMultiple(List.of(new ReadPropertyMultiple.ReadAccessSpec(DEVICE, refs))).encode();
    }

    static SegmentSender segmentedRequest(int invoke, ByteString data) {
        return SegmentSender.confirmedRequest(invoke, ConfirmedService.READ_PROPERTY_MULTIPLE.code(), data, 50, true,
                64, 1476, 16, 3);
    }

    @Test
    void the17thConcurrentSegmentedRequestIsAbortedOutOfResources() {
        ByteString data = manyReferences(60);
        for (int invoke = 0; invoke <= ServerTransactions.MAX_REASSEMBLING; invoke++) {
            receive(PEER, segmentedRequest(invoke, data).start().get(0));
        }
        for (int invoke = 0; invoke < ServerTransactions.MAX_REASSEMBLING; invoke++) {
            Apdu.SegmentAck ack = link.next().as(Apdu.SegmentAck.class);
            assertEquals(invoke, ack.invokeId());
            assertEquals(0, ack.sequenceNumber());
        }
        assertEquals(new Apdu.Abort(true, ServerTransactions.MAX_REASSEMBLING, 9), link.next().as(Apdu.Abort.class));
        assertNothingSent();
        assertEquals(ServerTransactions.MAX_REASSEMBLING, status().serverInProgress());
    }

    @Test
    void aSegmentedRequestOfMoreSegmentsThanMaxSegmentsAcceptedIsAbortedBufferOverflow() {
        // Max_Segments_Accepted 128: a request of 129 segments of 44 octets
        ByteString data = manyReferences(2840);
        SegmentSender sender = segmentedRequest(1, data);
        assertTrue(sender.segmentCount() > 128, sender.segmentCount() + " segments");
        List<Apdu> window = sender.start();
        while (true) {
            window.forEach(segment -> receive(PEER, segment));
            Apdu a = link.next().apdu();
            if (a instanceof Apdu.Abort abort) {
                assertEquals(new Apdu.Abort(true, 1, 1), abort);
                break;
            }
            SegmentSender.Step step = sender.onSegmentAck(assertInstanceOf(Apdu.SegmentAck.class, a));
            assertEquals(SegmentSender.Outcome.CONTINUE, step.outcome());
            window = step.send();
        }
        assertNothingSent();
        DeviceStatus st = status();
        assertEquals(0, st.serverInProgress());
        assertEquals(0, st.counters().requestsServed());
        assertEquals(1, st.counters().aborts());
    }

    @Test
    void aSegmentedRequestWhoseSegmentsStopIsDroppedAfterFourSegmentTimeouts() {
        SegmentSender sender = segmentedRequest(3, manyReferences(60));
        receive(PEER, sender.start().get(0));
        Apdu.SegmentAck ack = link.next().as(Apdu.SegmentAck.class);
        assertEquals(1, status().serverInProgress());
        time.timePasses(Duration.ofMillis(4 * 2000 - 1));
        assertEquals(1, status().serverInProgress());
        time.timePasses(Duration.ofMillis(1));
        assertNothingSent();
        DeviceStatus st = status();
        assertEquals(0, st.serverInProgress());
        assertEquals(1, st.counters().segmentTimeouts());
        // a segment after that starts nothing: the transaction is gone
        receive(PEER, sender.onSegmentAck(ack).send().get(0));
        assertEquals(new Apdu.Abort(true, 3, 2), link.next().as(Apdu.Abort.class));
        assertEquals(0, status().serverInProgress());
    }

    /** Plays a client that reassembles the segmented ComplexACK whose segment 0 is {@code first}. */
    ByteString reassemble(Apdu.ComplexAck first, int window, List<Apdu.ComplexAck> segments) {
        SegmentReceiver receiver = new SegmentReceiver(first, 0, 1 << 20, window);
        segments.add(first);
        SegmentReceiver.Step step = receiver.firstStep();
        while (true) {
            step.send().ifPresent(a -> receive(PEER, a));
            if (step.outcome() == SegmentReceiver.Outcome.COMPLETE) {
                return step.data().orElseThrow();
            }
            assertEquals(SegmentReceiver.Outcome.CONTINUE, step.outcome());
            Apdu.ComplexAck next = link.next().as(Apdu.ComplexAck.class);
            segments.add(next);
            step = receiver.onSegment(next);
        }
    }

    @Test
    void aComplexAckLongerThanTheClientsMaxApduIsSentInSegmentsAndCompletesWithTheClientsSegmentAcks() {
        ByteString data = rpmAll(PORT, DEVICE);
        ByteString expected = expectedAck(ConfirmedService.READ_PROPERTY_MULTIPLE, data);
        assertTrue(expected.size() > 4 * 123, expected.size() + " octets");
        receive(PEER, request(9, ConfirmedService.READ_PROPERTY_MULTIPLE, data, 128, 64, true));

        Sent s = link.next();
        assertEquals(PEER, s.mac());
        Apdu.ComplexAck first = s.as(Apdu.ComplexAck.class);
        assertTrue(first.segmented() && first.moreFollows());
        assertEquals(0, first.sequenceNumber());
        assertEquals(9, first.invokeId());
        List<Apdu.ComplexAck> segments = new ArrayList<>();
        ByteString reassembled = reassemble(first, 3, segments);

        assertEquals(expected, reassembled);
        assertEquals(SegmentSender.segmentsNeeded(expected.size(), 128, true), segments.size());
        for (int i = 0; i < segments.size(); i++) {
            Apdu.ComplexAck seg = segments.get(i);
            assertTrue(ApduCodec.encode(seg).size() <= 128, "segment " + i + " fits the client's max-APDU");
            assertEquals(i & 0xFF, seg.sequenceNumber());
            assertEquals(i < segments.size() - 1, seg.moreFollows());
        }
        assertNothingSent();
        DeviceStatus st = status();
        assertEquals(0, st.serverInProgress(), "the transaction ended with the last Segment-ACK");
        assertEquals(1, st.counters().segmentedResponses());
        assertEquals(0, st.counters().aborts());
    }

    @Test
    void aComplexAckNeedingMoreSegmentsThanTheClientAcceptsIsAbortedBufferOverflow() {
        receive(PEER, request(3, ConfirmedService.READ_PROPERTY_MULTIPLE, rpmAll(PORT), 50, 2, true));
        assertEquals(new Apdu.Abort(true, 3, 1), link.next().as(Apdu.Abort.class));
        // and one the client would take in one APDU only (SA=0): segmentation-not-supported
        receive(PEER, request(4, ConfirmedService.READ_PROPERTY_MULTIPLE, rpmAll(PORT), 206, 0, false));
        assertEquals(new Apdu.Abort(true, 4, 4), link.next().as(Apdu.Abort.class));
        assertNothingSent();
        DeviceStatus st = status();
        assertEquals(0, st.serverInProgress());
        assertEquals(0, st.counters().segmentedResponses());
    }

    @Test
    void the33rdConcurrentSegmentedResponseIsAbortedOutOfResources() {
        ByteString data = rpmAll(DEVICE);
        for (int invoke = 0; invoke <= ServerTransactions.MAX_SENDING; invoke++) {
            receive(PEER, request(invoke, ConfirmedService.READ_PROPERTY_MULTIPLE, data, 50, 0, true));
        }
        Set<Integer> segmenting = new HashSet<>();
        List<Apdu.Abort> aborts = new ArrayList<>();
        for (int i = 0; i <= ServerTransactions.MAX_SENDING; i++) {
            Apdu a = link.next().apdu();
            if (a instanceof Apdu.ComplexAck ack) {
                assertTrue(ack.segmented());
                assertEquals(0, ack.sequenceNumber());
                segmenting.add(ack.invokeId());
            } else {
                aborts.add(assertInstanceOf(Apdu.Abort.class, a));
            }
        }
        assertEquals(32, segmenting.size());
        assertEquals(List.of(new Apdu.Abort(true, 32, 9)), aborts);
        assertEquals(32, status().serverInProgress());

        // the client aborts one transfer: its place is free for the next
        receive(PEER, new Apdu.Abort(false, 0, 0));
        receive(PEER, request(40, ConfirmedService.READ_PROPERTY_MULTIPLE, data, 50, 0, true));
        Apdu.ComplexAck next = link.next().as(Apdu.ComplexAck.class);
        assertEquals(40, next.invokeId());
        assertTrue(next.segmented());
    }

    @Test
    void aSegmentedResponseTheClientStopsAcknowledgingIsDroppedAfterTheRetries() {
        receive(PEER, request(6, ConfirmedService.READ_PROPERTY_MULTIPLE, rpmAll(DEVICE), 128, 0, true));
        Apdu.ComplexAck first = link.next().as(Apdu.ComplexAck.class);
        status();
        // APDU_Segment_Timeout 2000 ms, Number_Of_APDU_Retries 3: segment 0 again three times, then nothing
        for (int retry = 1; retry <= 3; retry++) {
            time.timePasses(Duration.ofMillis(2000));
            assertEquals(first, link.next().as(Apdu.ComplexAck.class), "retry " + retry);
            status();
        }
        time.timePasses(Duration.ofMillis(2000));
        assertNothingSent();
        DeviceStatus st = status();
        assertEquals(0, st.serverInProgress());
        assertEquals(1, st.counters().segmentTimeouts());
    }

    @Test
    void aRepeatedRequestIsAnsweredAgainWithoutRunningItTwice() {
        Apdu.ConfirmedRequest rd = request(11, ConfirmedService.REINITIALIZE_DEVICE,
                new ReinitializeDevice(ReinitializeDevice.WARMSTART, null).encode());
        receive(PEER, rd);
        assertEquals(new Apdu.SimpleAck(11, 20), link.next().as(Apdu.SimpleAck.class));
        status();
        receive(PEER, rd);
        assertEquals(new Apdu.SimpleAck(11, 20), link.next().as(Apdu.SimpleAck.class));
        assertEquals(1, restarts.get());
        assertEquals(1, counters().duplicates());
        // the same invoke ID from another peer is another transaction
        receive(OTHER_PEER, rd);
        Sent s = link.next();
        assertEquals(OTHER_PEER, s.mac());
        assertEquals(new Apdu.SimpleAck(11, 20), s.as(Apdu.SimpleAck.class));
        status();
        assertEquals(2, restarts.get());
        // once the APDU timeout passed, the answer is forgotten: the request runs again
        time.timePasses(Duration.ofMillis(3000));
        status();
        receive(PEER, rd);
        assertEquals(new Apdu.SimpleAck(11, 20), link.next().as(Apdu.SimpleAck.class));
        status();
        assertEquals(3, restarts.get());
    }

    // ------------------------------------------------------------------------------------------------ client

    @Test
    void aRequestToASilentPeerIsRetriedAtEachApduTimeoutThenFailsTimeout() {
        CompletionStage<ReadPropertyAck> reply = device.client().readProperty(Address.local(PEER),
                new Value.ObjectId(8, 2000), PropertyIdentifier.OBJECT_NAME.code(), null);
        Sent first = link.next();
        assertEquals(PEER, first.mac());
        assertTrue(first.npdu().expectingReply());
        Apdu.ConfirmedRequest req = first.as(Apdu.ConfirmedRequest.class);
        assertTrue(req.segmentedResponseAccepted());
        assertEquals(1476, req.maxApdu());
        assertEquals(ConfirmedService.READ_PROPERTY.code(), req.serviceChoice());
        status();
        // APDU_Timeout 3000 ms, Number_Of_APDU_Retries 3
        for (int retry = 1; retry <= 3; retry++) {
            time.timePasses(Duration.ofMillis(2999));
            assertNothingSent();
            time.timePasses(Duration.ofMillis(1));
            assertEquals(req, link.next().as(Apdu.ConfirmedRequest.class), "retry " + retry);
            status();
            assertFalse(reply.toCompletableFuture().isDone());
        }
        time.timePasses(Duration.ofMillis(3000));
        assertEquals(BacnetException.Kind.TIMEOUT, failure(reply).kind());
        assertNothingSent();
        DeviceStatus st = status();
        assertEquals(0, st.clientOutstanding());
        assertEquals(1, st.counters().clientRequests());
        assertEquals(3, st.counters().clientRetries());
        assertEquals(1, st.counters().clientTimeouts());
    }

    /** Sends a client request and gives the invoke ID it went out with. */
    int sentInvoke() {
        Apdu.ConfirmedRequest req = link.next().as(Apdu.ConfirmedRequest.class);
        status();
        return req.invokeId();
    }

    @Test
    void errorRejectAndAbortAnswersFailTheRequestWithThatKind() {
        Address peer = Address.local(PEER);
        Value.ObjectId remote = new Value.ObjectId(8, 2000);

        CompletionStage<ReadPropertyAck> error = device.client().readProperty(peer, remote, 85, null);
        int invoke = sentInvoke();
        receive(PEER, new Apdu.Error(invoke, 12, ErrorCodes.PROPERTY, ErrorCodes.UNKNOWN_PROPERTY));
        BacnetException e = failure(error);
        assertEquals(BacnetException.Kind.ERROR, e.kind());
        assertEquals(ErrorCodes.PROPERTY, e.errorClass());
        assertEquals(ErrorCodes.UNKNOWN_PROPERTY, e.errorCode());

        CompletionStage<ReadPropertyAck> reject = device.client().readProperty(peer, remote, 85, null);
        invoke = sentInvoke();
        receive(PEER, new Apdu.Reject(invoke, 9));
        BacnetException r = failure(reject);
        assertEquals(BacnetException.Kind.REJECT, r.kind());
        assertEquals(9, r.reason());

        CompletionStage<ReadPropertyAck> abort = device.client().readProperty(peer, remote, 85, null);
        invoke = sentInvoke();
        receive(PEER, new Apdu.Abort(true, invoke, 4));
        BacnetException a = failure(abort);
        assertEquals(BacnetException.Kind.ABORT, a.kind());
        assertEquals(4, a.reason());

        DeviceStatus st = status();
        assertEquals(0, st.clientOutstanding());
        assertEquals(3, st.counters().clientRequests());
        assertEquals(0, st.counters().clientTimeouts());
    }

    @Test
    void aSimpleAckCompletesTheRequestAndAComplexAckGivesTheDecodedAck() {
        Address peer = Address.local(PEER);
        CompletionStage<Void> dcc = device.client().deviceCommunicationControl(peer, 0, null, null);
        int invoke = sentInvoke();
        // an answer from another MAC with that invoke ID is not the peer's
        receive(OTHER_PEER, new Apdu.SimpleAck(invoke, 17));
        status();
        assertFalse(dcc.toCompletableFuture().isDone());
        receive(PEER, new Apdu.SimpleAck(invoke, 17));
        assertNull(dcc.toCompletableFuture().join());

        Value.ObjectId remote = new Value.ObjectId(8, 2000);
        CompletionStage<ReadPropertyAck> rp = device.client().readProperty(peer, remote, 77, null);
        invoke = sentInvoke();
        ReadPropertyAck ack = new ReadPropertyAck(remote, 77, null, hex("75 04 00 41 42 43"));
        receive(PEER, Apdu.ComplexAck.of(invoke, 12, ack.encode()));
        assertEquals(ack, rp.toCompletableFuture().join());
        assertEquals(0, status().clientOutstanding());
    }

    /** Plays a server that sends {@code ack} in segments of {@code maxApdu}; gives what the client sent last. */
    Apdu serveInSegments(int invoke, ByteString ack, int maxApdu, int window) {
        SegmentSender server = SegmentSender.complexAck(invoke, ConfirmedService.READ_PROPERTY.code(), ack, maxApdu,
                window, 3);
        List<Apdu> segments = server.start();
        while (true) {
            segments.forEach(segment -> receive(PEER, segment));
            Sent s = link.next();
            assertEquals(PEER, s.mac());
            if (!(s.apdu() instanceof Apdu.SegmentAck segmentAck)) {
                return s.apdu();
            }
            assertFalse(segmentAck.server(), "SRV=0: sent by the client");
            SegmentSender.Step step = server.onSegmentAck(segmentAck);
            if (step.outcome() == SegmentSender.Outcome.DONE) {
                return segmentAck;
            }
            assertEquals(SegmentSender.Outcome.CONTINUE, step.outcome());
            segments = step.send();
        }
    }

    @Test
    void aSegmentedComplexAckIsReassembledWithSegmentAcksAndCompletesTheRequest() {
        Value.ObjectId remote = new Value.ObjectId(8, 2000);
        CompletionStage<ReadPropertyAck> rp = device.client().readProperty(Address.local(PEER), remote, 28, null);
        int invoke = sentInvoke();
        ReadPropertyAck ack = new ReadPropertyAck(remote, 28, null,
                Tags.application(Value.CharacterString.utf8("x".repeat(3000))));
        Apdu last = serveInSegments(invoke, ack.encode(), 128, 4);
        Apdu.SegmentAck finalAck = assertInstanceOf(Apdu.SegmentAck.class, last);
        assertEquals(invoke, finalAck.invokeId());
        assertEquals(ack, rp.toCompletableFuture().join());
        assertNothingSent();
        assertEquals(0, status().clientOutstanding());
    }

    @Test
    void aSegmentedComplexAckOfMoreSegmentsThanTheClientAcceptsIsAbortedBufferOverflow() {
        Value.ObjectId remote = new Value.ObjectId(8, 2000);
        CompletionStage<ReadPropertyAck> rp = device.client().readProperty(Address.local(PEER), remote, 28, null);
        Apdu.ConfirmedRequest req = link.next().as(Apdu.ConfirmedRequest.class);
        status();
        // Max_Segments_Accepted 128: sent as "more than 64"
        assertEquals(65, req.maxSegments());
        ReadPropertyAck ack = new ReadPropertyAck(remote, 28, null,
                Tags.application(Value.CharacterString.utf8("x".repeat(45 * 130))));
        Apdu last = serveInSegments(req.invokeId(), ack.encode(), 50, 16);
        assertEquals(new Apdu.Abort(false, req.invokeId(), 1), last);
        BacnetException e = failure(rp);
        assertEquals(BacnetException.Kind.ABORT, e.kind());
        assertEquals(1, e.reason());
        assertNothingSent();
        assertEquals(0, status().clientOutstanding());
    }

    @Test
    void the257thOutstandingRequestFailsNotSent() {
        Address peer = Address.local(PEER);
        ByteString data = readName(new Value.ObjectId(8, 2000));
        List<CompletionStage<ByteString>> replies = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            replies.add(device.client().confirmed(peer, ConfirmedService.READ_PROPERTY, data));
        }
        List<Integer> invokes = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            invokes.add(link.next().as(Apdu.ConfirmedRequest.class).invokeId());
        }
        assertEquals(256, new HashSet<>(invokes).size(), "every invoke ID once");
        assertEquals(256, status().clientOutstanding());

        CompletionStage<ByteString> overflow = device.client().confirmed(peer, ConfirmedService.READ_PROPERTY, data);
        assertEquals(BacnetException.Kind.NOT_SENT, failure(overflow).kind());
        assertNothingSent();

        // one answered: its invoke ID is free for the next request
        int freed = invokes.get(17);
        receive(PEER, new Apdu.SimpleAck(freed, 12));
        assertEquals(ByteString.emptyByteString(), replies.get(17).toCompletableFuture().join());
        device.client().confirmed(peer, ConfirmedService.READ_PROPERTY, data);
        assertEquals(freed, link.next().as(Apdu.ConfirmedRequest.class).invokeId());
        assertEquals(256, status().clientOutstanding());
        assertFalse(replies.get(0).toCompletableFuture().isDone());
    }

    // ------------------------------------------------------------------------------------------------ DCC, RD

    @Test
    void dccDisableInitiationWithADurationRevertsToEnableWhenTheDurationPasses() {
        receive(PEER, request(1, ConfirmedService.DEVICE_COMMUNICATION_CONTROL,
                new DeviceCommunicationControl(5, DeviceCommunicationControl.DISABLE_INITIATION, null).encode()));
        assertEquals(new Apdu.SimpleAck(1, 17), link.next().as(Apdu.SimpleAck.class));
        assertEquals(2, status().communication());

        // nothing initiated: announce, unconfirmed sends and client requests
        device.announce();
        device.client().unconfirmed(null, UnconfirmedService.WHO_IS, WhoIs.all().encode());
        BacnetException refused = failure(device.client().readProperty(Address.local(PEER), DEVICE, 77, null));
        assertEquals(BacnetException.Kind.COMMUNICATION_DISABLED, refused.kind());
        assertNothingSent();
        assertEquals(3, counters().droppedWhileDisabled());

        // answers still go out: I-Am for Who-Is, and the server's ACKs
        receive(PEER, ApduCodec.encode(new Apdu.UnconfirmedRequest(8, WhoIs.all().encode())), true);
        Sent iAm = link.next();
        assertTrue(iAm.broadcast());
        assertEquals(UnconfirmedService.I_AM.code(), iAm.as(Apdu.UnconfirmedRequest.class).serviceChoice());
        receive(PEER, request(2, ConfirmedService.READ_PROPERTY, readName(DEVICE)));
        assertEquals(2, link.next().as(Apdu.ComplexAck.class).invokeId());

        time.timePasses(Duration.ofMinutes(5).minusMillis(1));
        assertEquals(2, status().communication());
        time.timePasses(Duration.ofMillis(1));
        assertEquals(0, status().communication());

        device.announce();
        Sent announced = link.next();
        assertTrue(announced.broadcast());
        assertEquals(Npdu.GLOBAL, announced.npdu().dnet(), "I-Am at start-up is a global broadcast");
        assertEquals(new IAm(DEVICE, 1476, 0, 999),
                ok(IAm.decode(announced.as(Apdu.UnconfirmedRequest.class).service())));
    }

    @Test
    void dccDisableInitiationWithoutADurationLastsUntilEnable() {
        receive(PEER, request(1, ConfirmedService.DEVICE_COMMUNICATION_CONTROL,
                new DeviceCommunicationControl(null, 2, null).encode()));
        assertEquals(new Apdu.SimpleAck(1, 17), link.next().as(Apdu.SimpleAck.class));
        status();
        time.timePasses(Duration.ofDays(2));
        assertEquals(2, status().communication());
        // a duration, then an enable before it ends: no later revert surprises
        receive(PEER, request(2, ConfirmedService.DEVICE_COMMUNICATION_CONTROL,
                new DeviceCommunicationControl(10, 2, null).encode()));
        assertEquals(new Apdu.SimpleAck(2, 17), link.next().as(Apdu.SimpleAck.class));
        receive(PEER, request(3, ConfirmedService.DEVICE_COMMUNICATION_CONTROL,
                new DeviceCommunicationControl(null, 0, null).encode()));
        assertEquals(new Apdu.SimpleAck(3, 17), link.next().as(Apdu.SimpleAck.class));
        assertEquals(0, status().communication());
        receive(PEER, request(4, ConfirmedService.DEVICE_COMMUNICATION_CONTROL,
                new DeviceCommunicationControl(null, 2, null).encode()));
        assertEquals(new Apdu.SimpleAck(4, 17), link.next().as(Apdu.SimpleAck.class));
        status();
        time.timePasses(Duration.ofMinutes(11));
        assertEquals(2, status().communication(), "the cancelled 10-minute timer does not enable");
        // DCC disable (deprecated): an Error, communication unchanged
        receive(PEER, request(5, ConfirmedService.DEVICE_COMMUNICATION_CONTROL,
                new DeviceCommunicationControl(null, 1, null).encode()));
        assertEquals(new Apdu.Error(5, 17, ErrorCodes.SERVICES, ErrorCodes.SERVICE_REQUEST_DENIED),
                link.next().as(Apdu.Error.class));
        assertEquals(2, status().communication());
    }

    @Test
    void reinitializeDeviceWarmstartSendsTheSimpleAckThenRestartsThePort() {
        receive(PEER, request(7, ConfirmedService.REINITIALIZE_DEVICE,
                new ReinitializeDevice(ReinitializeDevice.WARMSTART, null).encode()));
        Sent s = link.next();
        assertEquals(PEER, s.mac());
        assertEquals(new Apdu.SimpleAck(7, ConfirmedService.REINITIALIZE_DEVICE.code()), s.as(Apdu.SimpleAck.class));
        status();
        assertEquals(1, restarts.get());
        assertArrayEquals(new String[] {"sent", "restart"}, events.toArray(new String[0]));
    }

    @Test
    void reinitializeDeviceColdstartRestartsAndEnablesCommunicationActivateChangesDoesNeither() {
        receive(PEER, request(1, ConfirmedService.DEVICE_COMMUNICATION_CONTROL,
                new DeviceCommunicationControl(null, 2, null).encode()));
        link.next();
        assertEquals(2, status().communication());
        receive(PEER, request(2, ConfirmedService.REINITIALIZE_DEVICE,
                new ReinitializeDevice(ReinitializeDevice.ACTIVATE_CHANGES, null).encode()));
        assertEquals(new Apdu.SimpleAck(2, 20), link.next().as(Apdu.SimpleAck.class));
        DeviceStatus st = status();
        assertEquals(0, restarts.get());
        assertEquals(2, st.communication());
        receive(PEER, request(3, ConfirmedService.REINITIALIZE_DEVICE,
                new ReinitializeDevice(ReinitializeDevice.COLDSTART, null).encode()));
        assertEquals(new Apdu.SimpleAck(3, 20), link.next().as(Apdu.SimpleAck.class));
        st = status();
        assertEquals(1, restarts.get());
        assertEquals(0, st.communication());
        // refused states restart nothing
        receive(PEER, request(4, ConfirmedService.REINITIALIZE_DEVICE, new ReinitializeDevice(2, null).encode()));
        assertEquals(new Apdu.Error(4, 20, ErrorCodes.SERVICES, ErrorCodes.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED),
                link.next().as(Apdu.Error.class));
        status();
        assertEquals(1, restarts.get());
    }

    @Test
    void theServerAnswersErrorsAndRejectsAsPdusAndCountsThem() {
        receive(PEER, request(1, ConfirmedService.READ_PROPERTY, readName(new Value.ObjectId(0, 9))));
        assertEquals(new Apdu.Error(1, 12, ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT),
                link.next().as(Apdu.Error.class));
        receive(PEER, new Apdu.ConfirmedRequest(false, false, true, 0, 1476, 2, 0, 0, 8, hex("09 01")));
        assertEquals(new Apdu.Reject(2, 9), link.next().as(Apdu.Reject.class));
        receive(PEER, request(3, ConfirmedService.READ_PROPERTY, hex("19 4D")));
        assertEquals(new Apdu.Reject(3, 4), link.next().as(Apdu.Reject.class));
        DeviceCounters c = counters();
        assertEquals(3, c.requestsServed());
        assertEquals(1, c.errors());
        assertEquals(2, c.rejects());
    }
}
