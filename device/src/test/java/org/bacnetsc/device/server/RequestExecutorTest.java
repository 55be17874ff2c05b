package org.bacnetsc.device.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.BacnetObject;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ErrorCodes;
import org.bacnetsc.device.object.FileObject;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.object.ScNetworkPort;
import org.bacnetsc.device.object.ScPortConfig;
import org.bacnetsc.device.object.ScPortState;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request executor over a device with an SC Network Port and File objects (digest sections 1.2, 3, 4): the
 * Reject every malformed request gets, the Error every service-level failure gets, and the values and encodings of
 * what it answers.
 */
class RequestExecutorTest {

    static final int INSTANCE = 1001;
    static final ByteString VMAC = hex("0A 0B 0C 0D 0E 0F");
    /** The standard's example file (digest vector 10) and more after it. */
    static final String TEXT = "Chiller01 On-Time=4.3 Hours";
    static final ByteString CONTENT = ByteString.fromString(TEXT + "\nChiller02 On-Time=1.5 Hours\n",
            StandardCharsets.US_ASCII);

    static final Value.ObjectId DEVICE = new Value.ObjectId(8, INSTANCE);
    static final Value.ObjectId WILDCARD_DEVICE = new Value.ObjectId(8, ObjectDatabase.WILDCARD);
    static final Value.ObjectId PORT = new Value.ObjectId(56, 1);
    static final Value.ObjectId FILE = new Value.ObjectId(10, 1);
    static final Value.ObjectId EMPTY_FILE = new Value.ObjectId(10, 2);
    static final Value.ObjectId UNKNOWN = new Value.ObjectId(0, 7);
    /** (device, 1001) as a context tag [0]: 0C 02 00 03 E9. */
    static final String DEVICE_CTX0 = "0C 02 00 03 E9";

    ObjectDatabase db;
    RequestExecutor executor;

    static ByteString hex(String hex) {
        String h = hex.replace(" ", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return ByteString.fromArray(out);
    }

    static String hex(ByteString b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.size(); i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02X", b.apply(i) & 0xFF));
        }
        return s.toString();
    }

    static ScPortConfig portConfig() {
        return new ScPortConfig(1, "SC port", "wss://hub.example:4443", "wss://failover.example:4443", 10, 10, 300,
                2, 30, 1600, 1497, "", false, List.of(), "", 0, 1, List.of(3, 4), 2);
    }

    static ScPortState portState() {
        ScTypes.DateTime at = new ScTypes.DateTime(new Value.Date(126, 6, 12, 5), new Value.Time(8, 0, 0, 0));
        return new ScPortState(VMAC, 1,
                new ScTypes.HubConnection(1, at, ScTypes.DateTime.UNSPECIFIED, null, null),
                new ScTypes.HubConnection(0, ScTypes.DateTime.UNSPECIFIED, ScTypes.DateTime.UNSPECIFIED, null, null),
                false, false, List.of(), List.of(), List.of(), List.of(), ScTypes.Health.healthy(at));
    }

    /** A device with an SC Network Port, a file with {@link #CONTENT} and an empty one. */
    static ObjectDatabase database(DeviceInfo info) {
        ObjectDatabase db = new ObjectDatabase(info);
        ScPortState state = portState();
        db.add(ScNetworkPort.create(portConfig(), () -> state, () -> CompletableFuture.completedFuture(null)));
        db.add(FileObject.create(1, "Operational Certificate", "application/x-pem-file", () -> CONTENT, () -> null));
        db.add(FileObject.create(2, "Certificate Signing Request", "application/pkcs10",
                ByteString::emptyByteString, () -> null));
        return db;
    }

