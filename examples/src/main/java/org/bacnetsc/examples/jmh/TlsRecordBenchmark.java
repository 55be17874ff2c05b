package org.bacnetsc.examples.jmh;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TlsSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a TLS 1.3 record costs (JDK engines, development PKI, AES-GCM): sealing and opening 50 WebSocket
 * frames of a 100-octet NPDU (130 octets each) one record per frame, against all of them in one record, as
 * {@code TlsStage} does with the frames that wait while the socket is busy. Per frame, in nanoseconds. Run with
 * {@code bsc microbench TlsRecord}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TlsRecordBenchmark {

    private static final int FRAME = 130;
    private static final int FRAMES = 50;

    private SSLEngine client;
    private SSLEngine server;
    private ByteBuffer frame;
    private ByteBuffer batch;
    private ByteBuffer net;
    private ByteBuffer app;

    /** Two engines after a mutually authenticated handshake in memory. */
    @Setup
    public void setup() throws Exception {
        Path dir = Files.createTempDirectory("bsc-jmh-pki");
        DevPki pki = DevPki.at(dir);
        pki.ensure(1);
        SSLContext hubCtx = pki.hubTls().sslContext();
        TlsSettings nodeTls = pki.nodeTls(1);
        client = nodeTls.clientEngine(nodeTls.sslContext(), "localhost", 4443);
        server = TlsSettings.serverEngine(hubCtx);
        net = ByteBuffer.allocate(64 * 1024);
        app = ByteBuffer.allocate(64 * 1024);
        handshake();
        frame = ByteBuffer.allocate(FRAME);
        batch = ByteBuffer.allocate(FRAME * FRAMES);
        if (sealAndOpen(frame) != FRAME || sealAndOpen(batch) != FRAME * FRAMES) {
            throw new IllegalStateException("a record did not open to what was sealed");
        }
    }

    private void handshake() throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
        ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 100 && !(done(client) && done(server)); round++) {
            step(client, empty, toServer, toClient);
            step(server, empty, toClient, toServer);
        }
        if (!done(client) || !done(server)) {
            throw new IllegalStateException("handshake did not complete");
        }
    }

    private static boolean done(SSLEngine e) {
        return e.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    /** One engine's turn: run tasks, write what it has to say into {@code out}, read what {@code in} holds. */
    private void step(SSLEngine e, ByteBuffer empty, ByteBuffer out, ByteBuffer in) throws SSLException {
        for (int i = 0; i < 20; i++) {
            switch (e.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable t;
                    while ((t = e.getDelegatedTask()) != null) {
                        t.run();
                    }
                }
                case NEED_WRAP -> e.wrap(empty, out);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    app.clear();
                    SSLEngineResult r = e.unwrap(in, app);
                    in.compact();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    private int sealAndOpen(ByteBuffer src) throws SSLException {
        src.clear();
        net.clear();
        client.wrap(src, net);
        net.flip();
        app.clear();
        server.unwrap(net, app);
        return app.position();
    }

    /** One record per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int recordPerFrame() throws SSLException {
        int total = 0;
        for (int i = 0; i < FRAMES; i++) {
            total += sealAndOpen(frame);
        }
        return total / FRAMES;
    }

    /** All frames in one record. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int framesInOneRecord() throws SSLException {
        return sealAndOpen(batch) / FRAMES;
    }
}
