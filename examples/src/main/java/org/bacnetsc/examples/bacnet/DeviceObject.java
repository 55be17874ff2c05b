package org.bacnetsc.examples.bacnet;

import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * A minimal BACnet device: its Device object's properties and the answers it gives (I-Am for a matching Who-Is,
 * ReadProperty-ACK, Error for unknown objects and properties, Reject for services it does not implement). Pure.
 *
 * @param instance   the device instance (0-4194302)
 * @param name       object-name
 * @param vendorName vendor-name
 * @param vendorId   vendor-identifier
 * @param modelName  model-name
 */
public record DeviceObject(int instance, String name, String vendorName, int vendorId, String modelName) {

    /** Max-APDU-length-accepted. */
    public static final int MAX_APDU = 1476;

    /** Validates the instance. */
    public DeviceObject {
        if (instance < 0 || instance > 4194302) {
            throw new IllegalArgumentException("device instance must be 0-4194302, got " + instance);
        }
    }

    /**
     * An answer to send.
     *
     * @param apdu      the APDU
     * @param broadcast whether it goes to everyone (I-Am) or back to the requester
     */
    public record Answer(ByteString apdu, boolean broadcast) {
    }

    /** The answer to an incoming APDU, if any. */
    public Optional<Answer> answer(ByteString apdu) {
        Optional<Apdu.WhoIs> whoIs = Apdu.decodeWhoIs(apdu);
        if (whoIs.isPresent()) {
            return whoIs.get().matches(instance)
                    ? Optional.of(new Answer(Apdu.iAm(instance, MAX_APDU, vendorId), true)) : Optional.empty();
        }
        Optional<int[]> header = Apdu.confirmedHeader(apdu);
        if (header.isEmpty()) {
            return Optional.empty(); // unconfirmed services we do not implement are ignored
        }
        int invoke = header.get()[0];
        if (header.get()[2] == 1) {
            return Optional.of(new Answer(Apdu.reject(invoke, Apdu.REJECT_OTHER), false));
        }
        if (header.get()[1] != 12) {
            return Optional.of(new Answer(Apdu.reject(invoke, Apdu.REJECT_UNRECOGNIZED_SERVICE), false));
        }
        Optional<Apdu.ReadProperty> rp = Apdu.decodeReadProperty(apdu);
        if (rp.isEmpty()) {
            return Optional.of(new Answer(Apdu.reject(invoke, Apdu.REJECT_INVALID_TAG), false));
        }
        return Optional.of(new Answer(readProperty(rp.get()), false));
    }

    private ByteString readProperty(Apdu.ReadProperty rp) {
        Apdu.ObjectId me = new Apdu.ObjectId(Apdu.OBJECT_DEVICE, instance);
        boolean wildcard = rp.object().type() == Apdu.OBJECT_DEVICE && rp.object().instance() == 4194303;
        if (!rp.object().equals(me) && !wildcard) {
            return Apdu.error(rp.invokeId(), Apdu.CLASS_OBJECT, Apdu.CODE_UNKNOWN_OBJECT);
        }
        if (rp.arrayIndex() >= 0) {
            return Apdu.error(rp.invokeId(), Apdu.CLASS_PROPERTY, Apdu.CODE_PROPERTY_IS_NOT_AN_ARRAY);
        }
        ByteString value = switch (rp.property()) {
            case Apdu.PROP_OBJECT_IDENTIFIER -> Apdu.objectIdValue(me);
            case Apdu.PROP_OBJECT_NAME -> Apdu.stringValue(name);
            case Apdu.PROP_VENDOR_NAME -> Apdu.stringValue(vendorName);
            case Apdu.PROP_VENDOR_IDENTIFIER -> Apdu.unsignedValue(vendorId);
            case Apdu.PROP_MODEL_NAME -> Apdu.stringValue(modelName);
            case Apdu.PROP_PROTOCOL_VERSION -> Apdu.unsignedValue(1);
            case Apdu.PROP_PROTOCOL_REVISION -> Apdu.unsignedValue(24);
            case Apdu.PROP_MAX_APDU -> Apdu.unsignedValue(MAX_APDU);
            default -> null;
        };
        if (value == null) {
            return Apdu.error(rp.invokeId(), Apdu.CLASS_PROPERTY, Apdu.CODE_UNKNOWN_PROPERTY);
        }
        return Apdu.readPropertyAck(rp.invokeId(), me, rp.property(), value);
    }
}
