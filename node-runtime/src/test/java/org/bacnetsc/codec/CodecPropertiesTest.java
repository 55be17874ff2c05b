package org.bacnetsc.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.pekko.util.ByteString;

/** Properties of the codec over generated messages and arbitrary bytes. */
class CodecPropertiesTest {

    @Property(tries = 2000)
    void decodeOfEncodeIsIdentity(@ForAll("messages") BvlcMessage message) {
        assertEquals(message, BvlcCodec.decode(BvlcCodec.encode(message)));
    }

    @Property(tries = 3000)
    void arbitraryBytesDecodeToAMessageOrAFailureAndNeverThrow(@ForAll @Size(max = 80) byte[] bytes) {
        assertOutcome(BvlcCodec.decode(ByteString.fromArray(bytes)));
    }

    @Property(tries = 3000)
    void mutatedValidFramesNeverThrow(@ForAll("messages") BvlcMessage message, @ForAll @IntRange(max = 400) int at,
                                      @ForAll byte value, @ForAll @IntRange(max = 3) int cut) {
        ByteString frame = BvlcCodec.encode(message);
        byte[] bytes = frame.toArray();
        bytes[at % bytes.length] = value;
        ByteString mutated = ByteString.fromArray(bytes).dropRight(cut);
        DecodeResult r = BvlcCodec.decode(mutated);
        assertOutcome(r);
        if (r instanceof BvlcMessage m) {
            // Whatever decodes re-encodes to a frame that decodes to the same message.
            assertEquals(m, BvlcCodec.decode(BvlcCodec.encode(m)));
            BvlcCodec.checkDestinationOptions(m);
            for (LinkRole role : LinkRole.values()) {
                role.checkVmacs(m);
            }
        }
    }

    @Property(tries = 1000)
    void hubRewriteOfAHubBoundFrameDecodesToTheSameMessageWithOriginatingSet(
            @ForAll("messages") BvlcMessage message, @ForAll("vmacs") Vmac sender) {
        if (message.function().connectionScoped() || message.destination() == null) {
            return;
        }
        BvlcMessage hubBound = message.withVmacs(null, message.destination());
        ByteString out = HubRewrite.toNode(BvlcCodec.encode(hubBound), sender);
        Vmac dest = message.destination().isBroadcast() ? Vmac.BROADCAST : null;
        assertEquals(hubBound.withVmacs(sender, dest), BvlcCodec.decode(out));
    }

    private static void assertOutcome(DecodeResult r) {
        assertNotNull(r);
        if (r instanceof DecodeFailure f) {
            // decode() turns an internal exception into an OTHER failure as a last resort; it must never happen.
            assertNotEquals(ErrorCode.OTHER, f.errorCode(), f.details());
        }
        if (r instanceof DecodeFailure f && !f.silentDrop()) {
            BvlcMessage nak = f.nak().orElseThrow();
            assertEquals(nak, BvlcCodec.decode(BvlcCodec.encode(nak)));
        }
    }

    @Provide
    Arbitrary<Vmac> vmacs() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL).map(Vmac::new);
    }

    Arbitrary<ByteString> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(ByteString::fromArray);
    }

    Arbitrary<HeaderOption> options() {
        Arbitrary<HeaderOption> securePath = Arbitraries.of(true, false).map(HeaderOption.SecurePath::new);
        Arbitrary<HeaderOption> proprietary = Combinators.combine(Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 255), bytes(0, 8))
                .as(HeaderOption.Proprietary::new);
        Arbitrary<HeaderOption> unknown = Combinators.combine(
                Arbitraries.integers().between(0, 30).filter(t -> t != 1), Arbitraries.of(true, false),
                Arbitraries.of(true, false), bytes(0, 8))
                .as((t, mu, has, d) -> new HeaderOption.Unknown(t, mu, has, has ? d : ByteString.emptyByteString()));
        return Arbitraries.oneOf(securePath, proprietary, unknown);
    }

    Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange('!', '~').withChars('ö', '€', '水').ofMaxLength(12);
    }

    Arbitrary<Payload> payloads() {
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<Integer> u8 = Arbitraries.integers().between(0, 0xFF);
        Arbitrary<DeviceUuid> uuids = Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
                .as(DeviceUuid::of);
        return Arbitraries.oneOf(
                u8.map(Payload.BvlcResult::ack),
                Combinators.combine(u8, u8, u16, u16, text())
                        .as((f, m, c, e, d) -> new Payload.BvlcResult(f, Payload.ResultCode.NAK, m, c, e, d)),
                bytes(1, 40).map(Payload.EncapsulatedNpdu::new),
                Arbitraries.just(Payload.AddressResolution.INSTANCE),
                text().filter(s -> !s.isEmpty()).list().ofMaxSize(3).map(Payload.AddressResolutionAck::new),
                Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of(true, false), u16, u16)
                        .as(Payload.Advertisement::new),
                Arbitraries.just(Payload.AdvertisementSolicitation.INSTANCE),
                Combinators.combine(vmacs(), uuids, u16, u16).as(Payload.ConnectRequest::new),
                Combinators.combine(vmacs(), uuids, u16, u16).as(Payload.ConnectAccept::new),
                Arbitraries.just(Payload.DisconnectRequest.INSTANCE),
                Arbitraries.just(Payload.DisconnectAck.INSTANCE),
                Arbitraries.just(Payload.HeartbeatRequest.INSTANCE),
                Arbitraries.just(Payload.HeartbeatAck.INSTANCE),
                Combinators.combine(u16, u8, bytes(0, 12)).as(Payload.ProprietaryMessage::new));
    }

    @Provide
    Arbitrary<BvlcMessage> messages() {
        Arbitrary<Vmac> maybeVmac = vmacs().injectNull(0.4);
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), maybeVmac, maybeVmac,
                options().list().ofMaxSize(3), options().list().ofMaxSize(3), payloads())
                .as((id, orig, dest, destOpts, dataOpts, payload) -> new BvlcMessage(id, orig, dest, destOpts,
                        payload.function() == BvlcFunction.ENCAPSULATED_NPDU ? dataOpts : new ArrayList<>(),
                        payload));
    }

}
