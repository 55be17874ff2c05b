package org.bacnetsc.device.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.codec.ApduCodec;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.junit.jupiter.api.Test;

/**
 * The application-layer vectors of the digest's section 9 (1-11 and 13; most are the standard's Annex F examples),
 * both ways: the APDU decoded by {@link ApduCodec} then by the service's codec, and the records encoded (with the
 * APDU header) byte for byte.
 */
class DigestVectorsTest {

    static final Value.ObjectId AI_5 = new Value.ObjectId(0, 5);
    static final long PRESENT_VALUE = 85;

    static <T> T ok(ServiceDecode<T> d) {
        if (d instanceof ServiceDecode.Ok<T> ok) {
            return ok.value();
        }
        return fail(String.valueOf(d));
    }

    static <A extends Apdu> A apdu(Class<A> type, String hex) {
        return assertInstanceOf(type, ApduCodec.decode(Hex.parse(hex)), hex);
    }

    static void encodes(String hex, Apdu apdu) {
        assertEquals(hex, Hex.of(ApduCodec.encode(apdu)));
    }

    static ByteString real(float f) {
        return Tags.application(new Value.Real(f));
    }

    @Test
    void vector1ReadPropertyOfAnalogInput5PresentValue() {
        String hex = "00 00 01 0C 0C 00 00 00 05 19 55";
        Apdu.ConfirmedRequest req = apdu(Apdu.ConfirmedRequest.class, hex);
        assertEquals(50, req.maxApdu());
        assertEquals(1, req.invokeId());
        assertEquals(ConfirmedService.READ_PROPERTY, ConfirmedService.of(req.serviceChoice()).orElseThrow());
        ReadProperty rp = new ReadProperty(AI_5, PRESENT_VALUE, null);
        assertEquals(rp, ok(ReadProperty.decode(req.service())));
        encodes(hex, Apdu.ConfirmedRequest.of(50, 1, ConfirmedService.READ_PROPERTY.code(), rp.encode()));
    }

    @Test
    void vector2ReadPropertyAckCarriesReal72Point3BetweenTheContext3Tags() {
        String hex = "30 01 0C 0C 00 00 00 05 19 55 3E 44 42 90 99 9A 3F";
        Apdu.ComplexAck ack = apdu(Apdu.ComplexAck.class, hex);
        assertEquals(12, ack.serviceChoice());
        ReadPropertyAck rp = new ReadPropertyAck(AI_5, PRESENT_VALUE, null, real(72.3f));
        assertEquals(rp, ok(ReadPropertyAck.decode(ack.service())));
        encodes(hex, Apdu.ComplexAck.of(1, ConfirmedService.READ_PROPERTY.code(), rp.encode()));
    }

    @Test
    void vector3ErrorOfDeleteObjectIsObjectDeletionNotPermitted() {
        String hex = "50 58 0B 91 01 91 17";
        Apdu.Error error = apdu(Apdu.Error.class, hex);
        assertEquals(ConfirmedService.DELETE_OBJECT, ConfirmedService.of(error.serviceChoice()).orElseThrow());
        assertEquals(new Apdu.Error(88, 11, 1, 23), error);
        encodes(hex, new Apdu.Error(88, ConfirmedService.DELETE_OBJECT.code(), 1, 23));
    }

    @Test
    void vector4ReadPropertyMultipleAckWithAValueAnErrorAndAValue() {
        String hex = "30 02 0E 0C 00 00 00 21 1E 29 55 4E 44 42 29 33 33 4F 1F 0C 00 00 00 32 1E 29 55 5E 91 01 91 1F 5F"
                + " 1F 0C 00 00 00 23 1E 29 55 4E 44 43 D9 D9 9A 4F 1F";
        Apdu.ComplexAck ack = apdu(Apdu.ComplexAck.class, hex);
        assertEquals(ConfirmedService.READ_PROPERTY_MULTIPLE.code(), ack.serviceChoice());
        ReadPropertyMultipleAck rpm = new ReadPropertyMultipleAck(List.of(
                new ReadPropertyMultipleAck.ReadAccessResult(new Value.ObjectId(0, 33), List.of(
                        ReadPropertyMultipleAck.ResultElement.value(PRESENT_VALUE, null, real(42.3f)))),
                new ReadPropertyMultipleAck.ReadAccessResult(new Value.ObjectId(0, 50), List.of(
                        ReadPropertyMultipleAck.ResultElement.error(PRESENT_VALUE, null, 1, 31))),
                new ReadPropertyMultipleAck.ReadAccessResult(new Value.ObjectId(0, 35), List.of(
                        ReadPropertyMultipleAck.ResultElement.value(PRESENT_VALUE, null, real(435.7f))))));
        ReadPropertyMultipleAck decoded = ok(ReadPropertyMultipleAck.decode(ack.service()));
        assertEquals(rpm, decoded);
        assertEquals(new ScTypes.ErrorValue(1, 31), decoded.results().get(1).results().get(0).error());
        encodes(hex, Apdu.ComplexAck.of(2, ConfirmedService.READ_PROPERTY_MULTIPLE.code(), rpm.encode()));
    }

