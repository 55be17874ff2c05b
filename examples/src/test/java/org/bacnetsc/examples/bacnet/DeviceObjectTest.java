package org.bacnetsc.examples.bacnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Hex;
import org.junit.jupiter.api.Test;

class DeviceObjectTest {

    final DeviceObject device = new DeviceObject(1001, "boiler-room", "ACME", 999, "Model 7");

    private ByteString read(int property) {
        return Apdu.readProperty(7, new Apdu.ObjectId(Apdu.OBJECT_DEVICE, 1001), property);
    }

    private Apdu.ReadPropertyAck ack(ByteString request) {
        DeviceObject.Answer a = device.answer(request).orElseThrow();
        assertEquals(false, a.broadcast());
        return Apdu.decodeReadPropertyAck(a.apdu()).orElseThrow();
    }

    @Test
    void whoIsIsAnsweredWithAnIAmBroadcastWhenInRange() {
        DeviceObject.Answer a = device.answer(Apdu.whoIs(-1, -1)).orElseThrow();
        assertTrue(a.broadcast());
        assertEquals("1000c4020003e92205c4910322 03e7".replace(" ", ""), Hex.format(a.apdu()));
        assertEquals(new Apdu.IAm(new Apdu.ObjectId(8, 1001), 1476, 3, 999), Apdu.decodeIAm(a.apdu()).orElseThrow());
        assertTrue(device.answer(Apdu.whoIs(1000, 1001)).isPresent());
        assertEquals(Optional.empty(), device.answer(Apdu.whoIs(1, 1000)));
    }

    @Test
    void whoIsOnTheWireDecodes() {
        assertEquals(new Apdu.WhoIs(-1, -1), Apdu.decodeWhoIs(Hex.parse("1008")).orElseThrow());
        assertEquals(new Apdu.WhoIs(5, 300), Apdu.decodeWhoIs(Hex.parse("1008 0905 1a012c")).orElseThrow());
    }

    @Test
    void readPropertyAnswersEveryDeviceProperty() {
        assertEquals("boiler-room", Apdu.decodeString(ack(read(Apdu.PROP_OBJECT_NAME)).value()).orElseThrow());
        assertEquals("ACME", Apdu.decodeString(ack(read(Apdu.PROP_VENDOR_NAME)).value()).orElseThrow());
        assertEquals("Model 7", Apdu.decodeString(ack(read(Apdu.PROP_MODEL_NAME)).value()).orElseThrow());
        assertEquals("c4020003e9", Hex.format(ack(read(Apdu.PROP_OBJECT_IDENTIFIER)).value()));
        assertEquals("2203e7", Hex.format(ack(read(Apdu.PROP_VENDOR_IDENTIFIER)).value()));
        assertEquals("2101", Hex.format(ack(read(Apdu.PROP_PROTOCOL_VERSION)).value()));
        assertEquals("2118", Hex.format(ack(read(Apdu.PROP_PROTOCOL_REVISION)).value()));
        assertEquals("2205c4", Hex.format(ack(read(Apdu.PROP_MAX_APDU)).value()));
        assertEquals(7, ack(read(Apdu.PROP_OBJECT_NAME)).invokeId());
    }

    @Test
    void readPropertyOnTheWireMatchesTheStandardEncoding() {
        // ReadProperty device 1001 object-name, invoke 7: 00 05 07 0c 0c 020003e9 19 4d
        assertEquals("0005070c0c020003e9194d", Hex.format(read(Apdu.PROP_OBJECT_NAME)));
    }

    @Test
    void unknownPropertyAndObjectGetErrors() {
        assertEquals("5007" + "0c" + "9102" + "9120", Hex.format(device.answer(read(4242)).orElseThrow().apdu()));
        ByteString otherObject = Apdu.readProperty(8, new Apdu.ObjectId(Apdu.OBJECT_DEVICE, 5), 77);
        assertEquals("5008" + "0c" + "9101" + "911f", Hex.format(device.answer(otherObject).orElseThrow().apdu()));
    }

    @Test
    void unsupportedServicesAreRejected() {
        // WriteProperty (15): reject unrecognized-service.
        assertEquals("600909", Hex.format(device.answer(Hex.parse("0005090f0c020003e9194d")).orElseThrow().apdu()));
        // A malformed ReadProperty: reject invalid-tag.
        assertEquals("600a04", Hex.format(device.answer(Hex.parse("00050a0c0c02")).orElseThrow().apdu()));
    }

    @Test
    void npduHeadersAreWrappedAndUnwrapped() {
        ByteString apdu = Apdu.whoIs(-1, -1);
        assertEquals("01001008", Hex.format(Npdu.wrap(apdu, false)));
        assertEquals(apdu, Npdu.unwrap(Npdu.wrap(apdu, true)).orElseThrow().apdu());
        // Global broadcast with DNET 0xFFFF, no DADR, hop count 255.
        assertEquals(apdu, Npdu.unwrap(Hex.parse("0120ffff00ff1008")).orElseThrow().apdu());
        assertEquals(Optional.empty(), Npdu.unwrap(Hex.parse("018000")), "network layer message");
        assertEquals(Optional.empty(), Npdu.unwrap(Hex.parse("02001008")), "wrong version");
    }
}
