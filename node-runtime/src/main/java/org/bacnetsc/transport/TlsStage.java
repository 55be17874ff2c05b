package org.bacnetsc.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * TLS over a JDK {@link SSLEngine} as one stage fused with the TCP connection and the WebSocket framing.
 *
 * <p>It replaces Pekko's TLS stage, which runs in an actor of its own behind two asynchronous boundaries and keeps
 * four 16 KB buffers per connection. Here a connection holds only the bytes in transit: encryption and decryption
 * use scratch buffers of the thread running the stage, and plaintext written while the network is busy is joined
 * and sealed into one record (up to 16 KB) when the network asks for more.
 *
 * <p>Shape, network side first: in1 = records from the network, out1 = plaintext to the application, in2 =
 * plaintext from the application, out2 = records to the network. Closing: when the application side finishes (or
 * cancels) or the peer sends close_notify, close_notify is sent and the network side completed. A TLS failure (a
 * refused certificate, a bad record) fails the application side with the {@link SSLException} after the alert the
 * engine prepared has been written to the network.
 */
final class TlsStage extends GraphStage<BidiShape<ByteString, ByteString, ByteString, ByteString>> {

    /**
     * Plaintext joined while the network is busy: no more is taken once this much waits, so with one more
     * WebSocket frame (at most Max-BVLC plus its header) it still fits one TLS record of 16 KB.
     */
    static final int BATCH = 14 * 1024;

    /** The longest TLS record payload there is (RFC 8446 §5.2: 2^14 + 256). */
    private static final int MAX_RECORD = (1 << 14) + 256;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(() -> new Scratch(false));
    /**
     * Direct buffers for engines that work on native memory (Netty's over BoringSSL): given heap buffers, such an
     * engine copies each call's input and output through pooled direct buffers of its own.
     */
    private static final ThreadLocal<Scratch> DIRECT_SCRATCH = ThreadLocal.withInitial(() -> new Scratch(true));

    private final Inlet<ByteString> fromNet = Inlet.create("Tls.fromNet");
    private final Outlet<ByteString> toApp = Outlet.create("Tls.toApp");
    private final Inlet<ByteString> fromApp = Inlet.create("Tls.fromApp");
    private final Outlet<ByteString> toNet = Outlet.create("Tls.toNet");
    private final BidiShape<ByteString, ByteString, ByteString, ByteString> shape =
            BidiShape.of(fromNet, toApp, fromApp, toNet);

    private final Supplier<SSLEngine> engines;
    private final Consumer<SSLSession> onSession;
    private final Executor handshakeTasks;
    private final java.time.Duration closeTimeout;

    /**
     * @param engines   creates the connection's engine (client or server mode set) when the stage starts
     * @param onSession told the session once the handshake completed, before any plaintext is passed up
     */
    TlsStage(Supplier<SSLEngine> engines, Consumer<SSLSession> onSession) {
        this(engines, onSession, null);
    }

    /**
     * @param engines        creates the connection's engine (client or server mode set) when the stage starts
     * @param onSession      told the session once the handshake completed, before any plaintext is passed up
     * @param handshakeTasks runs the engine's handshake computations (signatures, certificate path checks), so that
     *                       a storm of new connections does not hold up the frames of established ones; null runs
     *                       them in the stage
     */
    TlsStage(Supplier<SSLEngine> engines, Consumer<SSLSession> onSession, Executor handshakeTasks) {
        this(engines, onSession, handshakeTasks, TransportSettings.CLOSE_TIMEOUT);
    }

    /**
     * @param engines        creates the connection's engine (client or server mode set) when the stage starts
     * @param onSession      told the session once the handshake completed, before any plaintext is passed up
     * @param handshakeTasks runs the engine's handshake computations, or null to run them in the stage
     * @param closeTimeout   how long closing (close_notify and what precedes it) may wait for a peer that does not
     *                       read; then the TCP connection is aborted
     */
    TlsStage(Supplier<SSLEngine> engines, Consumer<SSLSession> onSession, Executor handshakeTasks,
             java.time.Duration closeTimeout) {
        this.engines = engines;
        this.onSession = onSession;
        this.handshakeTasks = handshakeTasks;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Where connections run their handshake computations: Pekko's dispatcher for blocking work, so that a storm of
     * new connections shares the cores with the frames of established ones instead of queueing ahead of them on the
     * actors' threads.
     */
    static Executor handshakeExecutor(org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking());
    }

