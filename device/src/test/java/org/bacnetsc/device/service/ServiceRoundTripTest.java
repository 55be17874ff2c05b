package org.bacnetsc.device.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.pekko.util.ByteString;

/** Every record decodes from its own encoding as itself: {@code decode(encode(x)) == x}. */
class ServiceRoundTripTest {

    static <T> void roundTrips(T x, ByteString encoded, ServiceDecode<T> decoded) {
        assertEquals(new ServiceDecode.Ok<>(x), decoded, () -> x + " encoded as " + Hex.of(encoded));
    }

    @Property
    void whoIsRoundTrips(@ForAll("whoIs") WhoIs x) {
        roundTrips(x, x.encode(), WhoIs.decode(x.encode()));
    }

    @Property
    void iAmRoundTrips(@ForAll("iAm") IAm x) {
        roundTrips(x, x.encode(), IAm.decode(x.encode()));
    }

    @Property
    void whoHasRoundTrips(@ForAll("whoHas") WhoHas x) {
        roundTrips(x, x.encode(), WhoHas.decode(x.encode()));
    }

    @Property
    void iHaveRoundTrips(@ForAll("iHave") IHave x) {
        roundTrips(x, x.encode(), IHave.decode(x.encode()));
    }

    @Property
    void readPropertyRoundTrips(@ForAll("readProperty") ReadProperty x) {
        roundTrips(x, x.encode(), ReadProperty.decode(x.encode()));
    }

    @Property
    void readPropertyAckWithNestedConstructedValuesRoundTrips(@ForAll("readPropertyAck") ReadPropertyAck x) {
        roundTrips(x, x.encode(), ReadPropertyAck.decode(x.encode()));
    }

    @Property
    void readPropertyMultipleRoundTrips(@ForAll("readPropertyMultiple") ReadPropertyMultiple x) {
        roundTrips(x, x.encode(), ReadPropertyMultiple.decode(x.encode()));
    }

    @Property
    void readPropertyMultipleAckWithValuesErrorsAndEmptyListsRoundTrips(
            @ForAll("readPropertyMultipleAck") ReadPropertyMultipleAck x) {
        roundTrips(x, x.encode(), ReadPropertyMultipleAck.decode(x.encode()));
    }

    @Property
    void writePropertyRoundTrips(@ForAll("writeProperty") WriteProperty x) {
        roundTrips(x, x.encode(), WriteProperty.decode(x.encode()));
    }

    @Property
    void atomicReadFileRoundTrips(@ForAll("atomicReadFile") AtomicReadFile x) {
        roundTrips(x, x.encode(), AtomicReadFile.decode(x.encode()));
    }

    @Property
    void atomicReadFileAckOfStreamAndRecordAccessRoundTrips(@ForAll("atomicReadFileAck") AtomicReadFileAck x) {
        roundTrips(x, x.encode(), AtomicReadFileAck.decode(x.encode()));
    }

    @Property
    void atomicWriteFileOfStreamAndRecordAccessRoundTrips(@ForAll("atomicWriteFile") AtomicWriteFile x) {
        roundTrips(x, x.encode(), AtomicWriteFile.decode(x.encode()));
    }

    @Property
    void atomicWriteFileAckRoundTrips(@ForAll("atomicWriteFileAck") AtomicWriteFileAck x) {
        roundTrips(x, x.encode(), AtomicWriteFileAck.decode(x.encode()));
    }

    @Property
    void deviceCommunicationControlRoundTrips(@ForAll("dcc") DeviceCommunicationControl x) {
        roundTrips(x, x.encode(), DeviceCommunicationControl.decode(x.encode()));
    }

    @Property
    void reinitializeDeviceRoundTrips(@ForAll("reinitializeDevice") ReinitializeDevice x) {
        roundTrips(x, x.encode(), ReinitializeDevice.decode(x.encode()));
    }

    @Provide
    Arbitrary<WhoIs> whoIs() {
        return ServiceArbitraries.whoIs();
    }

    @Provide
    Arbitrary<IAm> iAm() {
        return ServiceArbitraries.iAm();
    }

    @Provide
    Arbitrary<WhoHas> whoHas() {
        return ServiceArbitraries.whoHas();
    }

    @Provide
    Arbitrary<IHave> iHave() {
        return ServiceArbitraries.iHave();
    }

    @Provide
    Arbitrary<ReadProperty> readProperty() {
        return ServiceArbitraries.readProperty();
    }

    @Provide
    Arbitrary<ReadPropertyAck> readPropertyAck() {
        return ServiceArbitraries.readPropertyAck();
    }

    @Provide
    Arbitrary<ReadPropertyMultiple> readPropertyMultiple() {
        return ServiceArbitraries.readPropertyMultiple();
    }

    @Provide
    Arbitrary<ReadPropertyMultipleAck> readPropertyMultipleAck() {
        return ServiceArbitraries.readPropertyMultipleAck();
    }

    @Provide
    Arbitrary<WriteProperty> writeProperty() {
        return ServiceArbitraries.writeProperty();
    }

    @Provide
    Arbitrary<AtomicReadFile> atomicReadFile() {
        return ServiceArbitraries.atomicReadFile();
    }

    @Provide
    Arbitrary<AtomicReadFileAck> atomicReadFileAck() {
        return ServiceArbitraries.atomicReadFileAck();
    }

    @Provide
    Arbitrary<AtomicWriteFile> atomicWriteFile() {
        return ServiceArbitraries.atomicWriteFile();
    }

    @Provide
    Arbitrary<AtomicWriteFileAck> atomicWriteFileAck() {
        return ServiceArbitraries.atomicWriteFileAck();
    }

    @Provide
    Arbitrary<DeviceCommunicationControl> dcc() {
        return ServiceArbitraries.deviceCommunicationControl();
    }

    @Provide
    Arbitrary<ReinitializeDevice> reinitializeDevice() {
        return ServiceArbitraries.reinitializeDevice();
    }
}
