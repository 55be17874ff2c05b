package org.bacnetsc.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bacnetsc.codec.BvlcFunction;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.junit.jupiter.api.Test;

class AddressResolutionsTest {

    static final Vmac B = Vmac.parse("02:00:00:00:00:0b");
    static final Vmac C = Vmac.parse("02:00:00:00:00:0c");
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final Duration FRESH = Duration.ofSeconds(600);

    private static BvlcMessage ack(int id, Vmac from, String... uris) {
        return BvlcMessage.of(id, from, null, new Payload.AddressResolutionAck(List.of(uris)));
    }

    private static BvlcMessage nak(int id, Vmac from, int resultFor) {
        return BvlcMessage.of(id, from, null, Payload.BvlcResult.nak(resultFor,
                ErrorCode.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED, "no direct connections"));
    }

    @Test
    void onlyOneRequestPerPeerIsOutstandingAndEveryWaiterGetsItsAnswer() {
        AddressResolutions<String> r = new AddressResolutions<>(FRESH, 0xFFFF);
        assertEquals(Optional.of(0xFFFF), r.await(B, "first"));
        assertEquals(Optional.empty(), r.await(B, "second"), "joins the outstanding request");
        assertEquals(Optional.of(0), r.await(C, "other peer"), "Message IDs count up modulo 2^16");
        AddressResolutions.Answer<String> a = r.answer(ack(0xFFFF, B, "wss://127.0.0.1:4444/"), T0).orElseThrow();
        assertEquals(new AddressResolutions.Ended<>(B, List.of("first", "second"),
                List.of(URI.create("wss://127.0.0.1:4444/")), null), a.ended());
        assertEquals(2, r.sent());
        assertEquals(1, r.answered());
        assertEquals(Optional.of(List.of(URI.create("wss://127.0.0.1:4444/"))), r.cached(B, T0.plusSeconds(1)));
        assertEquals(1, r.cacheHits());
    }

    @Test
    void aNakEndsTheResolutionWithNoUrisAndIsCached() {
        AddressResolutions<String> r = new AddressResolutions<>(FRESH, 7);
        r.await(B, "w");
        AddressResolutions.Answer<String> a = r.answer(nak(7, B, BvlcFunction.ADDRESS_RESOLUTION.code()), T0)
                .orElseThrow();
        assertTrue(a.nak());
        assertEquals(List.of(), a.ended().uris());
        assertEquals(null, a.ended().failure(), "a NAK is an answer, not a failure");
        assertEquals(1, r.naks());
        assertEquals(Optional.of(List.of()), r.cached(B, T0.plusSeconds(599)));
        assertEquals(Optional.empty(), r.cached(B, T0.plusSeconds(600)), "not fresh any more");
    }

    @Test
    void whatDoesNotAnswerAnOutstandingResolutionIsNotOurs() {
        AddressResolutions<String> r = new AddressResolutions<>(FRESH, 1);
        assertEquals(Optional.empty(), r.answer(ack(1, B, "wss://127.0.0.1:1/"), T0), "nothing outstanding for B");
        r.await(B, "w");
        assertEquals(Optional.empty(), r.answer(nak(1, B, BvlcFunction.ADVERTISEMENT_SOLICITATION.code()), T0),
                "a NAK of another function");
        assertEquals(Optional.empty(), r.answer(BvlcMessage.of(1, null, null,
                new Payload.AddressResolutionAck(List.of())), T0), "no Originating VMAC");
        assertEquals(Optional.empty(), r.answer(ack(1, C, "wss://127.0.0.1:1/"), T0), "another peer");
        assertTrue(r.answer(ack(1, B), T0).isPresent(), "still outstanding");
    }

    @Test
    void anAnswerWithAnotherMessageIdStillAnswersThePeersOnlyRequest() {
        AddressResolutions<String> r = new AddressResolutions<>(FRESH, 40);
        r.await(B, "w");
        AddressResolutions.Answer<String> a = r.answer(ack(41, B), T0).orElseThrow();
        assertEquals(40, a.sentId());
        assertEquals(41, a.answeredId());
    }

    @Test
    void aTimeoutOrAFailedSendEndsOnlyTheRequestItBelongsTo() {
        AddressResolutions<String> r = new AddressResolutions<>(FRESH, 10);
        r.await(B, "w1");
        assertEquals(Optional.empty(), r.timedOut(B, 9, "late"), "an earlier request's timer");
        assertEquals(new AddressResolutions.Ended<>(B, List.of("w1"), List.of(), "no ACK"),
                r.timedOut(B, 10, "no ACK").orElseThrow());
        assertEquals(1, r.timeouts());
        assertEquals(Optional.empty(), r.answer(ack(10, B, "wss://127.0.0.1:1/"), T0), "ended: a late ACK is not ours");
        assertEquals(Optional.empty(), r.cached(B, T0), "a timeout is not cached");

        assertEquals(Optional.of(11), r.await(B, "w2"), "asked again: a new request");
        assertEquals(Optional.empty(), r.timedOut(B, 10, "stale"), "the first request's timer again");
        assertEquals(new AddressResolutions.Ended<>(B, List.of("w2"), List.of(), "not sent"),
                r.notSent(B, 11, "not sent").orElseThrow());
        assertEquals(1, r.timeouts(), "a failed send is not a timeout");
    }

    @Test
    void forgottenUrisAreResolvedAgain() {
        AddressResolutions<String> r = new AddressResolutions<>(FRESH, 1);
        r.await(B, "w");
        r.answer(ack(1, B, "wss://127.0.0.1:1/"), T0);
        r.forget(B);
        assertEquals(Optional.empty(), r.cached(B, T0));
        assertEquals(0, r.cacheHits());
    }

    @Test
    void onlyWsAndWssUrisWithAHostAreKeptInTheirOrder() {
        AddressResolutions.ParsedUris p = AddressResolutions.parse(List.of("wss://[::1]:4444/", "http://127.0.0.1/",
                "wss:///nohost", "not a uri ::", "ws://127.0.0.1:80/sc", "mailto:x@example.com"));
        assertEquals(List.of(URI.create("wss://[::1]:4444/"), URI.create("ws://127.0.0.1:80/sc")), p.uris());
        assertEquals(List.of("http://127.0.0.1/", "wss:///nohost", "not a uri ::", "mailto:x@example.com"),
                p.ignored());
    }
}
