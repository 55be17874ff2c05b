package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.device.Address;
import org.bacnetsc.device.BacnetClient;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.BacnetException;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.codec.ApduCodec;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ErrorCodes;
import org.bacnetsc.device.object.ObjectType;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.service.ConfirmedService;
import org.bacnetsc.device.service.IHave;
import org.bacnetsc.device.service.ReadProperty;
import org.bacnetsc.device.service.ReadPropertyAck;
import org.bacnetsc.device.service.ReadPropertyMultiple;
import org.bacnetsc.device.service.ReadPropertyMultipleAck;
import org.bacnetsc.device.service.WhoHas;
import org.bacnetsc.device.service.WhoIs;
import org.bacnetsc.network.Npdu;
import org.bacnetsc.network.NpduCodec;
import org.bacnetsc.network.NpduDecodeResult;
import org.bacnetsc.node.ReceivedNpdu;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub and its nodes as BACnet devices, over real mutual TLS 1.3 through a real hub on 127.0.0.1: the hub device
 * (instance 100) with the hub function in its Network Port, a node device (201) and a client device (202) that reads
 * them with ReadProperty, ReadPropertyMultiple and AtomicReadFile; a raw node (no device) sends crafted APDUs.
 */
@ExtendWith(LogCapturingExtension.class)
class HubDeviceTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final ActorTestKit KIT = ActorTestKit.create("hub-device");
    static final Value.ObjectId PORT = new Value.ObjectId(ObjectType.NETWORK_PORT.code(), ScDevice.PORT_INSTANCE);

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;
    static ScNode nodeA;
    static ScNode nodeB;
    static ScNode raw;
    static BacnetDevice deviceA;
    static BacnetDevice client;
    static final LinkedBlockingQueue<ReceivedNpdu> rawInbox = new LinkedBlockingQueue<>();
    static Address hubDevice;
    static Address a;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(3);
        hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir())
                .device(new HubDevice.Settings(100, "Test hub", ""))
                .start(KIT.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        nodeA = node(1);
        nodeB = node(2);
        raw = node(3);
        raw.subscribe(KIT.spawn(org.apache.pekko.actor.typed.javadsl.Behaviors.<ReceivedNpdu>receiveMessage(r -> {
            rawInbox.add(r);
            return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
        })));
        DeviceInfo infoA = new DeviceInfo(201, "Node A", "bacnet-sc-pekko", 999, "test", "1", "1", "", "", 3000, 3,
                200, 128, null, "secret");
        deviceA = get(ScDevice.start(KIT.system(), nodeA, infoA));
        client = get(ScDevice.start(KIT.system(), nodeB, DeviceInfo.of(202, "Client")));
        TestProbe<Object> probe = KIT.createTestProbe();
        probe.awaitAssert(WAIT, () -> {
            assertTrue(get(nodeA.status()).connected() && get(nodeB.status()).connected()
                    && get(raw.status()).connected() && get(hub.device().orElseThrow().node().status()).connected());
            return null;
        });
        List<BacnetClient.Found> found = get(client.client().whoIs(WhoIs.all(), Duration.ofSeconds(2)));
        hubDevice = found.stream().filter(f -> f.instance() == 100).findFirst().orElseThrow().address();
        a = found.stream().filter(f -> f.instance() == 201).findFirst().orElseThrow().address();
    }

    static ScNode node(int n) {
        return ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), n).stateDir(dir.resolve("state-" + n))
                .start(KIT.system());
    }

    @AfterAll
    static void stop() throws Exception {
        for (ScNode n : List.of(nodeA, nodeB, raw)) {
            n.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static ByteString read(Address to, Value.ObjectId object, PropertyIdentifier p) throws Exception {
        return get(client.client().readProperty(to, object, p.code(), null)).value();
    }

    static Value app(ByteString encoded) {
        return ((Tags.Ok<Value>) Tags.readApplication(encoded, 0)).value();
    }

    static BacnetException failure(CompletionStage<?> s) throws Exception {
        try {
            get(s);
        } catch (ExecutionException e) {
            return assertInstanceOf(BacnetException.class, e.getCause());
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void whoIsFindsTheHubDeviceAndEveryNodeDeviceWithTheirVmacs() throws Exception {
        List<BacnetClient.Found> found = get(client.client().whoIs(WhoIs.all(), Duration.ofSeconds(2)));
        Set<Integer> instances = found.stream().map(BacnetClient.Found::instance).collect(Collectors.toSet());
        assertTrue(instances.containsAll(Set.of(100, 201)), instances.toString());
        assertFalse(instances.contains(202), "a device does not hear its own I-Am");
        assertEquals(ByteString.fromArrayUnsafe(get(nodeA.status()).vmac().toBytes()), a.mac());
        List<BacnetClient.Found> one = get(client.client().whoIs(new WhoIs(201L, 201L), Duration.ofSeconds(1)));
        assertEquals(List.of(201), one.stream().map(BacnetClient.Found::instance).toList());
    }

    @Test
    void everyScPropertyOfANodesAndTheHubDevicesNetworkPortIsReadableWithReadProperty() throws Exception {
        int read = 0;
        for (Address device : List.of(a, hubDevice)) {
            for (PropertyIdentifier p : PropertyIdentifier.values()) {
                boolean sc = p.code() >= 4194304 || p.code() >= 509 && p.code() <= 511;
                if (!sc) {
                    continue;
                }
                ReadPropertyAck ack = get(client.client().readProperty(device, PORT, p.code(), null));
                assertEquals(PORT, ack.object(), p.standardName());
                assertEquals(p.code(), ack.property());
                read++;
            }
        }
        assertEquals(2 * 27, read, "the 24 SC properties 4194304-4194327 and 509-511, on both devices");
        ByteString uuid = ((Value.OctetString) app(read(a, new Value.ObjectId(8, 201),
                PropertyIdentifier.DEVICE_UUID))).value();
        assertEquals(16, uuid.size(), "Device_UUID is the node's SC Device UUID");
        assertEquals(new Value.Enumerated(1), app(read(a, PORT, PropertyIdentifier.SC_HUB_CONNECTOR_STATE)));
        assertEquals(new Value.OctetString(ByteString.fromArrayUnsafe(get(nodeA.status()).vmac().toBytes())),
                app(read(a, PORT, PropertyIdentifier.MAC_ADDRESS)));
        ScTypes.HubConnection primary = ((Tags.Ok<ScTypes.HubConnection>) ScTypes.decodeHubConnection(
                read(a, PORT, PropertyIdentifier.SC_PRIMARY_HUB_CONNECTION_STATUS))).value();
        assertEquals(1, primary.state());
        assertNull(primary.error());
        assertEquals(new Value.CharacterString(0, ByteString.fromString(hub.uri().toString())),
                app(read(a, PORT, PropertyIdentifier.SC_PRIMARY_HUB_URI)));
        assertEquals(new Value.Bool(false), app(read(a, PORT, PropertyIdentifier.SC_HUB_FUNCTION_ENABLE)));
        assertEquals(new Value.Enumerated(11), app(read(a, PORT, PropertyIdentifier.NETWORK_TYPE)));
    }

    @Test
    void theHubDevicesPortListsEveryConnectedNodeAsTheHubStatusDoes() throws Exception {
        assertEquals(new Value.Bool(true), app(read(hubDevice, PORT, PropertyIdentifier.SC_HUB_FUNCTION_ENABLE)));
        ByteString list = read(hubDevice, PORT, PropertyIdentifier.SC_HUB_FUNCTION_CONNECTION_STATUS);
        List<ScTypes.HubFunctionConnection> entries = ((Tags.Ok<List<ScTypes.HubFunctionConnection>>)
                ScTypes.decodeList(ScTypes.HUB_FUNCTION_CONNECTION, list)).value();
        Set<ByteString> connected = entries.stream().filter(e -> e.state() == 1)
                .map(ScTypes.HubFunctionConnection::peerVmac).collect(Collectors.toSet());
        Set<ByteString> fromStatus = get(hub.status()).connections().stream()
                .filter(c -> c.state() == org.bacnetsc.connection.ScConnectionState.CONNECTED)
                .map(c -> ByteString.fromArrayUnsafe(c.vmac().toBytes())).collect(Collectors.toSet());
        assertEquals(fromStatus, connected);
        for (ScNode n : List.of(nodeA, nodeB, raw, hub.device().orElseThrow().node())) {
            assertTrue(connected.contains(ByteString.fromArrayUnsafe(get(n.status()).vmac().toBytes())));
        }
        ScTypes.HubFunctionConnection e = entries.get(0);
        assertNotNull(e.peer().ip(), "the peer's address is an IP address");
        assertEquals(16, e.peerUuid().size());
    }

    @Test
    void readPropertyMultipleAllOfANodesNetworkPortAnswersEveryPropertyWithoutError() throws Exception {
        ReadPropertyMultipleAck ack = get(client.client().readPropertyMultiple(a, new ReadPropertyMultiple(List.of(
                new ReadPropertyMultiple.ReadAccessSpec(PORT, List.of(new ReadPropertyMultiple.PropertyReference(
                        PropertyIdentifier.ALL.code(), null)))))));
        List<ReadPropertyMultipleAck.ResultElement> all = ack.results().get(0).results();
        all.forEach(e -> assertNull(e.error(), PropertyIdentifier.nameOf(e.property())));
        assertTrue(all.stream().anyMatch(e -> e.property() == PropertyIdentifier.SC_PRIMARY_HUB_CONNECTION_STATUS
                .code()));
        assertTrue(all.stream().anyMatch(e -> e.property() == PropertyIdentifier.SC_FAILED_CONNECTION_REQUESTS
                .code()));
    }

    @Test
    void readPropertyMultipleAllOfTheHubDevicesObjectsIsSegmentedAndReassembled() throws Exception {
        List<ReadPropertyMultiple.ReadAccessSpec> specs = new ArrayList<>();
        for (Value.ObjectId o : List.of(new Value.ObjectId(8, 100), PORT, new Value.ObjectId(10, 1),
                new Value.ObjectId(10, 2), new Value.ObjectId(10, 3), new Value.ObjectId(10, 4))) {
            specs.add(new ReadPropertyMultiple.ReadAccessSpec(o,
                    List.of(new ReadPropertyMultiple.PropertyReference(PropertyIdentifier.ALL.code(), null))));
        }
        long before = get(hub.device().orElseThrow().device().status()).counters().segmentedResponses();
        ReadPropertyMultipleAck ack = get(client.client().readPropertyMultiple(hubDevice,
                new ReadPropertyMultiple(specs)));
        assertEquals(6, ack.results().size());
        for (ReadPropertyMultipleAck.ReadAccessResult r : ack.results()) {
            for (ReadPropertyMultipleAck.ResultElement e : r.results()) {
                assertNull(e.error(), r.object() + " " + PropertyIdentifier.nameOf(e.property()));
            }
        }
        ReadPropertyMultipleAck.ReadAccessResult port = ack.results().get(1);
        long listed = ((Value.Unsigned) app(get(client.client().readProperty(hubDevice, PORT,
                PropertyIdentifier.PROPERTY_LIST.code(), 0L)).value())).value();
        assertEquals(listed + 3, port.results().size(), "ALL: Property_List's properties and the three it omits");
        assertEquals(before + 1, get(hub.device().orElseThrow().device().status()).counters().segmentedResponses(),
                "the ACK was longer than 1476 octets, so it came in segments");
    }

    @Test
    void atomicReadFileOfTheOperationalCertificateIsThePemOnDisk() throws Exception {
        ByteString pem = get(client.client().readFile(a, ScDevice.OPERATIONAL_FILE));
        assertArrayEquals(Files.readAllBytes(pki.node(1).certificate()), pem.toArray());
        ByteString issuer = get(client.client().readFile(a, ScDevice.ISSUER_FILE_1));
        assertTrue(issuer.utf8String().startsWith("-----BEGIN CERTIFICATE-----"));
        assertFalse(issuer.utf8String().contains("PRIVATE KEY"));
        assertEquals(new Value.Unsigned(pem.size()),
                app(read(a, new Value.ObjectId(10, ScDevice.OPERATIONAL_FILE), PropertyIdentifier.FILE_SIZE)));
        BacnetException e = failure(client.client().atomicReadFile(a, ScDevice.OPERATIONAL_FILE, pem.size() + 1, 10));
        assertEquals(ErrorCodes.INVALID_FILE_START_POSITION, e.errorCode());
    }

    @Test
    void whoHasFindsAnObjectByNameAndByIdentifier() throws Exception {
        List<IHave> byName = get(client.client().whoHas(new WhoHas(null, null, null, "Node A"),
                Duration.ofSeconds(1)));
        assertEquals(1, byName.size());
        assertEquals(new Value.ObjectId(8, 201), byName.get(0).object());
        List<IHave> byId = get(client.client().whoHas(new WhoHas(100L, 100L, PORT, null), Duration.ofSeconds(1)));
        assertEquals(1, byId.size());
        assertEquals(new Value.ObjectId(8, 100), byId.get(0).device());
        assertEquals("SC port", byId.get(0).name());
    }

    @Test
    void errorsRejectsAndWriteAccessDeniedAreAnsweredAsTheDigestSays() throws Exception {
        BacnetException unknownObject = failure(client.client().readProperty(a, new Value.ObjectId(0, 9), 85, null));
        assertEquals(ErrorCodes.UNKNOWN_OBJECT, unknownObject.errorCode());
        BacnetException unknownProperty = failure(client.client().readProperty(a, PORT, 85, null));
        assertEquals(ErrorCodes.UNKNOWN_PROPERTY, unknownProperty.errorCode());
        BacnetException notArray = failure(client.client().readProperty(a, PORT, PropertyIdentifier.NETWORK_TYPE
                .code(), 1L));
        assertEquals(ErrorCodes.PROPERTY_IS_NOT_AN_ARRAY, notArray.errorCode());
        assertEquals(new Value.Unsigned(6), app(get(client.client().readProperty(a, new Value.ObjectId(8, 201),
                PropertyIdentifier.OBJECT_LIST.code(), 0L)).value()), "Device, port, four files");
        BacnetException write = failure(client.client().writeProperty(a, PORT,
                PropertyIdentifier.SC_HEARTBEAT_TIMEOUT.code(), null, Tags.application(new Value.Unsigned(30))));
        assertEquals(ErrorCodes.WRITE_ACCESS_DENIED, write.errorCode());
        BacnetException unsupported = failure(client.client().confirmed(a, ConfirmedService.of(8).orElseThrow(),
                ByteString.emptyByteString()));
        assertEquals(BacnetException.Kind.REJECT, unsupported.kind());
        assertEquals(9, unsupported.reason());
        BacnetException wildcard = null;
        ReadPropertyAck self = get(client.client().readProperty(a, new Value.ObjectId(8, 4194303),
                PropertyIdentifier.OBJECT_IDENTIFIER.code(), null));
        assertEquals(new Value.ObjectId(8, 201), self.object(), "the wildcard is answered with the real identifier");
        assertNull(wildcard);
    }

    @Test
    void dccDisableIsDeniedAndDisableInitiationStopsTheDevicesClientUntilEnabled() throws Exception {
        BacnetException denied = failure(client.client().deviceCommunicationControl(a, 1, null, "secret"));
        assertEquals(ErrorCodes.SERVICE_REQUEST_DENIED, denied.errorCode());
        BacnetException password = failure(client.client().deviceCommunicationControl(a, 2, null, "wrong"));
        assertEquals(ErrorCodes.PASSWORD_FAILURE, password.errorCode());
        get(client.client().deviceCommunicationControl(a, 2, 5, "secret"));
        BacnetException disabled = failure(deviceA.client().readProperty(hubDevice, PORT,
                PropertyIdentifier.NETWORK_TYPE.code(), null));
        assertEquals(BacnetException.Kind.COMMUNICATION_DISABLED, disabled.kind());
        assertEquals(2, get(deviceA.status()).communication());
        // still answers: reads, and I-Am for Who-Is
        assertEquals(new Value.Enumerated(11), app(read(a, PORT, PropertyIdentifier.NETWORK_TYPE)));
        assertEquals(List.of(201), get(client.client().whoIs(new WhoIs(201L, 201L), Duration.ofSeconds(1)))
                .stream().map(BacnetClient.Found::instance).toList());
        get(client.client().deviceCommunicationControl(a, 0, null, "secret"));
        assertEquals(new Value.Enumerated(11), app(get(deviceA.client().readProperty(hubDevice, PORT,
                PropertyIdentifier.NETWORK_TYPE.code(), null)).value()));
    }

    @Test
    void theHubsStatusAndMetricsCountWhatItsDeviceAnswered() throws Exception {
        read(hubDevice, PORT, PropertyIdentifier.NETWORK_TYPE);
        failure(client.client().readProperty(hubDevice, PORT, 85, null));
        var source = Management.source(KIT.system(), hub);
        com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(get(source.status()));
        assertEquals(100, status.path("device").path("instance").asInt());
        assertTrue(status.path("device").path("counters").path("requestsServed").asLong() >= 2);
        assertTrue(status.path("device").path("counters").path("errors").asLong() >= 1);
        String metrics = get(source.metrics());
        assertTrue(metrics.contains("bacnet_sc_hub_device_requests_total{answer=\"all\"}"), metrics);
        assertTrue(metrics.contains("bacnet_sc_hub_device_requests_total{answer=\"error\"}"), metrics);
    }

    // ------------------------------------------------------------------------------------------------ raw APDUs

    static void sendRaw(Address to, Apdu apdu) throws Exception {
        get(raw.send(Vmac.of(to.mac().toArray()), NpduCodec.encode(Npdu.local(ApduCodec.encode(apdu), true))));
    }

    static Apdu receiveRaw(Address from) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ReceivedNpdu r = rawInbox.poll(100, TimeUnit.MILLISECONDS);
            if (r == null || !ByteString.fromArrayUnsafe(r.source().toBytes()).equals(from.mac())) {
                continue;
            }
            Npdu n = ((NpduDecodeResult.Decoded) NpduCodec.decode(r.npdu())).npdu();
            if (n.apdu() != null && !(ApduCodec.decode(n.apdu()) instanceof Apdu.UnconfirmedRequest)) {
                return (Apdu) ApduCodec.decode(n.apdu());
            }
        }
        throw new AssertionError("no answer from " + from);
    }

    static Apdu.ConfirmedRequest rpmAll(int invokeId, int maxApdu, boolean segmentedAccepted, int maxSegments) {
        ReadPropertyMultiple rpm = new ReadPropertyMultiple(List.of(new ReadPropertyMultiple.ReadAccessSpec(PORT,
                List.of(new ReadPropertyMultiple.PropertyReference(PropertyIdentifier.ALL.code(), null)))));
        return new Apdu.ConfirmedRequest(false, false, segmentedAccepted, maxSegments, maxApdu, invokeId, 0, 0,
                ConfirmedService.READ_PROPERTY_MULTIPLE.code(), rpm.encode());
    }

    @Test
    void aMaxApdu50ClientWithoutSegmentationGetsAbortSegmentationNotSupported() throws Exception {
        rawInbox.clear();
        sendRaw(a, rpmAll(17, 50, false, 0));
        Apdu.Abort abort = assertInstanceOf(Apdu.Abort.class, receiveRaw(a));
        assertTrue(abort.server());
        assertEquals(17, abort.invokeId());
        assertEquals(4, abort.reason());
    }

    @Test
    void aRepeatedInvokeIdIsAnsweredAgainFromTheCacheNotExecutedTwice() throws Exception {
        rawInbox.clear();
        long before = get(deviceA.status()).counters().duplicates();
        Apdu.ConfirmedRequest rp = Apdu.ConfirmedRequest.of(1476, 33, ConfirmedService.READ_PROPERTY.code(),
                new ReadProperty(PORT, PropertyIdentifier.SC_HUB_CONNECTOR_STATE.code(), null).encode());
        sendRaw(a, rp);
        Apdu first = receiveRaw(a);
        sendRaw(a, rp);
        Apdu second = receiveRaw(a);
        assertInstanceOf(Apdu.ComplexAck.class, first);
        assertEquals(first, second);
        assertEquals(before + 1, get(deviceA.status()).counters().duplicates());
    }

    @Test
    void aClientThatNeverAcknowledgesASegmentCostsNothingAfterTheRetries() throws Exception {
        rawInbox.clear();
        long before = get(deviceA.status()).counters().segmentTimeouts();
        sendRaw(a, rpmAll(44, 206, true, 64));
        Apdu.ComplexAck segment = assertInstanceOf(Apdu.ComplexAck.class, receiveRaw(a));
        assertTrue(segment.segmented() && segment.moreFollows());
        assertEquals(0, segment.sequenceNumber());
        // no Segment-ACK: the server resends segment 0 on each segment timeout (200 ms here), 3 times, then drops it
        for (int i = 0; i < 3; i++) {
            Apdu.ComplexAck again = assertInstanceOf(Apdu.ComplexAck.class, receiveRaw(a));
            assertEquals(0, again.sequenceNumber());
        }
        TestProbe<Object> probe = KIT.createTestProbe();
        probe.awaitAssert(WAIT, () -> {
            assertEquals(before + 1, get(deviceA.status()).counters().segmentTimeouts());
            assertEquals(0, get(deviceA.status()).serverInProgress());
            return null;
        });
    }
}