    @Test
    void vector5ReadPropertyMultipleOfOptionalAndItsEmptyListAck() {
        String request = "00 04 02 0E 0C 00 00 00 13 1E 09 50 1F";
        Apdu.ConfirmedRequest req = apdu(Apdu.ConfirmedRequest.class, request);
        assertEquals(1024, req.maxApdu());
        Value.ObjectId ai19 = new Value.ObjectId(0, 19);
        ReadPropertyMultiple rpm = new ReadPropertyMultiple(List.of(new ReadPropertyMultiple.ReadAccessSpec(ai19,
                List.of(new ReadPropertyMultiple.PropertyReference(80, null)))));
        assertEquals(rpm, ok(ReadPropertyMultiple.decode(req.service())));
        encodes(request, Apdu.ConfirmedRequest.of(1024, 2, ConfirmedService.READ_PROPERTY_MULTIPLE.code(),
                rpm.encode()));

        String response = "30 02 0E 0C 00 00 00 13 1E 1F";
        Apdu.ComplexAck ack = apdu(Apdu.ComplexAck.class, response);
        ReadPropertyMultipleAck empty = new ReadPropertyMultipleAck(List.of(
                new ReadPropertyMultipleAck.ReadAccessResult(ai19, List.of())));
        assertEquals(empty, ok(ReadPropertyMultipleAck.decode(ack.service())));
        encodes(response, Apdu.ComplexAck.of(2, ConfirmedService.READ_PROPERTY_MULTIPLE.code(), empty.encode()));

        // ALL = 09 08, REQUIRED = 09 69
        for (long special : new long[] {8, 105}) {
            ByteString all = new ReadPropertyMultiple(List.of(new ReadPropertyMultiple.ReadAccessSpec(ai19,
                    List.of(new ReadPropertyMultiple.PropertyReference(special, null))))).encode();
            assertEquals("0C 00 00 00 13 1E 09 " + String.format("%02X", special) + " 1F", Hex.of(all));
        }
    }

    @Test
    void vector6WritePropertyOfAnalogValue1Is180WithoutPriorityAndItsSimpleAck() {
        String hex = "00 04 59 0F 0C 00 80 00 01 19 55 3E 44 43 34 00 00 3F";
        Apdu.ConfirmedRequest req = apdu(Apdu.ConfirmedRequest.class, hex);
        assertEquals(ConfirmedService.WRITE_PROPERTY, ConfirmedService.of(req.serviceChoice()).orElseThrow());
        WriteProperty wp = new WriteProperty(new Value.ObjectId(2, 1), PRESENT_VALUE, null, real(180.0f), null);
        assertEquals(wp, ok(WriteProperty.decode(req.service())));
        encodes(hex, Apdu.ConfirmedRequest.of(1024, 0x59, ConfirmedService.WRITE_PROPERTY.code(), wp.encode()));
        assertEquals(new Apdu.SimpleAck(0x59, 15), apdu(Apdu.SimpleAck.class, "20 59 0F"));
        encodes("20 59 0F", new Apdu.SimpleAck(0x59, ConfirmedService.WRITE_PROPERTY.code()));
    }

    @Test
    void vector7DeviceCommunicationControlFiveMinutesDisableInitiationWithPassword() {
        String hex = "00 04 05 11 09 05 19 02 2D 08 00 23 65 67 62 64 66 21";
        Apdu.ConfirmedRequest req = apdu(Apdu.ConfirmedRequest.class, hex);
        assertEquals(ConfirmedService.DEVICE_COMMUNICATION_CONTROL,
                ConfirmedService.of(req.serviceChoice()).orElseThrow());
        DeviceCommunicationControl dcc = new DeviceCommunicationControl(5,
                DeviceCommunicationControl.DISABLE_INITIATION, "#egbdf!");
        assertEquals(dcc, ok(DeviceCommunicationControl.decode(req.service())));
        encodes(hex, Apdu.ConfirmedRequest.of(1024, 5, ConfirmedService.DEVICE_COMMUNICATION_CONTROL.code(),
                dcc.encode()));
        encodes("20 05 11", new Apdu.SimpleAck(5, ConfirmedService.DEVICE_COMMUNICATION_CONTROL.code()));
    }

