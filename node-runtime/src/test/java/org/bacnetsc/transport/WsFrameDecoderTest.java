package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The RFC 6455 deframer and framer, pure: every rule, every length form, every split of the input. */
class WsFrameDecoderTest {

    static final int MAX = 1600;
    static final SplittableRandom KEYS = new SplittableRandom(42);

    /** What the listener heard, as strings that compare exactly. */
    static class Heard implements WsFrameDecoder.Listener {
        final List<String> events = new ArrayList<>();
        final List<ByteString> messages = new ArrayList<>();
        final List<ByteString> pings = new ArrayList<>();

        @Override
        public void onMessage(ByteString message) {
            messages.add(message);
            events.add("message " + message.size());
        }

        @Override
        public void onDiscarded(long length) {
            events.add("discarded " + length);
        }

        @Override
        public void onPing(ByteString payload) {
            pings.add(payload);
            events.add("ping " + payload.utf8String());
        }

        @Override
        public void onPong(ByteString payload) {
            events.add("pong " + payload.utf8String());
        }

        @Override
        public void onClose(int code, String reason) {
            events.add("close " + code + " " + reason);
        }

        @Override
        public void onViolation(WsViolation violation) {
            events.add("violation " + violation);
        }
    }

    static Heard serverDecodes(byte[]... frames) {
        return decode(true, frames);
    }

