package org.bacnetsc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.pekko.util.ByteString;

/** Properties of the NPDU codec over generated NPDUs and arbitrary bytes. */
class NpduPropertiesTest {

    @Property(tries = 2000)
    void decodeOfEncodeIsIdentity(@ForAll("npdus") Npdu npdu) {
        assertEquals(new NpduDecodeResult.Decoded(npdu), NpduCodec.decode(NpduCodec.encode(npdu)));
    }

    @Property(tries = 3000)
    void arbitraryBytesDecodeToAnNpduOrADropAndNeverThrow(@ForAll @Size(max = 60) byte[] bytes) {
        NpduDecodeResult r = NpduCodec.decode(ByteString.fromArray(bytes));
        assertNotNull(r);
        if (r instanceof NpduDecodeResult.Decoded d) {
            // what decodes re-encodes to a frame that decodes to the same NPDU
            assertEquals(r, NpduCodec.decode(NpduCodec.encode(d.npdu())));
        }
    }

    private static Arbitrary<ByteString> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(ByteString::fromArray);
    }

    private static Arbitrary<List<Integer>> networks(int min) {
        return Arbitraries.integers().between(0, 0xFFFF).list().ofMinSize(min).ofMaxSize(5);
    }

    @Provide
    Arbitrary<Npdu> npdus() {
        Arbitrary<NetworkMessage> messages = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0xFFFF).injectNull(0.3).map(NetworkMessage.WhoIsRouterToNetwork::new),
                networks(1).map(NetworkMessage.IAmRouterToNetwork::new),
                Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 255))
                        .as(NetworkMessage.ICouldBeRouterToNetwork::new),
                Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 0xFFFF))
                        .as(NetworkMessage.RejectMessageToNetwork::new),
                networks(0).map(NetworkMessage.RouterBusyToNetwork::new),
                networks(0).map(NetworkMessage.RouterAvailableToNetwork::new),
                Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 255),
                        bytes(0, 4)).as(NetworkMessage.RoutingTableEntry::new).list().ofMaxSize(3)
                        .map(NetworkMessage.InitializeRoutingTable::new),
                Arbitraries.just(NetworkMessage.WhatIsNetworkNumber.INSTANCE),
                Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.of(true, false))
                        .as(NetworkMessage.NetworkNumberIs::new),
                Combinators.combine(Arbitraries.integers().between(0x80, 0xFF), Arbitraries.integers().between(0,
                        0xFFFF), bytes(0, 6)).as(NetworkMessage.Proprietary::new));
        Arbitrary<Integer> dnet = Arbitraries.integers().between(1, 0xFFFF).injectNull(0.4);
        Arbitrary<Integer> snet = Arbitraries.integers().between(1, 0xFFFE).injectNull(0.4);
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(NetworkPriority.class), dnet,
                bytes(0, 7), snet, bytes(1, 7), Arbitraries.integers().between(0, 255),
                Arbitraries.oneOf(messages.map(m -> (Object) m), bytes(0, 20).map(b -> (Object) b)))
                .as((reply, priority, d, dadr, s, sadr, hops, body) -> new Npdu(reply, priority, d,
                        d == null ? null : d == Npdu.GLOBAL ? ByteString.emptyByteString() : dadr, s,
                        s == null ? null : sadr, d == null ? null : hops,
                        body instanceof NetworkMessage m ? m : null, body instanceof ByteString b ? b : null));
    }
}
