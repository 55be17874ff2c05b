package org.bacnetsc.device.service;

import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/** Generators of every service record, and the codecs as a list for properties that run them all. */
final class ServiceArbitraries {

    private ServiceArbitraries() {
    }

    /**
     * One record type's codec.
     *
     * @param name   the record's name
     * @param decode its decoder
     * @param encode its encoder
     * @param values its generator
     */
    record Codec<T>(String name, Function<ByteString, ServiceDecode<T>> decode, Function<T, ByteString> encode,
                    Arbitrary<T> values) {
        /** Encodes a record this codec decoded. */
        @SuppressWarnings("unchecked")
        ByteString encodeAny(Object value) {
            return encode.apply((T) value);
        }

        /** Encodings of generated records. */
        Arbitrary<ByteString> encodings() {
            return values.map(encode);
        }
    }

    static List<Codec<?>> codecs() {
        return List.of(
                new Codec<>("WhoIs", WhoIs::decode, WhoIs::encode, whoIs()),
                new Codec<>("IAm", IAm::decode, IAm::encode, iAm()),
                new Codec<>("WhoHas", WhoHas::decode, WhoHas::encode, whoHas()),
                new Codec<>("IHave", IHave::decode, IHave::encode, iHave()),
                new Codec<>("ReadProperty", ReadProperty::decode, ReadProperty::encode, readProperty()),
                new Codec<>("ReadPropertyAck", ReadPropertyAck::decode, ReadPropertyAck::encode, readPropertyAck()),
                new Codec<>("ReadPropertyMultiple", ReadPropertyMultiple::decode, ReadPropertyMultiple::encode,
                        readPropertyMultiple()),
                new Codec<>("ReadPropertyMultipleAck", ReadPropertyMultipleAck::decode,
                        ReadPropertyMultipleAck::encode, readPropertyMultipleAck()),
                new Codec<>("WriteProperty", WriteProperty::decode, WriteProperty::encode, writeProperty()),
                new Codec<>("AtomicReadFile", AtomicReadFile::decode, AtomicReadFile::encode, atomicReadFile()),
                new Codec<>("AtomicReadFileAck", AtomicReadFileAck::decode, AtomicReadFileAck::encode,
                        atomicReadFileAck()),
                new Codec<>("AtomicWriteFile", AtomicWriteFile::decode, AtomicWriteFile::encode, atomicWriteFile()),
                new Codec<>("AtomicWriteFileAck", AtomicWriteFileAck::decode, AtomicWriteFileAck::encode,
                        atomicWriteFileAck()),
                new Codec<>("DeviceCommunicationControl", DeviceCommunicationControl::decode,
                        DeviceCommunicationControl::encode, deviceCommunicationControl()),
                new Codec<>("ReinitializeDevice", ReinitializeDevice::decode, ReinitializeDevice::encode,
                        reinitializeDevice()));
    }

    // ------------------------------------------------------------------------------------------------ parts

    static Arbitrary<Value.ObjectId> objectIds() {
        return Combinators.combine(Arbitraries.integers().between(0, 1023),
                Arbitraries.integers().between(0, 4194303)).as(Value.ObjectId::new);
    }