    static Heard decode(boolean serverSide, byte[]... frames) {
        Heard h = new Heard();
        WsFrameDecoder d = new WsFrameDecoder(serverSide, MAX, h);
        for (byte[] f : frames) {
            d.feed(ByteString.fromArray(f));
        }
        return h;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static byte[] client(int b0, byte[] payload) {
        return WsPeer.frame(b0, payload, true);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] close(int code, byte[] reason) {
        return concat(new byte[] {(byte) (code >>> 8), (byte) code}, reason);
    }

    @Test
    void aMaskedBinaryFrameIsUnmaskedAndDelivered() {
        Heard h = serverDecodes(client(0x82, bytes("hello")));
        assertEquals(List.of("message 5"), h.events);
        assertEquals("hello", h.messages.get(0).utf8String());
    }

    @Test
    void sixteenAndSixtyFourBitLengthsAreRead() {
        byte[] mid = new byte[300];
        new SplittableRandom(1).nextBytes(mid);
        Heard h = serverDecodes(client(0x82, mid), WsPeer.frame(0x82, new byte[] {7}, true, 1) /* short */);
        assertEquals(List.of("message 300", "message 1"), h.events);
        assertArrayEquals(mid, h.messages.get(0).toArray());
        // a 64-bit length form for a small payload (not minimal, but unambiguous) is read too
        byte[] longForm = concat(new byte[] {(byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0}, new byte[]
                {9, 8});
        assertEquals(List.of("message 2"), serverDecodes(longForm).events);
    }

    /**
     * Any cut of the input into chunks decodes to exactly what the sender's frames say: the same events, and every
     * octet of every message and ping payload, so that unmasking across a chunk boundary (inside a mask key, a
     * length or a payload) must be right. Messages come whole or in fragments with pings between them (RFC 6455
     * §5.4); the masks come from the seed, so that a failing case is reproduced exactly.
     */
    @Property(tries = 200)
    void anySplitOfTheInputDecodesTheSame(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 2000)
            Integer> lengths, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        List<ByteString> expectedMessages = new ArrayList<>();
        List<ByteString> expectedPings = new ArrayList<>();
        for (int n : lengths) {
            byte[] p = new byte[n];
            r.nextBytes(p);
            int fragments = 1 + r.nextInt(3);
            int[] cuts = new int[fragments + 1];
            for (int i = 1; i < fragments; i++) {
                cuts[i] = r.nextInt(0, n + 1);
            }
            cuts[fragments] = n;
            java.util.Arrays.sort(cuts, 1, fragments);
            for (int i = 0; i < fragments; i++) {
                int b0 = (i == fragments - 1 ? 0x80 : 0) | (i == 0 ? 0x02 : 0x00);
                stream.writeBytes(masked(b0, java.util.Arrays.copyOfRange(p, cuts[i], cuts[i + 1]), r));
                if (i < fragments - 1) {
                    ping(stream, r, expected, expectedPings);
                }
            }
            expected.add(n > MAX ? "discarded " + n : "message " + n);
            if (n <= MAX) {
                expectedMessages.add(ByteString.fromArray(p));
            }
            ping(stream, r, expected, expectedPings);
        }
        byte[] all = stream.toByteArray();
        Heard h = new Heard();
        WsFrameDecoder d = new WsFrameDecoder(true, MAX, h);
        int at = 0;
        while (at < all.length) {
            int n = Math.min(all.length - at, 1 + r.nextInt(40));
            assertEquals(n, d.feed(ByteString.fromArray(all, at, n)), "a decoder not paused takes every octet");
            at += n;
        }
        assertEquals(expected, h.events);
        assertEquals(expectedMessages, h.messages, "message payloads, octet for octet");
        assertEquals(expectedPings, h.pings, "ping payloads, octet for octet");
        // ... and the same as the whole input at once
        Heard whole = serverDecodes(all);
        assertEquals(List.of(whole.events, whole.messages, whole.pings), List.of(h.events, h.messages, h.pings));
    }

    /** A masked ping with a random payload of up to 125 octets, written and expected. */
    private static void ping(ByteArrayOutputStream stream, SplittableRandom r, List<String> expected,
                             List<ByteString> expectedPings) {
        byte[] ping = new byte[r.nextInt(0, 126)];
        r.nextBytes(ping);
        stream.writeBytes(masked(0x89, ping, r));
        expected.add("ping " + ByteString.fromArray(ping).utf8String());
        expectedPings.add(ByteString.fromArray(ping));
    }

    /** A client frame as RFC 6455 §5.2 lays it out, masked with a key from {@code r} (independent of WsFrames). */
    static byte[] masked(int b0, byte[] payload, SplittableRandom r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
        b.write(b0);
        if (payload.length < 126) {
            b.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            b.write(0x80 | 126);
            b.write(payload.length >>> 8);
            b.write(payload.length);
        } else {
            b.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        byte[] key = new byte[4];
        r.nextBytes(key);
        b.writeBytes(key);
        for (int i = 0; i < payload.length; i++) {
            b.write(payload[i] ^ key[i & 3]);
        }
        return b.toByteArray();
    }

    @Test
    void byteByByteEqualsWhole() {
        byte[] all = concat(client(0x02, bytes("ab")), client(0x89, bytes("x")), client(0x80, bytes("cd")),
                client(0x88, close(1000, bytes("bye"))));
        Heard whole = serverDecodes(all);
        Heard single = new Heard();
        WsFrameDecoder d = new WsFrameDecoder(true, MAX, single);
        for (byte b : all) {
            d.feed(ByteString.fromArray(new byte[] {b}));
        }
        assertEquals(List.of("ping x", "message 4", "close 1000 bye"), whole.events);
        assertEquals(whole.events, single.events);
        assertEquals("abcd", single.messages.get(0).utf8String());
    }

    @Test
    void aFragmentedMessageLongerThanTheLimitIsDiscardedWholeAndTheNextOneDelivered() {
        Heard h = serverDecodes(client(0x02, new byte[1000]), client(0x00, new byte[1000]),
                client(0x80, new byte[5]), client(0x82, bytes("ok")));
        assertEquals(List.of("discarded 2005", "message 2"), h.events);
    }

    @Test
    void aMessageOfExactlyTheLimitIsDelivered() {
        assertEquals(List.of("message " + MAX), serverDecodes(client(0x82, new byte[MAX])).events);
        assertEquals(List.of("discarded " + (MAX + 1)), serverDecodes(client(0x82, new byte[MAX + 1])).events);
    }

    @Test
    void aHugeAnnouncedDataFrameIsSkippedWithoutBuffering() {
        Heard h = new Heard();
        WsFrameDecoder d = new WsFrameDecoder(true, MAX, h);
        d.feed(ByteString.fromArray(WsPeer.frame(0x82, new byte[0], true, 1L << 40)));
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < 64; i++) {
            d.feed(ByteString.fromArray(chunk));
        }
        assertEquals(List.of(), h.events, "still discarding, nothing held");
    }

    @Test
    void emptyFramesAndEmptyMessagesWork() {
        assertEquals(List.of("message 0", "ping ", "pong ", "close 1005 "), serverDecodes(client(0x82,
                new byte[0]), client(0x89, new byte[0]), client(0x8A, new byte[0]), client(0x88, new byte[0])).events);
    }

    @Test
    void eachRuleIsAViolationAndNothingAfterItIsDecoded() {
        record Case(byte[] frame, WsViolation expected) {
        }
        byte[] good = client(0x82, bytes("after"));
        List<Case> cases = List.of(
                new Case(client(0xC2, bytes("x")), WsViolation.RESERVED_BITS),
                new Case(client(0xA2, bytes("x")), WsViolation.RESERVED_BITS),
                new Case(client(0x92, bytes("x")), WsViolation.RESERVED_BITS),
                new Case(client(0x83, bytes("x")), WsViolation.RESERVED_OPCODE),
                new Case(client(0x87, bytes("x")), WsViolation.RESERVED_OPCODE),
                new Case(client(0x8B, bytes("x")), WsViolation.RESERVED_OPCODE),
                new Case(client(0x8F, bytes("x")), WsViolation.RESERVED_OPCODE),
                new Case(client(0x89, new byte[126]), WsViolation.CONTROL_TOO_LONG),
                new Case(client(0x88, new byte[200]), WsViolation.CONTROL_TOO_LONG),
                new Case(client(0x09, bytes("x")), WsViolation.CONTROL_FRAGMENTED),
                new Case(client(0x0A, bytes("x")), WsViolation.CONTROL_FRAGMENTED),
                new Case(WsPeer.frame(0x82, bytes("x"), false), WsViolation.UNMASKED_CLIENT_FRAME),
                new Case(concat(new byte[] {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0}),
                        WsViolation.LENGTH_OUT_OF_RANGE),
                new Case(client(0x80, bytes("x")), WsViolation.CONTINUATION_WITHOUT_START),
                new Case(client(0x00, bytes("x")), WsViolation.CONTINUATION_WITHOUT_START),
                new Case(concat(client(0x02, bytes("x")), client(0x82, bytes("y"))),
                        WsViolation.DATA_INSIDE_FRAGMENTED),
                new Case(concat(client(0x02, bytes("x")), client(0x81, bytes("y"))),
                        WsViolation.DATA_INSIDE_FRAGMENTED),
                new Case(client(0x88, new byte[] {3}), WsViolation.CLOSE_ONE_OCTET),
                new Case(client(0x81, bytes("text")), WsViolation.TEXT_DATA),
                new Case(client(0x88, close(1000, new byte[] {(byte) 0xC3, 0x28})), WsViolation.INVALID_CLOSE_REASON),
                new Case(client(0x88, close(1000, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})),
                        WsViolation.INVALID_CLOSE_REASON),
                new Case(client(0x88, close(1000, new byte[] {(byte) 0xC0, (byte) 0x80})),
                        WsViolation.INVALID_CLOSE_REASON));
        for (Case c : cases) {
            Heard h = serverDecodes(concat(c.frame(), good));
            assertEquals(List.of("violation " + c.expected()), h.events, c.expected().toString());
        }
    }

