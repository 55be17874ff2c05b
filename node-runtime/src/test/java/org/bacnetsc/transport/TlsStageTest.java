package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fused TLS stage with real JDK engines (TLS 1.3, mutual authentication, development PKI), client and server
 * stages joined back to back in memory.
 */
class TlsStageTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static Materializer mat;
    private static DevPki pki;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() {
        mat = Materializer.matFromSystem(KIT.system());
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(1);
    }

    @AfterAll
    static void tearDown() {
        KIT.shutdownTestKit();
    }

    private static TlsStage client(TlsSettings tls, AtomicReference<SSLSession> session) {
        SSLContext ctx = tls.sslContext();
        return new TlsStage(() -> tls.clientEngine(ctx, "localhost", 4443), session::set);
    }

    private static TlsStage server(AtomicReference<SSLSession> session) {
        SSLContext ctx = pki.hubTls().sslContext();
        return new TlsStage(() -> TlsSettings.serverEngine(ctx), session::set);
    }

    /** The client's application side, talking over {@code wire} to a server whose application is {@code serverApp}. */
    private static Flow<ByteString, ByteString, NotUsed> connect(TlsStage client, Flow<ByteString, ByteString, ?> wire,
                                                                TlsStage server,
                                                                Flow<ByteString, ByteString, NotUsed> serverApp) {
        Flow<ByteString, ByteString, NotUsed> serverSide = BidiFlow.fromGraph(server).join(serverApp);
        return BidiFlow.fromGraph(client).reversed().join(wire.via(serverSide));
    }

    private static ByteString payload(int n, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (n * 31 + i);
        }
        return ByteString.fromArray(b);
    }

    /** Reads until {@code expected} octets arrived, keeping the client's writing side open meanwhile. */
    private static ByteString exchange(Flow<ByteString, ByteString, NotUsed> link, List<ByteString> writes,
                                       int expected) throws Exception {
        CompletionStage<ByteString> got = Source.from(writes).concat(Source.never()).via(link)
                .scan(ByteString.emptyByteString(), ByteString::concat)
                .filter(b -> b.size() >= expected)
                .runWith(Sink.head(), mat);
        return got.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void bytesCrossInBothDirectionsAfterAMutuallyAuthenticatedHandshake() throws Exception {
        AtomicReference<SSLSession> clientSession = new AtomicReference<>();
        AtomicReference<SSLSession> serverSession = new AtomicReference<>();
        List<ByteString> writes = new ArrayList<>();
        ByteString all = ByteString.emptyByteString();
        // Small writes and one larger than a TLS record (split into several records and joined again).
        for (int i = 0; i < 50; i++) {
            ByteString p = payload(i, i == 25 ? 100_000 : 100 + i);
            writes.add(p);
            all = all.concat(p);
        }
        Flow<ByteString, ByteString, NotUsed> link = connect(client(pki.nodeTls(1), clientSession),
                Flow.create(), server(serverSession), Flow.create());

        assertEquals(all, exchange(link, writes, all.size()));
        assertEquals("TLSv1.3", clientSession.get().getProtocol());
        assertEquals("CN=hub", WsServer.peerCertificate(clientSession.get()).subject());
        assertEquals("CN=node-1", WsServer.peerCertificate(serverSession.get()).subject());
    }

    @Test
    void handshakeComputationsRunOnTheGivenExecutorAndTheConnectionThenWorks() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        AtomicInteger clientHandedOver = new AtomicInteger();
        AtomicInteger serverHandedOver = new AtomicInteger();
        try {
            TlsSettings nodeTls = pki.nodeTls(1);
            SSLContext clientCtx = nodeTls.sslContext();
            SSLContext serverCtx = pki.hubTls().sslContext();
            TlsStage client = new TlsStage(() -> nodeTls.clientEngine(clientCtx, "localhost", 4443), s -> { },
                    task -> {
                        clientHandedOver.incrementAndGet();
                        pool.execute(task);
                    });
            TlsStage server = new TlsStage(() -> TlsSettings.serverEngine(serverCtx), s -> { }, task -> {
                serverHandedOver.incrementAndGet();
                pool.execute(task);
            });
            ByteString data = payload(7, 5000);
            Flow<ByteString, ByteString, NotUsed> link = connect(client, Flow.create(), server, Flow.create());

            assertEquals(data, exchange(link, List.of(data), data.size()));
            // Each side verifies a certificate chain and a signature: each hands its computations over (how many
            // times depends on the engine, not on timing: the stage hands over whenever the engine needs a task).
            assertTrue(clientHandedOver.get() > 0, "client hand-overs: " + clientHandedOver.get());
            assertTrue(serverHandedOver.get() > 0, "server hand-overs: " + serverHandedOver.get());
        } finally {
            pool.shutdown();
        }
    }

    /** A chunk of records the client's network side holds until the test lets it go on. */
    private record Held(ByteString chunk, CompletableFuture<ByteString> released) {
        void release() {
            released.complete(chunk);
        }
    }

    @Test
    void writesWaitingForTheNetworkAreSealedIntoOneRecord() throws Exception {
        // The client's network side takes one chunk at a time (mapAsync of 1) and, once `holding` is set, keeps
        // each chunk until the test releases it: while it holds one, the network asks for nothing more, so the
        // stage is busy-network by construction, not by a throttle's timing. The client's application offers 400
        // writes of 100 octets at once; `taken` counts those the stage has pulled in.
        AtomicBoolean holding = new AtomicBoolean(false);
        BlockingQueue<Held> held = new LinkedBlockingQueue<>();
        Flow<ByteString, ByteString, NotUsed> wire = Flow.<ByteString>create().mapAsync(1, chunk -> {
            if (!holding.get()) {
                return CompletableFuture.completedFuture(chunk);
            }
            Held h = new Held(chunk, new CompletableFuture<>());
            held.add(h);
            return h.released();
        });
        BlockingQueue<ByteString> arrived = new LinkedBlockingQueue<>();
        Flow<ByteString, ByteString, NotUsed> serverApp = Flow.fromSinkAndSource(Sink.foreach(arrived::add),
                Source.never());
        Semaphore taken = new Semaphore(0);
        AtomicInteger takenCount = new AtomicInteger();
        BoundedSourceQueue<ByteString> app = Source.<ByteString>queue(1024)
                .map(w -> {
                    takenCount.incrementAndGet();
                    taken.release();
                    return w;
                })
                .via(connect(client(pki.nodeTls(1), new AtomicReference<>()), wire, server(new AtomicReference<>()),
                        serverApp))
                .to(Sink.ignore())
                .run(mat);

        // The handshake, then a first write: when it has arrived the connection is up and the network idle.
        ByteString hello = payload(999, WRITE);
        assertEquals(QueueOfferResult.enqueued(), app.offer(hello));
        assertEquals(hello, awaitArrived(arrived, WRITE));
        assertTrue(taken.tryAcquire(1, HANG.toSeconds(), TimeUnit.SECONDS));

        holding.set(true);
        List<ByteString> writes = new ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            writes.add(payload(i, WRITE));
            assertEquals(QueueOfferResult.enqueued(), app.offer(writes.get(i)));
        }
        // The network had asked for more: the first write is sealed and sent at once, alone. While the network
        // holds it, the stage joins writes up to BATCH octets and then takes no more: the next time the network
        // asks, that is one record; and so on until the last writes.
        int batch = (TlsStage.BATCH + WRITE - 1) / WRITE;
        int sealed = 0;
        int inChunk = 1;
        int acquired = 0;
        int records = 0;
        while (sealed < WRITES) {
            Held h = held.poll(HANG.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(h, "a chunk of records for the network after " + sealed + " writes");
            assertEquals(1, applicationRecords(h.chunk()), "one record for the writes " + sealed + " to "
                    + (sealed + inChunk - 1));
            records++;
            int absorbed = Math.min(batch, WRITES - sealed - inChunk);
            int expectedTaken = sealed + inChunk + absorbed;
            // Event-driven: wait until the stage has pulled in what fits while the network is busy ...
            assertTrue(taken.tryAcquire(expectedTaken - acquired, HANG.toSeconds(), TimeUnit.SECONDS),
                    "the stage took " + (takenCount.get() - 1) + " writes, expected " + expectedTaken);
            acquired = expectedTaken;
            // ... and no more: it stops pulling once BATCH octets wait (a later extra write would also show as a
            // larger next record below).
            assertEquals(1 + expectedTaken, takenCount.get(), "writes taken while the network is busy");
            h.release();
            // The server gets exactly this chunk's writes, in order (the next chunk is held).
            assertEquals(concat(writes.subList(sealed, sealed + inChunk)), awaitArrived(arrived, inChunk * WRITE));
            sealed += inChunk;
            inChunk = absorbed;
        }
        // 400 writes, 40,000 octets: the first alone, then BATCH-sized records (144 writes of 100 octets each for
        // BATCH = 14 KB), then the rest: 4 records where a record per write would be 400.
        assertEquals(1 + (WRITES - 1 + batch - 1) / batch, records);
        app.complete();
    }

    private static final int WRITE = 100;
    private static final int WRITES = 400;
    private static final Duration HANG = Duration.ofSeconds(30);

    private static ByteString concat(List<ByteString> parts) {
        ByteString all = ByteString.emptyByteString();
        for (ByteString p : parts) {
            all = all.concat(p);
        }
        return all;
    }

    /** Exactly the next {@code n} octets the server's application receives (bounded only against a hang). */
    private static ByteString awaitArrived(BlockingQueue<ByteString> arrived, int n) throws InterruptedException {
        ByteString got = ByteString.emptyByteString();
        while (got.size() < n) {
            ByteString b = arrived.poll(HANG.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(b, "only " + got.size() + " of " + n + " octets arrived");
            got = got.concat(b);
        }
        assertEquals(n, got.size(), "more than the released chunk arrived");
        return got;
    }

    /** The application-data records in a chunk that holds whole records only. */
    private static int applicationRecords(ByteString chunk) {
        AtomicInteger records = new AtomicInteger();
        RecordCounter counter = new RecordCounter(records);
        counter.add(chunk);
        assertTrue(counter.pending.isEmpty(), "whole records only");
        return records.get();
    }

    @Test
    void whatTheApplicationWroteBeforeFinishingArrivesThenThePeerSeesTheEnd() throws Exception {
        CompletableFuture<ByteString> received = new CompletableFuture<>();
        Flow<ByteString, ByteString, NotUsed> serverApp = Flow.fromSinkAndSource(
                Sink.<ByteString, ByteString>fold(ByteString.emptyByteString(), ByteString::concat)
                        .mapMaterializedValue(f -> f.whenComplete((b, t) -> {
                            if (t == null) {
                                received.complete(b);
                            } else {
                                received.completeExceptionally(t);
                            }
                        })),
                Source.<ByteString>never());
        ByteString all = payload(1, 30_000);
        Flow<ByteString, ByteString, NotUsed> link = connect(client(pki.nodeTls(1), new AtomicReference<>()),
                Flow.create(), server(new AtomicReference<>()), serverApp);

        Source.single(all).via(link).runWith(Sink.ignore(), mat);

        assertEquals(all, received.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aClientCertificateFromAnotherCaFailsTheClientWithTheServersAlert() throws Exception {
        DevPki other = DevPki.at(dir.resolve("other"));
        other.ensure(1);
        TlsSettings foreign = TlsSettings.pem(other.node(1), List.of(pki.caCertificate()));
        Flow<ByteString, ByteString, NotUsed> link = connect(client(foreign, new AtomicReference<>()), Flow.create(),
                server(new AtomicReference<>()), Flow.create());

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> exchange(link, List.of(payload(1, 10)), 10));

        assertInstanceOf(SSLException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("Received fatal alert"), e.getCause().getMessage());
    }

    @Test
    void aPeerThatDoesNotSpeakTlsFailsTheApplicationSideWithAnSslException() {
        // A plain HTTP server on the port: it answers the ClientHello with text.
        Flow<ByteString, ByteString, NotUsed> plainServer = Flow.<ByteString>create().take(1)
                .map(hello -> ByteString.fromString("HTTP/1.1 400 Bad Request\r\n\r\n"))
                .concat(Source.never());
        Flow<ByteString, ByteString, NotUsed> link = BidiFlow.fromGraph(client(pki.nodeTls(1),
                new AtomicReference<>())).reversed().join(plainServer);

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> exchange(link, List.of(payload(1, 10)), 10));

        assertInstanceOf(SSLException.class, e.getCause());
    }

    @Test
    void aPeerThatClosesDuringTheHandshakeFailsTheApplicationSideWithAnSslException() {
        // It reads the ClientHello and closes.
        Flow<ByteString, ByteString, NotUsed> closing = Flow.<ByteString>create().take(1)
                .filter(hello -> false);
        Flow<ByteString, ByteString, NotUsed> link = BidiFlow.fromGraph(client(pki.nodeTls(1),
                new AtomicReference<>())).reversed().join(closing);

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> exchange(link, List.of(payload(1, 10)), 10));

        assertInstanceOf(SSLException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("during the TLS handshake"), e.getCause().getMessage());
    }

    /** Counts TLS records in a byte stream cut into arbitrary chunks (5-octet headers with a 16-bit length). */
    private static final class RecordCounter {
        private final AtomicInteger records;
        private ByteString pending = ByteString.emptyByteString();

        RecordCounter(AtomicInteger records) {
            this.records = records;
        }

        void add(ByteString chunk) {
            pending = pending.concat(chunk);
            while (pending.size() >= 5) {
                int length = ((pending.apply(3) & 0xFF) << 8) | (pending.apply(4) & 0xFF);
                if (pending.size() < 5 + length) {
                    return;
                }
                if (pending.apply(0) == 23) {
                    records.incrementAndGet();
                }
                pending = pending.drop(5 + length);
            }
        }
    }

    @Test
    void aCloseTheNetworkNeverTakesAbortsTheConnectionAfterTheCloseTimeout() throws Exception {
        SSLContext ctx = pki.hubTls().sslContext();
        TlsStage tls = new TlsStage(() -> TlsSettings.serverEngine(ctx), s -> { }, null, Duration.ofMillis(300));
        // the application has nothing to say and closes at once; the network side never asks for a byte
        Flow<ByteString, ByteString, NotUsed> app = Flow.fromSinkAndSource(Sink.ignore(), Source.empty());
        CompletableFuture<org.apache.pekko.Done> ended = Source.<ByteString>never()
                .via(BidiFlow.fromGraph(tls).join(app))
                .watchTermination(org.apache.pekko.stream.javadsl.Keep.right())
                .to(Sink.asPublisher(org.apache.pekko.stream.javadsl.AsPublisher.WITHOUT_FANOUT))
                .run(mat).toCompletableFuture();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> ended.get(10, TimeUnit.SECONDS));
        assertInstanceOf(FrameSocket.ConnectionAborted.class, e.getCause());
    }
}
