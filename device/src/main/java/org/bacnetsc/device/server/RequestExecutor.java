package org.bacnetsc.device.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.BacnetObject;
import org.bacnetsc.device.object.DeviceObject;
import org.bacnetsc.device.object.ErrorCodes;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.device.object.ObjectType;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.object.PropertyValue;
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
 * Executes requests against a device's objects (digest sections 3.2 and 1.2): ReadProperty, ReadPropertyMultiple,
 * WriteProperty (WRITE_ACCESS_DENIED for every property in this release), AtomicReadFile (stream access),
 * DeviceCommunicationControl and ReinitializeDevice; Who-Is and Who-Has. A request that does not decode is answered
 * with the Reject its decoder names; a confirmed service we do not execute with Reject unrecognized-service. Never
 * throws. The caller refreshes the objects' live values first ({@link BacnetObject#refresh()}).
 */
public final class RequestExecutor {

    /** Segmentation value of our I-Am: segmented-both. */
    private static final int SEGMENTATION = DeviceObject.SEGMENTED_BOTH;
    /** DCC's disable: deprecated from Protocol_Revision 20 (digest 3.2). */
    private static final int DCC_DISABLE = 1;
    /** The largest File data one AtomicReadFile-ACK carries; a client reads a larger file in steps. */
    static final int MAX_FILE_READ = 1 << 20;

    private final ObjectDatabase db;

    /** An executor over {@code db}. */
    public RequestExecutor(ObjectDatabase db) {
        this.db = db;
    }

    /** The device's objects. */
    public ObjectDatabase database() {
        return db;
    }

    /** The I-Am this device sends (at start and for a matching Who-Is). */
    public IAm iAm() {
        return new IAm(db.device().id(), DeviceObject.MAX_APDU, SEGMENTATION, db.info().vendorId());
    }

    /**
     * An unconfirmed service to send in answer.
     *
     * @param service the service
     * @param data    its encoding
     */
    public record Unconfirmed(UnconfirmedService service, ByteString data) {
    }