    @Override
    public BidiShape<ByteString, ByteString, ByteString, ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new Logic();
    }

    /** Per-thread buffers for one wrap or unwrap pass; their content never outlives the pass. */
    private static final class Scratch {
        private final boolean direct;
        private ByteBuffer src;
        private ByteBuffer dst;

        Scratch(boolean direct) {
            this.direct = direct;
            this.src = allocate(64 * 1024);
            this.dst = allocate(64 * 1024);
        }

        private ByteBuffer allocate(int capacity) {
            return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        }

        ByteBuffer src(ByteString bytes) {
            if (src.capacity() < bytes.size()) {
                src = allocate(Math.max(bytes.size(), 2 * src.capacity()));
            }
            src.clear();
            bytes.copyToBuffer(src);
            src.flip();
            return src;
        }

        ByteBuffer dst(int atLeast) {
            if (dst.capacity() < atLeast) {
                dst = allocate(Math.max(atLeast, 2 * dst.capacity()));
            }
            dst.clear();
            return dst;
        }
    }

    private final class Logic extends TimerGraphStageLogic {
        private SSLEngine engine;
        private ThreadLocal<Scratch> scratch = SCRATCH;
        /** Plaintext from the application, not yet sealed. */
        private ByteString plainOut = ByteString.emptyByteString();
        /** Records waiting for the network to pull. */
        private ByteString netOut = ByteString.emptyByteString();
        /** Records from the network, not yet opened. */
        private ByteString netIn = ByteString.emptyByteString();
        /** Plaintext waiting for the application to pull. */
        private ByteString appIn = ByteString.emptyByteString();
        /** The last unwrap needed more bytes than {@link #netIn} holds. */
        private boolean underflow;
        private boolean handshaken;
        /** The application finished or cancelled: seal what it wrote, then send close_notify. */
        private boolean closeRequested;
        private boolean outboundClosed;
        private boolean netInFinished;
        /** The network side cancelled: nothing more can be written. */
        private boolean netGone;
        private boolean failed;
        /** Handshake computations are running on {@link #handshakeTasks}; the engine waits for them. */
        private boolean tasksRunning;
        private AsyncCallback<Throwable> tasksDone;
        private boolean closeTimerStarted;

        Logic() {
            super(shape);
            setHandler(fromNet, new AbstractInHandler() {
                @Override
                public void onPush() {
                    ByteString bytes = grab(fromNet);
                    if (!failed) {
                        netIn = netIn.concat(bytes);
                        underflow = false;
                    }
                    drive();
                }

                @Override
                public void onUpstreamFinish() {
                    netInFinished = true;
                    drive();
                }
            });
            setHandler(toApp, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    drive();
                }

                @Override
                public void onDownstreamFinish(Throwable cause) {
                    // The application reads no more; what it still writes (a last answer) is sealed until it
                    // finishes too.
                    if (isClosed(fromApp)) {
                        closeRequested = true;
                    }
                    drive();
                }
            });
            setHandler(fromApp, new AbstractInHandler() {
                @Override
                public void onPush() {
                    plainOut = plainOut.concat(grab(fromApp));
                    drive();
                }

                @Override
                public void onUpstreamFinish() {
                    closeRequested = true;
                    drive();
                }

                @Override
                public void onUpstreamFailure(Throwable ex) {
                    if (ex instanceof FrameSocket.ConnectionAborted) {
                        // The peer does not read: no close_notify, the connection ends at once.
                        failStage(ex);
                        return;
                    }
                    // After a TLS failure the application side fails in turn: the alert is still being written.
                    if (!failed) {
                        closeRequested = true;
                    }
                    drive();
                }
            });
            setHandler(toNet, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    drive();
                }

                @Override
                public void onDownstreamFinish(Throwable cause) {
                    // Nothing more can be sent, but what the peer sent (an alert, say) is still read to the end.
                    netGone = true;
                    netOut = ByteString.emptyByteString();
                    plainOut = ByteString.emptyByteString();
                    closeRequested = true;
                    drive();
                }
            });
        }

        @Override
        public void preStart() {
            tasksDone = createAsyncCallback(failure -> {
                tasksRunning = false;
                if (failure != null && !failed) {
                    onTlsFailure(failure instanceof Exception ex ? ex : new SSLException(failure));
                }
                drive();
            });
            try {
                engine = engines.get();
                if (engine.getClass().getName().startsWith("io.netty.")) {
                    scratch = DIRECT_SCRATCH;
                }
                engine.beginHandshake();
            } catch (SSLException | RuntimeException e) {
                failStage(e);
                return;
            }
            drive();
        }

        private void closeOutbound() {
            if (!outboundClosed) {
                outboundClosed = true;
                engine.closeOutbound();
            }
        }

        @Override
        public void onTimer(Object key) {
            // Closing did not finish: the peer does not take close_notify (or what was written before it).
            failStage(new FrameSocket.ConnectionAborted("TLS close not completed within " + closeTimeout.toMillis()
                    + " ms"));
        }

        /**
         * The failure of an engine that ended the handshake on its own: BoringSSL reports why (e.g. it refused the
         * peer's certificate) only on the unwrap after its alert, even without input; the JDK's engine has thrown
         * already (its unwrap without input just asks for more). Null when there is none.
         */
        private SSLException ownHandshakeFailure() {
            if (outboundClosed) {
                return null;
            }
            try {
                engine.unwrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()));
                return null;
            } catch (SSLException e) {
                return e;
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** Runs the engine as far as the buffered bytes and the ports' demand allow, then moves bytes on. */
        private void drive() {
            if (!failed && !tasksRunning) {
                try {
                    while (step()) {
                        // keep going while something changed
                    }
                } catch (SSLException | RuntimeException e) {
                    onTlsFailure(e);
                }
            }
            emit();
        }

        private boolean step() throws SSLException {
            if (closeRequested && !outboundClosed && !handshaken) {
                // Closed before the handshake completed: nothing of the application's can be sent anyway.
                closeOutbound();
                return true;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    return runTasks();
                }
                case NEED_WRAP -> {
                    return wrap(false);
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    return unwrap();
                }
                default -> {
                    if (!handshaken && !engine.isOutboundDone()) {
                        handshaken = true;
                        onSession.accept(engine.getSession());
                    }
                    boolean progress = false;
                    if (!plainOut.isEmpty() && !outboundClosed
                            && (netOut.isEmpty() && isAvailable(toNet) || closeRequested)) {
                        progress = wrap(true);
                    }
                    if (closeRequested && plainOut.isEmpty() && !outboundClosed) {
                        closeOutbound();
                        progress = true;
                    }
                    if (outboundClosed && !engine.isOutboundDone()) {
                        // close_notify still inside the engine: BoringSSL's says NOT_HANDSHAKING, not NEED_WRAP
                        progress |= wrap(false);
                    }
                    if (appIn.isEmpty() && !netIn.isEmpty() && !underflow) {
                        progress |= unwrap();
                    }
                    if (engine.isInboundDone() && !closeRequested) {
                        closeRequested = true;
                        progress = true;
                    }
                    return progress;
                }
            }
        }

        /** Runs the engine's handshake computations here, or hands them over and waits (false). */
        private boolean runTasks() {
            if (handshakeTasks == null) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
                return true;
            }
            tasksRunning = true;
            SSLEngine e = engine;
            AsyncCallback<Throwable> done = tasksDone;
            try {
                handshakeTasks.execute(() -> {
                    Throwable failure = null;
                    try {
                        Runnable task;
                        while ((task = e.getDelegatedTask()) != null) {
                            task.run();
                        }
                    } catch (RuntimeException ex) {
                        failure = ex;
                    }
                    done.invoke(failure);
                });
            } catch (RuntimeException rejected) {
                // The executor is shutting down: run them here.
                tasksRunning = false;
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
                return true;
            }
            return false;
        }

        /** Seals the pending plaintext (or, during the handshake and closing, the engine's own messages). */
        private boolean wrap(boolean data) throws SSLException {
            Scratch s = scratch.get();
            ByteBuffer src = s.src(data ? plainOut : ByteString.emptyByteString());
            int packet = engine.getSession().getPacketBufferSize();
            boolean progress = false;
            while (true) {
                ByteBuffer dst = s.dst(packet + src.remaining() + src.remaining() / 256);
                SSLEngineResult r = engine.wrap(src, dst);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    packet = 2 * packet;
                    continue;
                }
                dst.flip();
                if (dst.hasRemaining()) {
                    netOut = netOut.concat(ByteString.fromByteBuffer(dst));
                }
                progress |= r.bytesConsumed() > 0 || r.bytesProduced() > 0;
                if (!data || !src.hasRemaining() || r.getStatus() == SSLEngineResult.Status.CLOSED
                        || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    break;
                }
            }
            if (data) {
                plainOut = src.hasRemaining() ? plainOut.drop(src.position()) : ByteString.emptyByteString();
            }
            return progress;
        }

        /** Opens as many whole records of {@link #netIn} as it holds (one handshake message at a time). */
        private boolean unwrap() throws SSLException {
            if (netIn.isEmpty() || underflow || !holdsWholeRecord()) {
                underflow = true;
                return false;
            }
            Scratch s = scratch.get();
            ByteBuffer src = s.src(netIn);
            ByteBuffer dst = s.dst(Math.max(netIn.size(), engine.getSession().getApplicationBufferSize()));
            boolean progress = false;
            while (src.hasRemaining()) {
                SSLEngineResult r = engine.unwrap(src, dst);
                progress |= r.bytesConsumed() > 0 || r.bytesProduced() > 0;
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    underflow = true;
                    break;
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    // Cannot happen with dst sized to netIn, but a bigger buffer is the answer if it does.
                    dst.flip();
                    appIn = appIn.concat(ByteString.fromByteBuffer(dst));
                    dst = s.dst(2 * engine.getSession().getApplicationBufferSize());
                    continue;
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED
                        || r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                    break;
                }
            }
            dst.flip();
            if (dst.hasRemaining()) {
                appIn = appIn.concat(ByteString.fromByteBuffer(dst));
            }
            netIn = src.hasRemaining() ? netIn.drop(src.position()) : ByteString.emptyByteString();
            return progress;
        }

        /**
         * Whether {@link #netIn} holds the first record whole (by its 5-octet header), so that a record arriving in
         * many TCP segments is not copied out for every one of them. A header that cannot be TLS's is left to the
         * engine to refuse.
         */
        private boolean holdsWholeRecord() {
            if (netIn.size() < 5) {
                return false;
            }
            int length = ((netIn.apply(3) & 0xFF) << 8) | (netIn.apply(4) & 0xFF);
            return length > MAX_RECORD || netIn.size() >= 5 + length;
        }

        private void onTlsFailure(Exception e) {
            failed = true;
            netIn = ByteString.emptyByteString();
            plainOut = ByteString.emptyByteString();
            appIn = ByteString.emptyByteString();
            try {
                // The engine has prepared an alert for the peer: write it before closing.
                outboundClosed = true;
                engine.closeOutbound();
                for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                    if (!wrap(false)) {
                        break;
                    }
                }
            } catch (SSLException | RuntimeException ignored) {
                // nothing more can be sent
            }
            if (!isClosed(toApp)) {
                fail(toApp, e);
            }
            if (!isClosed(fromApp)) {
                cancel(fromApp);
            }
        }

        /** Pushes what is ready, completes finished directions and asks for more where there is room. */
        private void emit() {
            if ((closeRequested || failed) && !closeTimerStarted) {
                closeTimerStarted = true;
                scheduleOnce("close", closeTimeout);
            }
            if (!netOut.isEmpty() && isAvailable(toNet)) {
                push(toNet, netOut);
                netOut = ByteString.emptyByteString();
            }
            if (!appIn.isEmpty() && isAvailable(toApp)) {
                push(toApp, appIn);
                appIn = ByteString.emptyByteString();
            }
            if (tasksRunning) {
                // The engine is busy on another thread: only move what is buffered and ask for more.
                pullWhereThereIsRoom();
                return;
            }
            if (failed) {
                // The application side has failed; the alert is on its way.
                if (netOut.isEmpty() || isClosed(toNet)) {
                    completeStage();
                }
                return;
            }
            boolean outboundFinished = netGone || (outboundClosed && engine.isOutboundDone() && netOut.isEmpty());
            if (outboundFinished && !isClosed(toNet)) {
                // close_notify written: with TCP not half-closed this also ends the connection's inbound side.
                complete(toNet);
            }
            boolean inboundFinished = netInFinished || engine.isInboundDone();
            if (netInFinished && !handshaken && !isClosed(toApp)) {
                // The peer went away in the middle of the handshake: a TLS failure for the application side, unless
                // our engine ended the handshake itself (it refused the peer and sent an alert).
                SSLException own = ownHandshakeFailure();
                onTlsFailure(own != null ? own
                        : new SSLException("connection closed by the peer during the TLS handshake"));
                emit();
                return;
            }
            if (inboundFinished && appIn.isEmpty() && !isClosed(toApp)) {
                complete(toApp);
                if (!closeRequested) {
                    closeRequested = true;
                    drive();
                    return;
                }
            }
            if (isClosed(toNet) && isClosed(toApp)) {
                completeStage();
                return;
            }
            pullWhereThereIsRoom();
        }

        private void pullWhereThereIsRoom() {
            if (!closeRequested && plainOut.size() < BATCH && !isClosed(fromApp) && !hasBeenPulled(fromApp)) {
                pull(fromApp);
            }
            boolean wantNet = netIn.isEmpty() || underflow;
            boolean roomUp = appIn.isEmpty() || !handshaken;
            if (wantNet && roomUp && !netInFinished && !isClosed(fromNet) && !hasBeenPulled(fromNet)) {
                pull(fromNet);
            }
        }
    }
}