    @Test
    void theClientSideRefusesMaskedServerFramesAndReadsUnmaskedOnes() {
        assertEquals(List.of("violation MASKED_SERVER_FRAME"), decode(false, client(0x82, bytes("x"))).events);
        assertEquals(List.of("message 1"), decode(false, WsPeer.frame(0x82, bytes("x"), false)).events);
    }

    @Test
    void closeCodesAreCheckedAgainstRfc6455Section7_4() {
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999};
        int[] invalid = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
        for (int code : valid) {
            assertEquals(List.of("close " + code + " r"), serverDecodes(client(0x88, close(code, bytes("r"))))
                    .events, "code " + code);
        }
        for (int code : invalid) {
            assertEquals(List.of("violation INVALID_CLOSE_CODE"), serverDecodes(client(0x88, close(code,
                    new byte[0]))).events, "code " + code);
        }
    }

    @Test
    void nothingIsDecodedAfterAClose() {
        assertEquals(List.of("close 1000 "), serverDecodes(client(0x88, close(1000, new byte[0])),
                client(0x82, bytes("late"))).events);
    }

    @Test
    void stopEndsDecodingMidStream() {
        Heard h = new Heard();
        WsFrameDecoder d = new WsFrameDecoder(true, MAX, new WsFrameDecoder.Listener() {
            @Override
            public void onMessage(ByteString message) {
                h.onMessage(message);
            }

            @Override
            public void onDiscarded(long length) {
            }

            @Override
            public void onPing(ByteString payload) {
                h.onPing(payload);
                if (h.events.size() == 2) {
                    throw new StopHere();
                }
            }

            @Override
            public void onPong(ByteString payload) {
            }

            @Override
            public void onClose(int code, String reason) {
            }

            @Override
            public void onViolation(WsViolation violation) {
            }
        });
        assertThrows(StopHere.class, () -> d.feed(ByteString.fromArray(concat(client(0x89, bytes("1")),
                client(0x89, bytes("2"))))));
        d.stop();
        d.feed(ByteString.fromArray(client(0x89, bytes("3"))));
        assertEquals(List.of("ping 1", "ping 2"), h.events);
    }

    @Test
    void pausingInTheListenerStopsAfterThatFrameAndTheRestIsDecodedAfterResume() {
        List<String> seen = new ArrayList<>();
        WsFrameDecoder[] d = new WsFrameDecoder[1];
        d[0] = new WsFrameDecoder(true, MAX, new Heard() {
            @Override
            public void onMessage(ByteString message) {
                seen.add(message.utf8String());
                d[0].pause();
            }
        });
        byte[] a = client(0x82, bytes("a"));
        byte[] all = concat(a, client(0x82, bytes("b")), client(0x82, bytes("c")));
        ByteString input = ByteString.fromArray(all);
        int taken = d[0].feed(input);
        assertEquals(a.length, taken, "stopped right after the first frame");
        assertTrue(d[0].isPaused());
        d[0].resume();
        ByteString rest = input.drop(taken);
        taken = d[0].feed(rest);
        rest = rest.drop(taken);
        d[0].resume();
        assertEquals(rest.size(), d[0].feed(rest));
        assertEquals(List.of("a", "b", "c"), seen);
    }

    static final class StopHere extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    // The framer.

    @Test
    void serverFramesAreUnmaskedWholeAndUseTheShortestLength() {
        assertArrayEquals(new byte[] {(byte) 0x82, 2, 5, 6}, WsFrames.frame(WsOpcode.BINARY,
                ByteString.fromArray(new byte[] {5, 6}), null).toArray());
        byte[] mid = WsFrames.frame(WsOpcode.BINARY, ByteString.fromArray(new byte[126]), null).toArray();
        assertArrayEquals(new byte[] {(byte) 0x82, 126, 0, 126}, java.util.Arrays.copyOf(mid, 4));
        assertEquals(130, mid.length);
        byte[] big = WsFrames.frame(WsOpcode.BINARY, ByteString.fromArray(new byte[65536]), null).toArray();
        assertArrayEquals(new byte[] {(byte) 0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}, java.util.Arrays.copyOf(big, 10));
    }

    @Property(tries = 100)
    void clientFramesAreMaskedAndTheServerDecoderReadsThemBack(@ForAll @Size(max = 70000) byte[] payload) {
        ByteString f = WsFrames.frame(WsOpcode.BINARY, ByteString.fromArray(payload), KEYS::nextInt);
        assertTrue((f.apply(1) & 0x80) != 0, "masked");
        Heard h = new Heard();
        new WsFrameDecoder(true, 1 << 20, h).feed(f);
        assertArrayEquals(payload, h.messages.get(0).toArray());
        Heard refused = new Heard();
        new WsFrameDecoder(false, 1 << 20, refused).feed(f);
        assertEquals(List.of("violation MASKED_SERVER_FRAME"), refused.events);
    }

    @Test
    void aControlPayloadOver125OctetsIsNeverEncoded() {
        assertThrows(IllegalArgumentException.class, () -> WsFrames.frame(WsOpcode.PING,
                ByteString.fromArray(new byte[126]), null));
    }

    @Test
    void aCloseReasonIsCutOnACharacterBoundaryWithin125Octets() {
        String reason = "ü".repeat(100);
        ByteString p = WsFrames.closePayload(1008, reason);
        assertTrue(p.size() <= 125);
        assertEquals(1008, ((p.apply(0) & 0xFF) << 8) | (p.apply(1) & 0xFF));
        String back = WsFrames.strictUtf8(p.toArray(), 2, p.size() - 2);
        assertEquals("ü".repeat(61), back);
    }
}