    @BeforeEach
    void setUp() {
        db = database(DeviceInfo.of(INSTANCE, "Device 1001"));
        executor = new RequestExecutor(db);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    Answer confirmed(ConfirmedService service, ByteString data) {
        return executor.confirmed(service.code(), data);
    }

    Answer confirmed(ConfirmedService service, String hex) {
        return confirmed(service, hex(hex));
    }

    static void assertReject(int reason, Answer a) {
        Answer.Reject r = assertInstanceOf(Answer.Reject.class, a, () -> "a Reject " + reason + " expected");
        assertEquals(reason, r.reason(), r.why());
    }

    static void assertError(long errorClass, long errorCode, Answer a) {
        Answer.Error e = assertInstanceOf(Answer.Error.class, a, () -> "an Error expected");
        assertEquals(errorClass + "/" + errorCode, e.errorClass() + "/" + e.errorCode());
    }

    static <T> T ok(ServiceDecode<T> d) {
        if (d instanceof ServiceDecode.Ok<T> ok) {
            return ok.value();
        }
        return fail("does not decode: " + d);
    }

    static ByteString complex(Answer a) {
        return assertInstanceOf(Answer.Complex.class, a, () -> "a ComplexACK expected").data();
    }

    ReadPropertyAck read(Value.ObjectId object, PropertyIdentifier p, Long index) {
        return read(object, p.code(), index);
    }

    ReadPropertyAck read(Value.ObjectId object, long p, Long index) {
        return ok(ReadPropertyAck.decode(complex(confirmed(ConfirmedService.READ_PROPERTY,
                new ReadProperty(object, p, index).encode()))));
    }

    Answer readAnswer(Value.ObjectId object, long p, Long index) {
        return confirmed(ConfirmedService.READ_PROPERTY, new ReadProperty(object, p, index).encode());
    }

    ReadPropertyMultipleAck rpm(ReadPropertyMultiple.ReadAccessSpec... specs) {
        return ok(ReadPropertyMultipleAck.decode(complex(confirmed(ConfirmedService.READ_PROPERTY_MULTIPLE,
                new ReadPropertyMultiple(List.of(specs)).encode()))));
    }

    static ReadPropertyMultiple.ReadAccessSpec spec(Value.ObjectId object, long... properties) {
        List<ReadPropertyMultiple.PropertyReference> refs = new ArrayList<>();
        for (long p : properties) {
            refs.add(new ReadPropertyMultiple.PropertyReference(p, null));
        }
        return new ReadPropertyMultiple.ReadAccessSpec(object, refs);
    }

    AtomicReadFileAck readFile(Value.ObjectId file, long start, long count) {
        return ok(AtomicReadFileAck.decode(complex(confirmed(ConfirmedService.ATOMIC_READ_FILE,
                new AtomicReadFile(file, true, start, count).encode()))));
    }

    static List<Long> enumerateds(ByteString encoded) {
        List<Long> out = new ArrayList<>();
        int at = 0;
        while (at < encoded.size()) {
            Tags.Ok<Value> v = (Tags.Ok<Value>) Tags.readApplication(encoded, at);
            out.add(((Value.Enumerated) v.value()).value());
            at = v.next();
        }
        return out;
    }

    static List<Value.ObjectId> objectIds(ByteString encoded) {
        List<Value.ObjectId> out = new ArrayList<>();
        int at = 0;
        while (at < encoded.size()) {
            Tags.Ok<Value> v = (Tags.Ok<Value>) Tags.readApplication(encoded, at);
            out.add((Value.ObjectId) v.value());
            at = v.next();
        }
        return out;
    }

    static Value single(ByteString encoded) {
        Tags.Ok<Value> v = (Tags.Ok<Value>) Tags.readApplication(encoded, 0);
        assertEquals(encoded.size(), v.next(), "one value");
        return v.value();
    }

    // ------------------------------------------------------------------------------------------------ rejects

    @Test
    void anApplicationTagOfTheWrongTypeIsRejectedInvalidParameterDataType() {
        // AtomicReadFile: an Unsigned where the file's ObjectIdentifier is due
        assertReject(3, confirmed(ConfirmedService.ATOMIC_READ_FILE, "21 01 0E 31 00 21 05 0F"));
        // AtomicReadFile: an Unsigned where the Signed start position is due
        assertReject(3, confirmed(ConfirmedService.ATOMIC_READ_FILE, "C4 02 80 00 01 0E 21 00 21 05 0F"));
    }

    @Test
    void anUnexpectedTagIsRejectedInvalidTag() {
        // ReadProperty: [1] where [0] is due
        assertReject(4, confirmed(ConfirmedService.READ_PROPERTY, "19 79"));
        // AtomicReadFile: [2] opening where stream [0] or record [1] access is due
        assertReject(4, confirmed(ConfirmedService.ATOMIC_READ_FILE, "C4 02 80 00 01 2E 31 00 21 05 2F"));
    }

    @Test
    void missingDataIsRejectedMissingRequiredParameter() {
        assertReject(5, confirmed(ConfirmedService.READ_PROPERTY, ""));
        assertReject(5, confirmed(ConfirmedService.READ_PROPERTY, DEVICE_CTX0));
        // ReadPropertyMultiple: a specification without a property
        assertReject(5, confirmed(ConfirmedService.READ_PROPERTY_MULTIPLE, DEVICE_CTX0 + " 1E 1F"));
        // DeviceCommunicationControl without enable-disable
        assertReject(5, confirmed(ConfirmedService.DEVICE_COMMUNICATION_CONTROL, "09 05"));
    }

    @Test
    void writePropertyPriority17IsRejectedParameterOutOfRange() {
        String write = DEVICE_CTX0 + " 19 79 3E 75 03 00 41 42 3F";
        assertReject(6, confirmed(ConfirmedService.WRITE_PROPERTY, write + " 49 11"));
        assertReject(6, confirmed(ConfirmedService.WRITE_PROPERTY, write + " 49 00"));
        // within 1-16 the request decodes and the property refuses the write
        assertError(ErrorCodes.PROPERTY, ErrorCodes.WRITE_ACCESS_DENIED,
                confirmed(ConfirmedService.WRITE_PROPERTY, write + " 49 10"));
    }

    @Test
    void aDccPasswordOfMoreThan20CharactersIsRejectedParameterOutOfRange() {
        ByteString data = ByteString.fromArray(new byte[] {0x19, 0x00, 0x2D, 22, 0})
                .concat(ByteString.fromString("x".repeat(21), StandardCharsets.US_ASCII));
        assertReject(6, confirmed(ConfirmedService.DEVICE_COMMUNICATION_CONTROL, data));
    }

    @Test
    void dataAfterTheLastParameterIsRejectedTooManyArguments() {
        assertReject(7, confirmed(ConfirmedService.READ_PROPERTY, DEVICE_CTX0 + " 19 79 21 00"));
        assertReject(7, confirmed(ConfirmedService.REINITIALIZE_DEVICE, "09 01 21 00"));
    }

    @Test
    void dccEnableDisable3IsRejectedUndefinedEnumeration() {
        assertReject(8, confirmed(ConfirmedService.DEVICE_COMMUNICATION_CONTROL, "19 03"));
        assertReject(8, confirmed(ConfirmedService.DEVICE_COMMUNICATION_CONTROL, "09 05 19 FF"));
    }

    @Test
    void aConfirmedServiceNotExecutedIsRejectedUnrecognizedService() {
        // AddListElement, AtomicWriteFile, WritePropertyMultiple, the removed 13, a reserved choice and 255
        for (int choice : new int[] {8, 7, 16, 13, 34, 100, 255}) {
            assertReject(9, executor.confirmed(choice, hex(DEVICE_CTX0 + " 19 79")));
        }
        assertReject(9, executor.confirmed(ConfirmedService.ADD_LIST_ELEMENT.code(), ByteString.emptyByteString()));
    }

    @Test
    void aMalformedTagOrContentIsRejectedInvalidDataEncoding() {
        // [0] of 3 octets: not an ObjectIdentifier
        assertReject(10, confirmed(ConfirmedService.READ_PROPERTY, "0B 02 00 03 19 79"));
        // extended length whose length octet is missing
        assertReject(10, confirmed(ConfirmedService.READ_PROPERTY, "0D"));
        // [1] Enumerated of 9 octets
        assertReject(10, confirmed(ConfirmedService.READ_PROPERTY, DEVICE_CTX0 + " 1D 09 00 00 00 00 00 00 00 00 79"));
    }

    // ------------------------------------------------------------------------------------------------ errors

    @Test
    void unknownObjectIsAnsweredObjectUnknownObject() {
        assertError(ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT, readAnswer(UNKNOWN, 85, null));
        assertError(ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT,
                readAnswer(new Value.ObjectId(8, INSTANCE + 1), 77, null));
        // the wildcard instance is a device's only
        assertError(ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT,
                readAnswer(new Value.ObjectId(56, ObjectDatabase.WILDCARD), 77, null));
        assertError(ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT, confirmed(ConfirmedService.WRITE_PROPERTY,
                new WriteProperty(UNKNOWN, 85, null, hex("44 42 90 99 9A"), null).encode()));
        assertError(ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT, confirmed(ConfirmedService.ATOMIC_READ_FILE,
                new AtomicReadFile(new Value.ObjectId(10, 99), true, 0, 10).encode()));
    }

    @Test
    void unknownPropertyIsAnsweredPropertyUnknownProperty() {
        assertError(ErrorCodes.PROPERTY, ErrorCodes.UNKNOWN_PROPERTY, readAnswer(DEVICE, 85, null));
        assertError(ErrorCodes.PROPERTY, ErrorCodes.UNKNOWN_PROPERTY, readAnswer(PORT, 4194399, null));
        assertError(ErrorCodes.PROPERTY, ErrorCodes.UNKNOWN_PROPERTY, readAnswer(FILE, 85, 1L));
        assertError(ErrorCodes.PROPERTY, ErrorCodes.UNKNOWN_PROPERTY, confirmed(ConfirmedService.WRITE_PROPERTY,
                new WriteProperty(DEVICE, 85, null, hex("44 42 90 99 9A"), null).encode()));
    }

    @Test
    void anArrayIndexOnAPropertyThatIsNoArrayIsAnsweredPropertyIsNotAnArray() {
        assertError(ErrorCodes.PROPERTY, ErrorCodes.PROPERTY_IS_NOT_AN_ARRAY,
                readAnswer(DEVICE, PropertyIdentifier.VENDOR_NAME.code(), 1L));
        assertError(ErrorCodes.PROPERTY, ErrorCodes.PROPERTY_IS_NOT_AN_ARRAY,
                readAnswer(DEVICE, PropertyIdentifier.OBJECT_NAME.code(), 0L));
        // a LIST is no array either
        assertError(ErrorCodes.PROPERTY, ErrorCodes.PROPERTY_IS_NOT_AN_ARRAY,
                readAnswer(PORT, PropertyIdentifier.SC_FAILED_CONNECTION_REQUESTS.code(), 1L));
        assertError(ErrorCodes.PROPERTY, ErrorCodes.PROPERTY_IS_NOT_AN_ARRAY,
                readAnswer(DEVICE, PropertyIdentifier.DEVICE_ADDRESS_BINDING.code(), 0L));
    }

    @Test
    void anArrayIndexPastTheEndIsAnsweredInvalidArrayIndex() {
        assertError(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX,
                readAnswer(DEVICE, PropertyIdentifier.OBJECT_LIST.code(), 5L));
        assertError(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX,
                readAnswer(DEVICE, PropertyIdentifier.OBJECT_LIST.code(), 0xFFFFFFFFL));
        assertError(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX,
                readAnswer(PORT, PropertyIdentifier.ISSUER_CERTIFICATE_FILES.code(), 3L));
        // an Unsigned index of 8 octets whose top bit is set (a negative long)
        assertError(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX, confirmed(ConfirmedService.READ_PROPERTY,
                DEVICE_CTX0 + " 19 4C 2D 08 80 00 00 00 00 00 00 01"));
    }

    @Test
    void writePropertyIsAnsweredWriteAccessDeniedForEveryPropertyOfEveryObject() {
        int writes = 0;
        for (BacnetObject o : db.objects()) {
            for (long p : o.propertyIds()) {
                for (Integer priority : new Integer[] {null, 8}) {
                    WriteProperty wp = new WriteProperty(o.id(), p, null, hex("21 01"), priority);
                    Answer a = confirmed(ConfirmedService.WRITE_PROPERTY, wp.encode());
                    assertEquals(new Answer.Error(ErrorCodes.PROPERTY, ErrorCodes.WRITE_ACCESS_DENIED), a,
                            o + " " + PropertyIdentifier.nameOf(p));
                    writes++;
                }
            }
        }
        assertTrue(writes > 100, writes + " writes");
        // with an array index, through the wildcard, and with an empty value too
        assertError(ErrorCodes.PROPERTY, ErrorCodes.WRITE_ACCESS_DENIED, confirmed(ConfirmedService.WRITE_PROPERTY,
                new WriteProperty(WILDCARD_DEVICE, PropertyIdentifier.OBJECT_LIST.code(), 1L,
                        ByteString.emptyByteString(), null).encode()));
    }

    @Test
    void atomicReadFileOfAnObjectThatIsNoFileIsAnsweredInconsistentObjectType() {
        for (Value.ObjectId notAFile : List.of(DEVICE, WILDCARD_DEVICE, PORT)) {
            assertError(ErrorCodes.SERVICES, ErrorCodes.INCONSISTENT_OBJECT_TYPE,
                    confirmed(ConfirmedService.ATOMIC_READ_FILE, new AtomicReadFile(notAFile, true, 0, 10).encode()));
            assertError(ErrorCodes.SERVICES, ErrorCodes.INCONSISTENT_OBJECT_TYPE,
                    confirmed(ConfirmedService.ATOMIC_READ_FILE, new AtomicReadFile(notAFile, false, 0, 1).encode()));
        }
    }

    @Test
    void atomicReadFileWithRecordAccessIsAnsweredInvalidFileAccessMethod() {
        assertError(ErrorCodes.SERVICES, ErrorCodes.INVALID_FILE_ACCESS_METHOD,
                confirmed(ConfirmedService.ATOMIC_READ_FILE, new AtomicReadFile(FILE, false, 0, 1).encode()));
        assertError(ErrorCodes.SERVICES, ErrorCodes.INVALID_FILE_ACCESS_METHOD,
                confirmed(ConfirmedService.ATOMIC_READ_FILE, "C4 02 80 00 01 1E 31 00 21 01 1F"));
    }

    @Test
    void atomicReadFileStartingBeforeZeroOrPastTheEndIsAnsweredInvalidFileStartPosition() {
        for (long start : new long[] {-1, CONTENT.size() + 1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertError(ErrorCodes.SERVICES, ErrorCodes.INVALID_FILE_START_POSITION,
                    confirmed(ConfirmedService.ATOMIC_READ_FILE, new AtomicReadFile(FILE, true, start, 1).encode()));
        }
        assertError(ErrorCodes.SERVICES, ErrorCodes.INVALID_FILE_START_POSITION,
                confirmed(ConfirmedService.ATOMIC_READ_FILE, new AtomicReadFile(EMPTY_FILE, true, 1, 1).encode()));
    }

    @Test
    void atomicReadFileOfAFileWhoseContentCannotBeReadIsAnsweredFileAccessDeniedAndItsSizeDeviceOther() {
        db.add(FileObject.create(9, "Broken", "text/plain", () -> {
            throw new IllegalStateException("disk gone");
        }, () -> null));
        Value.ObjectId broken = new Value.ObjectId(10, 9);
        assertError(ErrorCodes.OBJECT, ErrorCodes.FILE_ACCESS_DENIED,
                confirmed(ConfirmedService.ATOMIC_READ_FILE, new AtomicReadFile(broken, true, 0, 1).encode()));
        assertError(ErrorCodes.DEVICE, ErrorCodes.OTHER, readAnswer(broken, PropertyIdentifier.FILE_SIZE.code(),
                null));
    }

    @Test
    void dccAndReinitializeDeviceWithAConfiguredPasswordAnsweredPasswordFailureUnlessItIsGiven() {
        executor = new RequestExecutor(database(DeviceInfo.of(INSTANCE, "Device 1001").withPassword("secret")));
        for (String wrong : new String[] {null, "Secret", "secret!", "x"}) {
            assertError(ErrorCodes.SECURITY, ErrorCodes.PASSWORD_FAILURE, confirmed(
                    ConfirmedService.DEVICE_COMMUNICATION_CONTROL,
                    new DeviceCommunicationControl(5, 2, wrong).encode()));
            assertError(ErrorCodes.SECURITY, ErrorCodes.PASSWORD_FAILURE, confirmed(
                    ConfirmedService.REINITIALIZE_DEVICE, new ReinitializeDevice(1, wrong).encode()));
        }
        assertEquals(new Answer.Simple(new Answer.Communication(2, 5)), confirmed(
                ConfirmedService.DEVICE_COMMUNICATION_CONTROL, new DeviceCommunicationControl(5, 2, "secret")
                        .encode()));
        assertEquals(new Answer.Simple(new Answer.Reinitialize(1)), confirmed(ConfirmedService.REINITIALIZE_DEVICE,
                new ReinitializeDevice(1, "secret").encode()));
        // DCC disable with a wrong password: the password is checked first
        assertError(ErrorCodes.SECURITY, ErrorCodes.PASSWORD_FAILURE, confirmed(
                ConfirmedService.DEVICE_COMMUNICATION_CONTROL, new DeviceCommunicationControl(null, 1, "x")
                        .encode()));
    }

    @Test
    void theDigestsDccAndReinitializeDeviceVectorsAreAcceptedWithTheirPasswords() {
        executor = new RequestExecutor(database(DeviceInfo.of(INSTANCE, "Device 1001").withPassword("#egbdf!")));
        assertEquals(new Answer.Simple(new Answer.Communication(2, 5)), confirmed(
                ConfirmedService.DEVICE_COMMUNICATION_CONTROL, "09 05 19 02 2D 08 00 23 65 67 62 64 66 21"));
        executor = new RequestExecutor(database(DeviceInfo.of(INSTANCE, "Device 1001").withPassword("AbCdEfGh")));
        assertEquals(new Answer.Simple(new Answer.Reinitialize(1)), confirmed(ConfirmedService.REINITIALIZE_DEVICE,
                "09 01 1D 09 00 41 62 43 64 45 66 47 68"));
        assertError(ErrorCodes.SECURITY, ErrorCodes.PASSWORD_FAILURE, confirmed(ConfirmedService.REINITIALIZE_DEVICE,
                "09 01 1D 09 00 61 62 43 64 45 66 47 68"));
    }

    @Test
    void withoutAConfiguredPasswordAnyPasswordIsAccepted() {
        assertEquals(new Answer.Simple(new Answer.Communication(0, null)), confirmed(
                ConfirmedService.DEVICE_COMMUNICATION_CONTROL, new DeviceCommunicationControl(null, 0, "any")
                        .encode()));
        assertEquals(new Answer.Simple(new Answer.Communication(2, null)), confirmed(
                ConfirmedService.DEVICE_COMMUNICATION_CONTROL, new DeviceCommunicationControl(null, 2, null)
                        .encode()));
        assertEquals(new Answer.Simple(new Answer.Reinitialize(7)), confirmed(ConfirmedService.REINITIALIZE_DEVICE,
                new ReinitializeDevice(7, "any").encode()));
        assertEquals(new Answer.Simple(new Answer.Reinitialize(0)), confirmed(ConfirmedService.REINITIALIZE_DEVICE,
                new ReinitializeDevice(0, null).encode()));
    }

    @Test
    void dccDisableIsAnsweredServicesServiceRequestDenied() {
        assertError(ErrorCodes.SERVICES, ErrorCodes.SERVICE_REQUEST_DENIED, confirmed(
                ConfirmedService.DEVICE_COMMUNICATION_CONTROL, new DeviceCommunicationControl(null, 1, null)
                        .encode()));
        assertError(ErrorCodes.SERVICES, ErrorCodes.SERVICE_REQUEST_DENIED, confirmed(
                ConfirmedService.DEVICE_COMMUNICATION_CONTROL, new DeviceCommunicationControl(10, 1, "pw")
                        .encode()));
    }

    @Test
    void reinitializeDeviceState8IsAnsweredServicesParameterOutOfRange() {
        assertError(ErrorCodes.SERVICES, ErrorCodes.PARAMETER_OUT_OF_RANGE,
                confirmed(ConfirmedService.REINITIALIZE_DEVICE, "09 08"));
        assertError(ErrorCodes.SERVICES, ErrorCodes.PARAMETER_OUT_OF_RANGE,
                confirmed(ConfirmedService.REINITIALIZE_DEVICE, "0A 01 00"));
    }

    @Test
    void reinitializeDeviceBackupAndRestoreStatesAreAnsweredOptionalFunctionalityNotSupported() {
        for (int state = 2; state <= 6; state++) {
            assertError(ErrorCodes.SERVICES, ErrorCodes.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED,
                    confirmed(ConfirmedService.REINITIALIZE_DEVICE, new ReinitializeDevice(state, null).encode()));
        }
    }

    // ------------------------------------------------------------------------------------------------ reads

    @Test
    void readPropertyOfTheWildcardDeviceAnswersWithTheRealIdentifier() {
        ReadPropertyAck ack = read(WILDCARD_DEVICE, PropertyIdentifier.OBJECT_IDENTIFIER, null);
        assertEquals(DEVICE, ack.object());
        assertEquals(DEVICE, single(ack.value()));
        assertEquals(DEVICE, read(WILDCARD_DEVICE, PropertyIdentifier.OBJECT_NAME, null).object());
        assertEquals(Value.CharacterString.utf8("Device 1001"),
                single(read(WILDCARD_DEVICE, PropertyIdentifier.OBJECT_NAME, null).value()));
    }

    @Test
    void theDigestsReadPropertyVectorEncodesByteForByte() {
        // Vendor_Identifier 999 of (device, 1001)
        assertEquals(DEVICE_CTX0 + " 19 78 3E 22 03 E7 3F",
                hex(complex(confirmed(ConfirmedService.READ_PROPERTY, DEVICE_CTX0 + " 19 78"))));
        // Device_Address_Binding is an empty list
        assertEquals(DEVICE_CTX0 + " 19 1E 3E 3F",
                hex(complex(confirmed(ConfirmedService.READ_PROPERTY, DEVICE_CTX0 + " 19 1E"))));
    }

    @Test
    void arrayIndexZeroGivesTheCountAndIndexNTheElement() {
        ReadPropertyAck count = read(DEVICE, PropertyIdentifier.OBJECT_LIST, 0L);
        assertEquals(0L, count.arrayIndex());
        assertEquals(new Value.Unsigned(4), single(count.value()));
        assertEquals(DEVICE, single(read(DEVICE, PropertyIdentifier.OBJECT_LIST, 1L).value()));
        assertEquals(PORT, single(read(DEVICE, PropertyIdentifier.OBJECT_LIST, 2L).value()));
        assertEquals(EMPTY_FILE, single(read(DEVICE, PropertyIdentifier.OBJECT_LIST, 4L).value()));
        assertEquals(List.of(DEVICE, PORT, FILE, EMPTY_FILE),
                objectIds(read(DEVICE, PropertyIdentifier.OBJECT_LIST, null).value()));
        assertEquals(new Value.Unsigned(2), single(read(PORT, PropertyIdentifier.ISSUER_CERTIFICATE_FILES, 0L)
                .value()));
        assertEquals(new Value.ObjectId(10, 4), single(read(PORT, PropertyIdentifier.ISSUER_CERTIFICATE_FILES, 2L)
                .value()));
    }

    @Test
    void objectListIndexZeroFollowsObjectsAddedAndRemoved() {
        db.add(FileObject.create(3, "Issuer Certificate 1", "application/x-pem-file", ByteString::emptyByteString,
                () -> null));
        assertEquals(new Value.Unsigned(5), single(read(DEVICE, PropertyIdentifier.OBJECT_LIST, 0L).value()));
        assertTrue(db.remove(PORT));
        assertEquals(new Value.Unsigned(4), single(read(DEVICE, PropertyIdentifier.OBJECT_LIST, 0L).value()));
        assertFalse(objectIds(read(DEVICE, PropertyIdentifier.OBJECT_LIST, null).value()).contains(PORT));
    }

    @Test
    void propertyListExcludesObjectIdentifierObjectNameObjectTypeAndItself() {
        for (BacnetObject o : db.objects()) {
            ReadPropertyAck ack = read(o.id(), PropertyIdentifier.PROPERTY_LIST, null);
            List<Long> listed = enumerateds(ack.value());
            for (PropertyIdentifier own : List.of(PropertyIdentifier.OBJECT_IDENTIFIER, PropertyIdentifier.OBJECT_NAME,
                    PropertyIdentifier.OBJECT_TYPE, PropertyIdentifier.PROPERTY_LIST)) {
                assertFalse(listed.contains(own.code()), o + " lists " + own);
            }
            List<Long> expected = new ArrayList<>(o.propertyIds());
            expected.removeAll(List.of(75L, 77L, 79L, 371L));
            assertEquals(expected, listed, o.toString());
            assertEquals(listed.size(), listed.stream().distinct().count(), o + ": no property twice");
            assertEquals(new Value.Unsigned(listed.size()),
                    single(read(o.id(), PropertyIdentifier.PROPERTY_LIST, 0L).value()));
        }
        List<Long> device = enumerateds(read(DEVICE, PropertyIdentifier.PROPERTY_LIST, null).value());
        assertTrue(device.containsAll(List.of(112L, 121L, 120L, 70L, 44L, 12L, 98L, 139L, 97L, 96L, 76L, 62L, 107L,
                11L, 73L, 30L, 155L)), "the Device object's required properties: " + device);
    }

    @Test
    void everyListedPropertyOfEveryObjectIsReadable() {
        for (BacnetObject o : db.objects()) {
            for (long p : o.propertyIds()) {
                ReadPropertyAck ack = read(o.id(), p, null);
                assertEquals(o.id(), ack.object());
                assertEquals(p, ack.property());
                assertNull(ack.arrayIndex());
            }
        }
    }

    @Test
    void protocolServicesSupportedEncodesTheServicesExecuted() {
        assertEquals("85 08 07 02 0B 48 00 60 00 00",
                hex(read(DEVICE, PropertyIdentifier.PROTOCOL_SERVICES_SUPPORTED, null).value()));
        Value.BitString bits = (Value.BitString) single(
                read(DEVICE, PropertyIdentifier.PROTOCOL_SERVICES_SUPPORTED, null).value());
        assertEquals(49, bits.bits().size(), "49 bits for Protocol_Revision 24");
        List<Integer> set = new ArrayList<>();
        for (int i = 0; i < bits.bits().size(); i++) {
            if (bits.bits().get(i)) {
                set.add(i);
            }
        }
        assertEquals(List.of(6, 12, 14, 15, 17, 20, 33, 34), set);
        // every bit set is a confirmed service the executor executes (no Reject 9)
        for (int confirmed : new int[] {6, 12, 14, 15, 17, 20}) {
            assertFalse(executor.confirmed(confirmed, ByteString.emptyByteString()) instanceof Answer.Reject r
                    && r.reason() == 9, "service " + confirmed);
        }
        assertEquals(new Value.Unsigned(24), single(read(DEVICE, PropertyIdentifier.PROTOCOL_REVISION, null)
                .value()));
    }

    @Test
    void protocolObjectTypesSupportedWithDeviceFileAndNetworkPortEncodesAsTheDigestSays() {
        assertEquals("85 0A 07 00 A0 00 00 00 00 00 80 00",
                hex(read(DEVICE, PropertyIdentifier.PROTOCOL_OBJECT_TYPES_SUPPORTED, null).value()));
        // a device of the Device object alone
        RequestExecutor bare = new RequestExecutor(new ObjectDatabase(DeviceInfo.of(5, "bare")));
        ByteString ack = complex(bare.confirmed(12, new ReadProperty(new Value.ObjectId(8, 5),
                PropertyIdentifier.PROTOCOL_OBJECT_TYPES_SUPPORTED.code(), null).encode()));
        assertEquals("85 0A 07 00 80 00 00 00 00 00 00 00", hex(ok(ReadPropertyAck.decode(ack)).value()));
    }

    @Test
    void readPropertyOfASpecialPropertyIsAnsweredReadAccessDenied() {
        for (PropertyIdentifier special : List.of(PropertyIdentifier.ALL, PropertyIdentifier.REQUIRED,
                PropertyIdentifier.OPTIONAL)) {
            assertError(ErrorCodes.PROPERTY, ErrorCodes.READ_ACCESS_DENIED, readAnswer(DEVICE, special.code(), null));
        }
    }

    // ------------------------------------------------------------------------------------------------ RPM

    @Test
    void readPropertyMultipleAllGivesEveryPropertyButPropertyListWithItsValue() {
        for (BacnetObject o : db.objects()) {
            ReadPropertyMultipleAck ack = rpm(spec(o.id(), PropertyIdentifier.ALL.code()));
            assertEquals(1, ack.results().size());
            ReadPropertyMultipleAck.ReadAccessResult r = ack.results().get(0);
            assertEquals(o.id(), r.object());
            assertEquals(o.allIds(), r.results().stream().map(ReadPropertyMultipleAck.ResultElement::property)
                    .toList());
            assertFalse(o.allIds().contains(PropertyIdentifier.PROPERTY_LIST.code()));
            assertTrue(o.allIds().containsAll(List.of(75L, 77L, 79L)));
            for (ReadPropertyMultipleAck.ResultElement e : r.results()) {
                assertNull(e.error(), o + " " + PropertyIdentifier.nameOf(e.property()));
                assertNull(e.arrayIndex());
                assertEquals(read(o.id(), e.property(), null).value(), e.value(),
                        o + " " + PropertyIdentifier.nameOf(e.property()));
            }
        }
    }

    @Test
    void readPropertyMultipleRequiredAndOptionalSplitTheDeviceObjectsProperties() {
        ReadPropertyMultipleAck.ReadAccessResult required = rpm(spec(WILDCARD_DEVICE,
                PropertyIdentifier.REQUIRED.code())).results().get(0);
        assertEquals(DEVICE, required.object());
        List<Long> req = required.results().stream().map(ReadPropertyMultipleAck.ResultElement::property).toList();
        assertTrue(req.containsAll(List.of(75L, 77L, 79L, 371L, 112L, 97L, 96L, 76L, 155L)), req.toString());
        assertFalse(req.contains(PropertyIdentifier.MAX_SEGMENTS_ACCEPTED.code()));

        List<Long> opt = rpm(spec(DEVICE, PropertyIdentifier.OPTIONAL.code())).results().get(0).results().stream()
                .map(ReadPropertyMultipleAck.ResultElement::property).toList();
        assertEquals(List.of(PropertyIdentifier.MAX_SEGMENTS_ACCEPTED.code(),
                PropertyIdentifier.APDU_SEGMENT_TIMEOUT.code()), opt);
        for (long p : opt) {
            assertFalse(req.contains(p));
        }
    }

    @Test
    void readPropertyMultipleOptionalOfAnObjectWithoutOptionalPropertiesIsAnEmptyList() {
        // digest vector 5: an empty list 1E 1F
        assertEquals("0C 02 80 00 01 1E 1F", hex(complex(confirmed(ConfirmedService.READ_PROPERTY_MULTIPLE,
                "0C 02 80 00 01 1E 09 50 1F"))));
    }

    @Test
    void readPropertyMultipleOfAnUnknownObjectGivesOneErrorResultPerReference() {
        ReadPropertyMultipleAck ack = rpm(spec(UNKNOWN, PropertyIdentifier.ALL.code(), 85, 77),
                spec(DEVICE, PropertyIdentifier.OBJECT_NAME.code()));
        assertEquals(2, ack.results().size());
        ReadPropertyMultipleAck.ReadAccessResult unknown = ack.results().get(0);
        assertEquals(UNKNOWN, unknown.object());
        assertEquals(List.of(8L, 85L, 77L), unknown.results().stream()
                .map(ReadPropertyMultipleAck.ResultElement::property).toList());
        for (ReadPropertyMultipleAck.ResultElement e : unknown.results()) {
            assertEquals(new ScTypes.ErrorValue(ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT), e.error());
        }
        // the other specification is answered as usual
        assertEquals(Value.CharacterString.utf8("Device 1001"),
                single(ack.results().get(1).results().get(0).value()));
        // the standard's e3_7d shape: the unknown object's error embedded as [5] OBJECT/UNKNOWN_OBJECT
        assertEquals("0C 00 00 00 07 1E 29 55 5E 91 01 91 1F 5F 1F", hex(complex(confirmed(
                ConfirmedService.READ_PROPERTY_MULTIPLE, "0C 00 00 00 07 1E 09 55 1F"))));
    }

    @Test
    void readPropertyMultipleOfASpecialPropertyWithAnIndexGivesAnErrorInThatResult() {
        ReadPropertyMultipleAck ack = rpm(new ReadPropertyMultiple.ReadAccessSpec(DEVICE, List.of(
                new ReadPropertyMultiple.PropertyReference(PropertyIdentifier.ALL.code(), 1L),
                new ReadPropertyMultiple.PropertyReference(PropertyIdentifier.OBJECT_LIST.code(), 0L),
                new ReadPropertyMultiple.PropertyReference(PropertyIdentifier.OBJECT_LIST.code(), 9L),
                new ReadPropertyMultiple.PropertyReference(85, null))));
        List<ReadPropertyMultipleAck.ResultElement> r = ack.results().get(0).results();
        assertEquals(4, r.size());
        assertEquals(PropertyIdentifier.ALL.code(), r.get(0).property());
        assertEquals(1L, r.get(0).arrayIndex());
        assertNotNull(r.get(0).error());
        assertEquals(new ScTypes.ErrorValue(ErrorCodes.PROPERTY, ErrorCodes.PROPERTY_IS_NOT_AN_ARRAY),
                r.get(0).error());
        assertEquals(new Value.Unsigned(4), single(r.get(1).value()));
        assertEquals(0L, r.get(1).arrayIndex());
        assertEquals(new ScTypes.ErrorValue(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX), r.get(2).error());
        assertEquals(new ScTypes.ErrorValue(ErrorCodes.PROPERTY, ErrorCodes.UNKNOWN_PROPERTY), r.get(3).error());
    }

    // ------------------------------------------------------------------------------------------------ files

    @Test
    void atomicReadFileMatchesTheDigestsVector() {
        // vector 10: (file, 1) stream from 0, 27 octets; the file goes on, so end-of-file is FALSE
        ByteString ack = complex(confirmed(ConfirmedService.ATOMIC_READ_FILE, "C4 02 80 00 01 0E 31 00 21 1B 0F"));
        assertEquals("10 0E 31 00 65 1B 43 68 69 6C 6C 65 72 30 31 20 4F 6E 2D 54 69 6D 65 3D 34 2E 33 20 48 6F 75"
                + " 72 73 0F", hex(ack));
    }

    @Test
    void atomicReadFileAskedForMoreThanRemainsReturnsTheRestWithEndOfFile() {
        AtomicReadFileAck rest = readFile(FILE, 20, 1000);
        assertTrue(rest.endOfFile());
        assertTrue(rest.streamAccess());
        assertEquals(20, rest.start());
        assertEquals(CONTENT.drop(20), rest.data().get(0));

        AtomicReadFileAck exact = readFile(FILE, 0, CONTENT.size());
        assertTrue(exact.endOfFile());
        assertEquals(CONTENT, exact.data().get(0));

        AtomicReadFileAck part = readFile(FILE, 0, CONTENT.size() - 1);
        assertFalse(part.endOfFile());
        assertEquals(CONTENT.take(CONTENT.size() - 1), part.data().get(0));

        AtomicReadFileAck atEnd = readFile(FILE, CONTENT.size(), 10);
        assertTrue(atEnd.endOfFile());
        assertEquals(ByteString.emptyByteString(), atEnd.data().get(0));

        AtomicReadFileAck empty = readFile(EMPTY_FILE, 0, 100);
        assertTrue(empty.endOfFile());
        assertEquals(ByteString.emptyByteString(), empty.data().get(0));
        // an octet count of 2^32-1
        assertEquals(CONTENT.drop(5), readFile(FILE, 5, 0xFFFFFFFFL).data().get(0));
    }

    @Test
    void atomicReadFileWithAnOctetCountOf2To63OrMoreReturnsTheRestWithEndOfFile() {
        for (long count : new long[] {0x8000000000000000L, -1L}) {
            AtomicReadFileAck ack = readFile(FILE, 20, count);
            assertTrue(ack.endOfFile(), Long.toUnsignedString(count));
            assertEquals(CONTENT.drop(20), ack.data().get(0), Long.toUnsignedString(count));
        }
    }

    @Test
    void fileSizeIsTheContentsLength() {
        assertEquals(new Value.Unsigned(CONTENT.size()), single(read(FILE, PropertyIdentifier.FILE_SIZE, null)
                .value()));
        assertEquals(new Value.Unsigned(0), single(read(EMPTY_FILE, PropertyIdentifier.FILE_SIZE, null).value()));
        assertEquals(new Value.Enumerated(FileObject.STREAM_ACCESS),
                single(read(FILE, PropertyIdentifier.FILE_ACCESS_METHOD, null).value()));
    }

    // ------------------------------------------------------------------------------------------------ unconfirmed

    static final String I_AM = "C4 02 00 03 E9 22 05 C4 91 00 22 03 E7";

    Optional<RequestExecutor.Unconfirmed> whoIs(Long low, Long high) {
        return executor.unconfirmed(UnconfirmedService.WHO_IS.code(), new WhoIs(low, high).encode());
    }

    @Test
    void whoIsWithoutRangeIsAnsweredIAm() {
        RequestExecutor.Unconfirmed a = whoIs(null, null).orElseThrow();
        assertEquals(UnconfirmedService.I_AM, a.service());
        assertEquals(I_AM, hex(a.data()));
        assertEquals(new IAm(DEVICE, 1476, 0, 999), ok(IAm.decode(a.data())));
    }

    @Test
    void whoIsWithARangeIsAnsweredOnlyWhenTheInstanceIsInside() {
        assertTrue(whoIs(1001L, 1001L).isPresent());
        assertTrue(whoIs(0L, 4194303L).isPresent());
        assertTrue(whoIs(1000L, 1002L).isPresent());
        assertFalse(whoIs(1002L, 2000L).isPresent());
        assertFalse(whoIs(0L, 1000L).isPresent());
        // high below low: nothing is inside
        assertFalse(whoIs(1002L, 1000L).isPresent());
        // one limit only (ignored), and undecodable data
        assertFalse(executor.unconfirmed(8, hex("09 05")).isPresent());
        assertFalse(executor.unconfirmed(8, hex("19 05")).isPresent());
        assertFalse(executor.unconfirmed(8, hex("09 05 19")).isPresent());
    }

    Optional<RequestExecutor.Unconfirmed> whoHas(WhoHas w) {
        return executor.unconfirmed(UnconfirmedService.WHO_HAS.code(), w.encode());
    }

    @Test
    void whoHasByNameIsAnsweredIHave() {
        RequestExecutor.Unconfirmed a = whoHas(new WhoHas(null, null, null, "Operational Certificate"))
                .orElseThrow();
        assertEquals(UnconfirmedService.I_HAVE, a.service());
        assertEquals(new IHave(DEVICE, FILE, "Operational Certificate"), ok(IHave.decode(a.data())));
        assertEquals(new IHave(DEVICE, DEVICE, "Device 1001"),
                ok(IHave.decode(whoHas(new WhoHas(1000L, 1001L, null, "Device 1001")).orElseThrow().data())));
    }

    @Test
    void whoHasByIdentifierIsAnsweredIHave() {
        assertEquals(new IHave(DEVICE, PORT, "SC port"),
                ok(IHave.decode(whoHas(new WhoHas(null, null, PORT, null)).orElseThrow().data())));
        assertEquals(new IHave(DEVICE, EMPTY_FILE, "Certificate Signing Request"),
                ok(IHave.decode(whoHas(new WhoHas(0L, 4194303L, EMPTY_FILE, null)).orElseThrow().data())));
    }

    @Test
    void whoHasForAnUnknownNameOrObjectOrOutsideTheRangeIsNotAnswered() {
        assertFalse(whoHas(new WhoHas(null, null, null, "operational certificate")).isPresent(), "exact match");
        assertFalse(whoHas(new WhoHas(null, null, null, "Nothing")).isPresent());
        assertFalse(whoHas(new WhoHas(null, null, UNKNOWN, null)).isPresent());
        assertFalse(whoHas(new WhoHas(2000L, 3000L, null, "Operational Certificate")).isPresent());
        assertFalse(whoHas(new WhoHas(2000L, 3000L, PORT, null)).isPresent());
    }

    @Test
    void unconfirmedServicesOtherThanWhoIsAndWhoHasAreIgnored() {
        for (int choice : new int[] {0, 1, 2, 6, 9, 13, 14, 15, 200, 255}) {
            assertFalse(executor.unconfirmed(choice, new WhoIs(null, null).encode()).isPresent(), "choice " + choice);
        }
    }

    @Test
    void onlyTheObjectsARequestReadsAreRefreshedBeforeIt() {
        java.util.function.Function<java.util.List<org.bacnetsc.device.object.BacnetObject>, java.util.List<Value.ObjectId>>
                ids = list -> list.stream().map(org.bacnetsc.device.object.BacnetObject::id).toList();
        assertEquals(java.util.List.of(DEVICE), ids.apply(executor.objectsRead(ConfirmedService.READ_PROPERTY.code(),
                new org.bacnetsc.device.service.ReadProperty(WILDCARD_DEVICE, 77, null).encode())));
        assertEquals(java.util.List.of(PORT, DEVICE), ids.apply(executor.objectsRead(
                ConfirmedService.READ_PROPERTY_MULTIPLE.code(), new org.bacnetsc.device.service.ReadPropertyMultiple(
                        java.util.List.of(spec(PORT), spec(DEVICE), spec(PORT), spec(UNKNOWN))).encode())));
        assertEquals(java.util.List.of(FILE), ids.apply(executor.objectsRead(ConfirmedService.ATOMIC_READ_FILE.code(),
                new org.bacnetsc.device.service.AtomicReadFile(FILE, true, 0, 10).encode())));
        assertEquals(java.util.List.of(), executor.objectsRead(ConfirmedService.WRITE_PROPERTY.code(),
                new org.bacnetsc.device.service.WriteProperty(PORT, 85, null, hex("21 01"), null).encode()));
        assertEquals(java.util.List.of(), executor.objectsRead(ConfirmedService.READ_PROPERTY.code(), hex("0C")),
                "a request that does not decode reads nothing");
    }

    private static org.bacnetsc.device.service.ReadPropertyMultiple.ReadAccessSpec spec(Value.ObjectId o) {
        return new org.bacnetsc.device.service.ReadPropertyMultiple.ReadAccessSpec(o, java.util.List.of(
                new org.bacnetsc.device.service.ReadPropertyMultiple.PropertyReference(8, null)));
    }
}