    @Test
    void vector8ReinitializeDeviceWarmstartWithPassword() {
        String hex = "00 01 02 14 09 01 1D 09 00 41 62 43 64 45 66 47 68";
        Apdu.ConfirmedRequest req = apdu(Apdu.ConfirmedRequest.class, hex);
        assertEquals(128, req.maxApdu());
        ReinitializeDevice rd = new ReinitializeDevice(ReinitializeDevice.WARMSTART, "AbCdEfGh");
        assertEquals(rd, ok(ReinitializeDevice.decode(req.service())));
        encodes(hex, Apdu.ConfirmedRequest.of(128, 2, ConfirmedService.REINITIALIZE_DEVICE.code(), rd.encode()));
        encodes("20 02 14", new Apdu.SimpleAck(2, ConfirmedService.REINITIALIZE_DEVICE.code()));
    }

    @Test
    void vector9WhoIs3To3AndTheIAmOfDevice3() {
        String whoIs = "10 08 09 03 19 03";
        Apdu.UnconfirmedRequest w = apdu(Apdu.UnconfirmedRequest.class, whoIs);
        assertEquals(UnconfirmedService.WHO_IS, UnconfirmedService.of(w.serviceChoice()).orElseThrow());
        WhoIs range = new WhoIs(3L, 3L);
        assertEquals(range, ok(WhoIs.decode(w.service())));
        assertEquals(true, range.matches(3));
        assertEquals(false, range.matches(4));
        encodes(whoIs, new Apdu.UnconfirmedRequest(UnconfirmedService.WHO_IS.code(), range.encode()));

        String iAm = "10 00 C4 02 00 00 03 22 04 00 91 03 21 63";
        Apdu.UnconfirmedRequest i = apdu(Apdu.UnconfirmedRequest.class, iAm);
        assertEquals(UnconfirmedService.I_AM, UnconfirmedService.of(i.serviceChoice()).orElseThrow());
        IAm device3 = new IAm(new Value.ObjectId(8, 3), 1024, 3, 99);
        assertEquals(device3, ok(IAm.decode(i.service())));
        encodes(iAm, new Apdu.UnconfirmedRequest(UnconfirmedService.I_AM.code(), device3.encode()));
    }

    @Test
    void vector10AtomicReadFileStreamOf27OctetsAndItsAck() {
        String request = "00 02 00 06 C4 02 80 00 01 0E 31 00 21 1B 0F";
        Apdu.ConfirmedRequest req = apdu(Apdu.ConfirmedRequest.class, request);
        assertEquals(206, req.maxApdu());
        AtomicReadFile arf = new AtomicReadFile(new Value.ObjectId(10, 1), true, 0, 27);
        assertEquals(arf, ok(AtomicReadFile.decode(req.service())));
        encodes(request, Apdu.ConfirmedRequest.of(206, 0, ConfirmedService.ATOMIC_READ_FILE.code(), arf.encode()));

        String response = "30 00 06 10 0E 31 00 65 1B 43 68 69 6C 6C 65 72 30 31 20 4F 6E 2D 54 69 6D 65 3D 34 2E 33"
                + " 20 48 6F 75 72 73 0F";
        Apdu.ComplexAck ack = apdu(Apdu.ComplexAck.class, response);
        AtomicReadFileAck data = AtomicReadFileAck.stream(false, 0,
                ByteString.fromString("Chiller01 On-Time=4.3 Hours"));
        assertEquals(data, ok(AtomicReadFileAck.decode(ack.service())));
        assertEquals(27, data.data().get(0).size());
        encodes(response, Apdu.ComplexAck.of(0, ConfirmedService.ATOMIC_READ_FILE.code(), data.encode()));
    }

    @Test
    void vector11ObjectListOfDevice2IsOneReadAccessResult() {
        // not an APDU: the service data of an RPM-ACK holding one result
        String hex = "0C 02 00 00 02 1E 29 4C 4E C4 02 00 00 02 C4 00 80 00 00 4F 1F";
        Value.ObjectId device2 = new Value.ObjectId(8, 2);
        ByteString objectList = Tags.application(device2).concat(Tags.application(new Value.ObjectId(2, 0)));
        ReadPropertyMultipleAck result = new ReadPropertyMultipleAck(List.of(
                new ReadPropertyMultipleAck.ReadAccessResult(device2, List.of(
                        ReadPropertyMultipleAck.ResultElement.value(76, null, objectList)))));
        assertEquals(result, ok(ReadPropertyMultipleAck.decode(Hex.parse(hex))));
        assertEquals(hex, Hex.of(result.encode()));
    }

    @Test
    void vector13RejectUnrecognizedServiceAndAbortSegmentationNotSupported() {
        assertEquals(new Apdu.Reject(1, ServiceDecode.UNRECOGNIZED_SERVICE), apdu(Apdu.Reject.class, "60 01 09"));
        encodes("60 01 09", new Apdu.Reject(1, ServiceDecode.UNRECOGNIZED_SERVICE));
        assertEquals(new Apdu.Abort(true, 1, 4), apdu(Apdu.Abort.class, "71 01 04"));
        encodes("71 01 04", new Apdu.Abort(true, 1, 4));
    }
}