    /** Property identifiers, mostly small, sometimes the SC ids above 22 bits, sometimes any (read as unsigned). */
    static Arbitrary<Long> properties() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(0, 600)),
                Tuple.of(2, Arbitraries.longs().between(4194303, 4194330)),
                Tuple.of(1, Arbitraries.longs()));
    }

    static Arbitrary<Long> indices() {
        return Arbitraries.longs().between(0, 1L << 33).injectNull(0.4);
    }

    static Arbitrary<Long> instances() {
        return Arbitraries.longs().between(0, WhoIs.MAX_INSTANCE);
    }

    static Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(40);
    }

    static Arbitrary<String> passwords() {
        return Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMinLength(1).ofMaxLength(20).injectNull(0.3);
    }

    static Arbitrary<ByteString> octets(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max).map(ByteString::fromArray);
    }

    static Arbitrary<Value> values() {
        return Arbitraries.oneOf(
                Arbitraries.just(Value.Null.INSTANCE),
                Arbitraries.of(true, false).map(Value.Bool::new),
                Arbitraries.longs().map(Value.Unsigned::new),
                Arbitraries.longs().map(Value.Signed::new),
                Arbitraries.floats().map(Value.Real::new),
                Arbitraries.doubles().map(Value.DoubleValue::new),
                octets(300).map(Value.OctetString::new),
                Arbitraries.strings().ofMaxLength(30).map(Value.CharacterString::utf8),
                Arbitraries.of(true, false).list().ofMaxSize(20).map(Value.BitString::new),
                Arbitraries.longs().map(Value.Enumerated::new),
                Arbitraries.integers().between(0, 255).tuple4().map(t -> new Value.Date(t.get1(), t.get2(),
                        t.get3(), t.get4())),
                Arbitraries.integers().between(0, 255).tuple4().map(t -> new Value.Time(t.get1(), t.get2(),
                        t.get3(), t.get4())),
                objectIds().map(v -> v));
    }

    /** Tag numbers, often the ones the services use themselves (3, 4, 5) and sometimes extended (15-254). */
    static Arbitrary<Integer> tagNumbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 6)),
                Tuple.of(1, Arbitraries.integers().between(0, 254)));
    }

    /**
     * Raw property values: application-tagged values, context-tagged primitives and constructed data (nested opening
     * and closing pairs of any numbers), up to three levels deep.
     */
    static Arbitrary<ByteString> rawValues() {
        return element(3).list().ofMaxSize(4).map(ServiceArbitraries::concat);
    }

    private static Arbitrary<ByteString> element(int depth) {
        Arbitrary<ByteString> application = values().map(Tags::application);
        if (depth == 0) {
            return application;
        }
        Arbitrary<ByteString> context = Combinators.combine(tagNumbers(), values()).as((n, v) -> {
            ByteStringBuilder b = ByteString.newBuilder();
            Tags.writeContext(b, n, v);
            return b.result();
        });
        Arbitrary<ByteString> constructed = Combinators.combine(tagNumbers(), element(depth - 1).list().ofMaxSize(3))
                .as((n, inner) -> {
                    ByteStringBuilder b = ByteString.newBuilder();
                    Tags.writeOpening(b, n);
                    b.append(concat(inner));
                    Tags.writeClosing(b, n);
                    return b.result();
                });
        return Arbitraries.frequencyOf(Tuple.of(3, application), Tuple.of(1, context),
                Tuple.of(2, constructed));
    }

    static ByteString concat(List<ByteString> parts) {
        ByteString all = ByteString.emptyByteString();
        for (ByteString p : parts) {
            all = all.concat(p);
        }
        return all;
    }

    // ------------------------------------------------------------------------------------------------ records

    static Arbitrary<WhoIs> whoIs() {
        return Arbitraries.oneOf(Arbitraries.just(WhoIs.all()),
                Combinators.combine(instances(), instances()).as(WhoIs::new));
    }

    static Arbitrary<IAm> iAm() {
        return Combinators.combine(objectIds(), Arbitraries.longs(), Arbitraries.oneOf(
                Arbitraries.integers().between(0, 3), Arbitraries.just(Integer.MAX_VALUE)), Arbitraries.integers().between(0, 0xFFFF)).as(IAm::new);
    }

    static Arbitrary<WhoHas> whoHas() {
        Arbitrary<Long> low = instances().injectNull(0.4);
        return Combinators.combine(low, instances(), objectIds(), names(), Arbitraries.of(true, false))
                .as((l, h, o, n, byId) -> new WhoHas(l, l == null ? null : h, byId ? o : null, byId ? null : n));
    }

    static Arbitrary<IHave> iHave() {
        return Combinators.combine(objectIds(), objectIds(), names()).as(IHave::new);
    }

    static Arbitrary<ReadProperty> readProperty() {
        return Combinators.combine(objectIds(), properties(), indices()).as(ReadProperty::new);
    }

    static Arbitrary<ReadPropertyAck> readPropertyAck() {
        return Combinators.combine(objectIds(), properties(), indices(), rawValues()).as(ReadPropertyAck::new);
    }

    static Arbitrary<ReadPropertyMultiple> readPropertyMultiple() {
        Arbitrary<ReadPropertyMultiple.PropertyReference> ref = Combinators.combine(properties(), indices())
                .as(ReadPropertyMultiple.PropertyReference::new);
        Arbitrary<ReadPropertyMultiple.ReadAccessSpec> spec = Combinators.combine(objectIds(),
                ref.list().ofMinSize(1).ofMaxSize(5)).as(ReadPropertyMultiple.ReadAccessSpec::new);
        return spec.list().ofMinSize(1).ofMaxSize(4).map(ReadPropertyMultiple::new);
    }

    static Arbitrary<ReadPropertyMultipleAck> readPropertyMultipleAck() {
        Arbitrary<ReadPropertyMultipleAck.ResultElement> value = Combinators.combine(properties(), indices(),
                rawValues()).as(ReadPropertyMultipleAck.ResultElement::value);
        Arbitrary<ReadPropertyMultipleAck.ResultElement> error = Combinators.combine(properties(), indices(),
                Arbitraries.longs().between(0, 7), Arbitraries.longs()).as(ReadPropertyMultipleAck.ResultElement::error);
        Arbitrary<ReadPropertyMultipleAck.ReadAccessResult> result = Combinators.combine(objectIds(),
                Arbitraries.oneOf(value, error).list().ofMaxSize(4)).as(ReadPropertyMultipleAck.ReadAccessResult::new);
        return result.list().ofMinSize(1).ofMaxSize(4).map(ReadPropertyMultipleAck::new);
    }

    static Arbitrary<WriteProperty> writeProperty() {
        return Combinators.combine(objectIds(), properties(), indices(), rawValues(),
                Arbitraries.integers().between(1, 16).injectNull(0.5)).as(WriteProperty::new);
    }

    static Arbitrary<AtomicReadFile> atomicReadFile() {
        return Combinators.combine(objectIds(), Arbitraries.of(true, false), Arbitraries.longs(), Arbitraries.longs())
                .as(AtomicReadFile::new);
    }

    private static Arbitrary<List<ByteString>> fileData(boolean stream) {
        return stream ? octets(600).map(List::of) : octets(300).list().ofMaxSize(4);
    }

    static Arbitrary<AtomicReadFileAck> atomicReadFileAck() {
        return Arbitraries.of(true, false).flatMap(stream -> Combinators.combine(Arbitraries.of(true, false),
                Arbitraries.longs(), fileData(stream)).as((eof, start, data) -> new AtomicReadFileAck(eof, stream,
                start, data)));
    }

    static Arbitrary<AtomicWriteFile> atomicWriteFile() {
        return Arbitraries.of(true, false).flatMap(stream -> Combinators.combine(objectIds(), Arbitraries.longs(),
                fileData(stream)).as((file, start, data) -> new AtomicWriteFile(file, stream, start, data)));
    }

    static Arbitrary<AtomicWriteFileAck> atomicWriteFileAck() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs()).as(AtomicWriteFileAck::new);
    }

    static Arbitrary<DeviceCommunicationControl> deviceCommunicationControl() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF).injectNull(0.4),
                Arbitraries.integers().between(0, 2), passwords()).as(DeviceCommunicationControl::new);
    }

    static Arbitrary<ReinitializeDevice> reinitializeDevice() {
        return Combinators.combine(Arbitraries.oneOf(
                Arbitraries.integers().between(0, 7), Arbitraries.just(Integer.MAX_VALUE)),
                passwords()).as(ReinitializeDevice::new);
    }
}
