package org.bacnetsc.device.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.pekko.util.ByteString;

/**
 * Decoding never throws, for any octets and for every decoder: arbitrary octets, and valid encodings with a byte
 * changed, cut off or inserted (which reach deep into the decoders). What does decode re-encodes to itself, and a
 * Bad names one of the Reject reasons a server answers with.
 */
class ServiceDecodeNeverThrowsTest {

    static final Set<Integer> REASONS = Set.of(3, 4, 5, 6, 7, 8, 10);
    static final List<ServiceArbitraries.Codec<?>> CODECS = ServiceArbitraries.codecs();

    static void decodeWithEveryDecoder(ByteString b) {
        for (ServiceArbitraries.Codec<?> codec : CODECS) {
            check(codec, b);
        }
    }

    private static <T> void check(ServiceArbitraries.Codec<T> codec, ByteString b) {
        ServiceDecode<T> d = codec.decode().apply(b);
        assertNotNull(d);
        if (d instanceof ServiceDecode.Bad<T> bad) {
            assertTrue(REASONS.contains(bad.rejectReason()), codec.name() + ": " + bad);
            assertNotNull(bad.why());
        } else {
            T value = ((ServiceDecode.Ok<T>) d).value();
            ByteString again = codec.encodeAny(value);
            assertEquals(d, codec.decode().apply(again), () -> codec.name() + " of " + Hex.of(b) + " re-encoded as "
                    + Hex.of(again));
        }
    }

    @Property(tries = 2000)
    void arbitraryOctetsNeverThrowInAnyDecoder(@ForAll byte[] octets) {
        decodeWithEveryDecoder(ByteString.fromArray(octets));
    }

    @Property(tries = 2000)
    void changedValidEncodingsNeverThrowInAnyDecoder(@ForAll("changedEncodings") ByteString b) {
        decodeWithEveryDecoder(b);
    }

    @Provide
    Arbitrary<ByteString> changedEncodings() {
        Arbitrary<ByteString> valid = Arbitraries.oneOf(CODECS.stream().map(c -> c.encodings()).toList());
        return Combinators.combine(valid, Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0,
                10_000), Arbitraries.bytes()).as((b, how, where, octet) -> {
                    int at = b.isEmpty() ? 0 : where % b.size();
                    return switch (how) {
                        case 0 -> b.isEmpty() ? b : b.take(at).concat(ByteString.fromArray(new byte[] {octet}))
                                .concat(b.drop(at + 1));
                        case 1 -> b.take(at);
                        default -> b.take(at).concat(ByteString.fromArray(new byte[] {octet})).concat(b.drop(at));
                    };
                });
    }
}