    /** The answer to an unconfirmed request, if any (I-Am for a matching Who-Is, I-Have for Who-Has). */
    public Optional<Unconfirmed> unconfirmed(int serviceChoice, ByteString data) {
        try {
            if (serviceChoice == UnconfirmedService.WHO_IS.code()) {
                return WhoIs.decode(data) instanceof ServiceDecode.Ok<WhoIs> ok && ok.value().matches(db.instance())
                        ? Optional.of(new Unconfirmed(UnconfirmedService.I_AM, iAm().encode())) : Optional.empty();
            }
            if (serviceChoice == UnconfirmedService.WHO_HAS.code()
                    && WhoHas.decode(data) instanceof ServiceDecode.Ok<WhoHas> ok && ok.value().matches(db.instance())) {
                WhoHas w = ok.value();
                Optional<BacnetObject> o = w.object() != null
                        ? db.find(w.object()).filter(x -> w.object().instance() != ObjectDatabase.WILDCARD)
                        : db.findByName(w.name());
                return o.map(x -> new Unconfirmed(UnconfirmedService.I_HAVE,
                        new IHave(db.device().id(), x.id(), x.name()).encode()));
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty(); // unconfirmed services we do not execute are ignored (digest 1.2)
    }

    /**
     * The objects a confirmed request reads, so that only they are refreshed before it is executed (a hub device's
     * Network Port asks the hub for its whole connection list: not for a read of the Device object). A request that
     * does not decode reads none (it is rejected).
     */
    public List<BacnetObject> objectsRead(int serviceChoice, ByteString data) {
        List<Value.ObjectId> ids = new ArrayList<>();
        try {
            if (serviceChoice == ConfirmedService.READ_PROPERTY.code()
                    && ReadProperty.decode(data) instanceof ServiceDecode.Ok<ReadProperty> rp) {
                ids.add(rp.value().object());
            } else if (serviceChoice == ConfirmedService.READ_PROPERTY_MULTIPLE.code()
                    && ReadPropertyMultiple.decode(data) instanceof ServiceDecode.Ok<ReadPropertyMultiple> rpm) {
                rpm.value().specs().forEach(spec -> ids.add(spec.object()));
            } else if (serviceChoice == ConfirmedService.ATOMIC_READ_FILE.code()
                    && AtomicReadFile.decode(data) instanceof ServiceDecode.Ok<AtomicReadFile> arf) {
                ids.add(arf.value().file());
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        List<BacnetObject> out = new ArrayList<>();
        ids.stream().distinct().forEach(id -> db.find(id).filter(o -> !out.contains(o)).ifPresent(out::add));
        return out;
    }

    /** The answer to confirmed service {@code serviceChoice} with request {@code data}. */
    public Answer confirmed(int serviceChoice, ByteString data) {
        try {
            Optional<ConfirmedService> service = ConfirmedService.of(serviceChoice);
            if (service.isEmpty()) {
                return new Answer.Reject(9, "confirmed service " + serviceChoice + " is not executed here");
            }
            return switch (service.get()) {
                case READ_PROPERTY -> decoded(ReadProperty.decode(data), this::readProperty);
                case READ_PROPERTY_MULTIPLE -> decoded(ReadPropertyMultiple.decode(data), this::readMultiple);
                case WRITE_PROPERTY -> decoded(WriteProperty.decode(data), this::writeProperty);
                case ATOMIC_READ_FILE -> decoded(AtomicReadFile.decode(data), this::atomicReadFile);
                case DEVICE_COMMUNICATION_CONTROL -> decoded(DeviceCommunicationControl.decode(data), this::dcc);
                case REINITIALIZE_DEVICE -> decoded(ReinitializeDevice.decode(data), this::reinitialize);
                default -> new Answer.Reject(9, "confirmed service " + service.get() + " is not executed here");
            };
        } catch (RuntimeException e) {
            // a bug of ours, not the peer's: answered, never thrown out of the device's actor
            return new Answer.Abort(0);
        }
    }

    private static <T> Answer decoded(ServiceDecode<T> d, java.util.function.Function<T, Answer> execute) {
        if (d instanceof ServiceDecode.Bad<T> bad) {
            return new Answer.Reject(bad.rejectReason(), bad.why());
        }
        return execute.apply(((ServiceDecode.Ok<T>) d).value());
    }

    // ------------------------------------------------------------------------------------------------ reads

    private Answer readProperty(ReadProperty rp) {
        Optional<BacnetObject> o = db.find(rp.object());
        if (o.isEmpty()) {
            return new Answer.Error(ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT);
        }
        if (special(rp.property())) {
            // ALL, REQUIRED and OPTIONAL name sets of properties: ReadPropertyMultiple's, not ReadProperty's
            return new Answer.Error(ErrorCodes.PROPERTY, ErrorCodes.READ_ACCESS_DENIED);
        }
        PropertyValue v = o.get().read(rp.property(), rp.arrayIndex());
        if (v instanceof PropertyValue.Failure f) {
            return new Answer.Error(f.errorClass(), f.errorCode());
        }
        // the ACK names the object itself, also when asked as (device, 4194303)
        return new Answer.Complex(new ReadPropertyAck(o.get().id(), rp.property(), rp.arrayIndex(),
                ((PropertyValue.Encoded) v).data()).encode());
    }

    private static boolean special(long property) {
        return property == PropertyIdentifier.ALL.code() || property == PropertyIdentifier.REQUIRED.code()
                || property == PropertyIdentifier.OPTIONAL.code();
    }

    private Answer readMultiple(ReadPropertyMultiple rpm) {
        List<ReadPropertyMultipleAck.ReadAccessResult> results = new ArrayList<>();
        for (ReadPropertyMultiple.ReadAccessSpec spec : rpm.specs()) {
            Optional<BacnetObject> o = db.find(spec.object());
            List<ReadPropertyMultipleAck.ResultElement> elements = new ArrayList<>();
            if (o.isEmpty()) {
                for (ReadPropertyMultiple.PropertyReference p : spec.properties()) {
                    elements.add(ReadPropertyMultipleAck.ResultElement.error(p.property(), p.arrayIndex(),
                            ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT));
                }
                results.add(new ReadPropertyMultipleAck.ReadAccessResult(spec.object(), elements));
                continue;
            }
            BacnetObject object = o.get();
            for (ReadPropertyMultiple.PropertyReference p : spec.properties()) {
                if (special(p.property())) {
                    if (p.arrayIndex() != null) {
                        elements.add(ReadPropertyMultipleAck.ResultElement.error(p.property(), p.arrayIndex(),
                                ErrorCodes.PROPERTY, ErrorCodes.PROPERTY_IS_NOT_AN_ARRAY));
                        continue;
                    }
                    List<Long> ids = p.property() == PropertyIdentifier.ALL.code() ? object.allIds()
                            : p.property() == PropertyIdentifier.REQUIRED.code() ? object.requiredIds()
                            : object.optionalIds();
                    ids.forEach(id -> elements.add(element(object, id, null)));
                } else {
                    elements.add(element(object, p.property(), p.arrayIndex()));
                }
            }
            results.add(new ReadPropertyMultipleAck.ReadAccessResult(object.id(), elements));
        }
        return new Answer.Complex(new ReadPropertyMultipleAck(results).encode());
    }

    private static ReadPropertyMultipleAck.ResultElement element(BacnetObject o, long property, Long index) {
        PropertyValue v = o.read(property, index);
        return v instanceof PropertyValue.Failure f
                ? ReadPropertyMultipleAck.ResultElement.error(property, index, f.errorClass(), f.errorCode())
                : ReadPropertyMultipleAck.ResultElement.value(property, index, ((PropertyValue.Encoded) v).data());
    }

    // ------------------------------------------------------------------------------------------------ writes

    private Answer writeProperty(WriteProperty wp) {
        Optional<BacnetObject> o = db.find(wp.object());
        if (o.isEmpty()) {
            return new Answer.Error(ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT);
        }
        if (!o.get().has(wp.property())) {
            return new Answer.Error(ErrorCodes.PROPERTY, ErrorCodes.UNKNOWN_PROPERTY);
        }
        // every property is read-only in this release: configuration writes come with "Managed over BACnet"
        return new Answer.Error(ErrorCodes.PROPERTY, ErrorCodes.WRITE_ACCESS_DENIED);
    }

    // ------------------------------------------------------------------------------------------------ files

    private Answer atomicReadFile(AtomicReadFile arf) {
        Optional<BacnetObject> o = db.find(arf.file());
        if (o.isEmpty()) {
            return new Answer.Error(ErrorCodes.OBJECT, ErrorCodes.UNKNOWN_OBJECT);
        }
        if (arf.file().objectType() != ObjectType.FILE.code()) {
            return new Answer.Error(ErrorCodes.SERVICES, ErrorCodes.INCONSISTENT_OBJECT_TYPE);
        }
        if (!arf.streamAccess()) {
            return new Answer.Error(ErrorCodes.SERVICES, ErrorCodes.INVALID_FILE_ACCESS_METHOD);
        }
        Optional<ByteString> content = o.get().content();
        if (content.isEmpty()) {
            return new Answer.Error(ErrorCodes.OBJECT, ErrorCodes.FILE_ACCESS_DENIED);
        }
        ByteString all = content.get();
        if (arf.start() < 0 || arf.start() > all.size()) {
            return new Answer.Error(ErrorCodes.SERVICES, ErrorCodes.INVALID_FILE_START_POSITION);
        }
        int from = (int) arf.start();
        // the octet count is an Unsigned read into a long: 2^63 and more are negative here, and mean "all"
        long asked = arf.count() < 0 ? MAX_FILE_READ : Math.min(arf.count(), MAX_FILE_READ);
        int count = (int) Math.min(asked, all.size() - from);
        ByteString data = all.slice(from, from + count);
        return new Answer.Complex(AtomicReadFileAck.stream(from + count == all.size(), from, data).encode());
    }

    // ------------------------------------------------------------------------------------------------ management

    private boolean passwordFails(String given) {
        String configured = db.info().password();
        return configured != null && !configured.isEmpty() && !configured.equals(given);
    }

    private Answer dcc(DeviceCommunicationControl dcc) {
        if (passwordFails(dcc.password())) {
            return new Answer.Error(ErrorCodes.SECURITY, ErrorCodes.PASSWORD_FAILURE);
        }
        if (dcc.enableDisable() == DCC_DISABLE) {
            // deprecated from Protocol_Revision 20: denied (bacnet-stack, Chipkin)
            return new Answer.Error(ErrorCodes.SERVICES, ErrorCodes.SERVICE_REQUEST_DENIED);
        }
        if (dcc.enableDisable() != 0 && dcc.enableDisable() != 2) {
            return new Answer.Reject(8, "DeviceCommunicationControl " + dcc.enableDisable());
        }
        return new Answer.Simple(new Answer.Communication(dcc.enableDisable(), dcc.durationMinutes()));
    }

    private Answer reinitialize(ReinitializeDevice rd) {
        if (rd.state() < 0 || rd.state() > 7) {
            return new Answer.Error(ErrorCodes.SERVICES, ErrorCodes.PARAMETER_OUT_OF_RANGE);
        }
        if (passwordFails(rd.password())) {
            return new Answer.Error(ErrorCodes.SECURITY, ErrorCodes.PASSWORD_FAILURE);
        }
        return switch (rd.state()) {
            // coldstart and warmstart restart the SC port; activate-changes with nothing pending does nothing
            case 0, 1, 7 -> new Answer.Simple(new Answer.Reinitialize(rd.state()));
            default -> new Answer.Error(ErrorCodes.SERVICES, ErrorCodes.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED);
        };
    }

    /** Encodes a value, for tests and tools. */
    static ByteString application(Value v) {
        return org.bacnetsc.device.codec.Tags.application(v);
    }
}
