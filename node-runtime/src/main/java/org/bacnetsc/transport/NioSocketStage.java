package org.bacnetsc.transport;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SubscriptionWithCancelException;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One accepted TCP connection on a {@link NioSockets} loop as a stream stage: in = bytes to write, out = bytes read.
 * The loop reads when the socket is readable and the stream has asked for bytes (one chunk at a time: what the stream
 * does not ask for stays in the kernel, TCP backpressure); when bytes arrived while the stream had not asked, the
 * stream reads them itself when it asks (at full load it reads on its own, without the loop). The stream's thread
 * writes, and only a write the socket cannot take at once waits for writability through the loop.
 *
 * <p>Closing as Pekko's TCP without half-close does: the write side's end closes the connection once what waits is
 * written; the read side's cancellation stops reading and lets the write side finish (a TLS alert or close_notify
 * still goes out) within {@link #LINGER}; the peer's close completes the read side; a failure on either side aborts
 * the connection (RST).
 */
final class NioSocketStage extends GraphStage<FlowShape<ByteString, ByteString>> {

    private final Inlet<ByteString> in = Inlet.create("NioSocket.toNetwork");
    private final Outlet<ByteString> out = Outlet.create("NioSocket.fromNetwork");
    private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
    private final NioSockets loop;
    private final SocketChannel channel;

    NioSocketStage(NioSockets loop, SocketChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new Logic();
    }

    /**
     * How long the write side may go on after the read side was cancelled, or what waits may take to be written once
     * the write side has ended, before the connection is aborted.
     */
    static final java.time.Duration LINGER = java.time.Duration.ofSeconds(10);
    private static final String LINGER_KEY = "linger";
    /** The stream threads' read buffers. */
    private static final ThreadLocal<ByteBuffer> READ_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(NioSockets.READ_SIZE));

    private final class Logic extends TimerGraphStageLogic implements NioSockets.Handler {

        // shared with the loop
        private volatile boolean demand;
        /** The loop saw bytes arrive while the stream had not asked: the stream reads them itself. */
        private volatile boolean backlog;
        private final AtomicBoolean armed = new AtomicBoolean(true);
        private volatile SelectionKey key;
        // stage side
        private final ArrayDeque<ByteString> received = new ArrayDeque<>();
        private ByteBuffer unwritten;
        private boolean closeAfterWrite;
        private boolean closed;
        private AsyncCallback<ByteString> onChunk;
        private AsyncCallback<Done> onPeerClosed;
        private AsyncCallback<IOException> onReadError;
        private AsyncCallback<Done> onWritable;

        Logic() {
            super(shape);
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    unwritten = grab(in).asByteBuffer();
                    flush();
                }

                @Override
                public void onUpstreamFinish() {
                    closeWhenWritten();
                }

                @Override
                public void onUpstreamFailure(Throwable ex) {
                    abort();
                    failStage(ex);
                }
            });
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    if (!received.isEmpty()) {
                        push(out, received.poll());
                    } else {
                        askForBytes();
                    }
                }

                @Override
                public void onDownstreamFinish(Throwable cause) {
                    if (cause instanceof SubscriptionWithCancelException.NonFailureCancellation) {
                        if (isClosed(in)) {
                            closeWhenWritten();
                        } else {
                            // What the write side still sends (a TLS alert, close_notify) goes first: the write side's
                            // end closes the connection, within LINGER.
                            stopReading();
                            scheduleOnce(LINGER_KEY, LINGER);
                        }
                    } else {
                        abort();
                        failStage(cause);
                    }
                }
            });
        }

        @Override
        public void preStart() {
            onChunk = createAsyncCallback(this::onChunk);
            onPeerClosed = createAsyncCallback(d -> onPeerClosed());
            onReadError = createAsyncCallback(e -> {
                abort();
                failStage(e);
            });
            onWritable = createAsyncCallback(d -> flush());
            loop.register(channel, SelectionKey.OP_READ, this).whenComplete((k, failure) -> {
                if (failure != null) {
                    onReadError.invoke(failure instanceof IOException io ? io : new IOException(failure));
                } else {
                    key = k;
                }
            });
            pull(in);
        }

        // ------------------------------------------------------------------ the loop's thread

        @Override
        public void ready(SelectionKey k, int readyOps) {
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
                onWritable.invoke(Done.done());
            }
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                read(k);
            }
        }

        private void read(SelectionKey k) {
            if (!demand) {
                // the stream has not asked: the bytes stay in the kernel, and the stream reads them itself when it
                // asks (at full load it then reads on its own thread without the loop)
                backlog = true;
                armed.set(false);
                k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
                if (demand && armed.compareAndSet(false, true)) {
                    k.interestOps(k.interestOps() | SelectionKey.OP_READ); // asked meanwhile
                }
                return;
            }
            ByteBuffer buffer = loop.readBuffer;
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                k.interestOps(0);
                onReadError.invoke(e);
                return;
            }
            if (n < 0) {
                k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
                onPeerClosed.invoke(Done.done());
                return;
            }
            if (n > 0) {
                demand = false;
                buffer.flip();
                onChunk.invoke(ByteString.fromByteBuffer(buffer));
            }
        }

        // ------------------------------------------------------------------ the stream's thread

        private void askForBytes() {
            if (backlog && readHere()) {
                return;
            }
            demand = true;
            if (!armed.get() && armed.compareAndSet(false, true)) {
                loop.execute(() -> {
                    SelectionKey k = key;
                    if (k != null && k.isValid()) {
                        k.interestOps(k.interestOps() | SelectionKey.OP_READ);
                    }
                });
            }
        }

        /**
         * Reads on the stream's thread what the loop saw arrive while the stream had not asked (the loop does not
         * read then: demand is false); whether something was pushed or the stage ended.
         */
        private boolean readHere() {
            ByteBuffer buffer = READ_BUFFER.get();
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                abort();
                failStage(e);
                return true;
            }
            if (n < 0) {
                backlog = false;
                onPeerClosed();
                return true;
            }
            if (n == 0) {
                backlog = false;
                return false;
            }
            buffer.flip();
            push(out, ByteString.fromByteBuffer(buffer));
            return true;
        }

        private void onChunk(ByteString chunk) {
            if (isAvailable(out)) {
                push(out, chunk);
            } else {
                received.add(chunk);
            }
        }

        private void onPeerClosed() {
            // the peer is done: no more reads; our pending write still goes, then the connection closes
            if (received.isEmpty()) {
                complete(out);
            } else {
                emitMultiple(out, new java.util.ArrayList<>(received).iterator(), () -> complete(out));
                received.clear();
            }
            closeWhenWritten();
        }

        /** Writes what waits; asks the loop for writability when the socket takes only part of it. */
        private void flush() {
            if (unwritten == null || closed) {
                return;
            }
            try {
                channel.write(unwritten);
            } catch (IOException e) {
                abort();
                failStage(e);
                return;
            }
            if (unwritten.hasRemaining()) {
                loop.execute(() -> {
                    SelectionKey k = key;
                    if (k == null) {
                        onWritable.invoke(Done.done()); // not registered yet: try again
                    } else if (k.isValid()) {
                        k.interestOps(k.interestOps() | SelectionKey.OP_WRITE);
                    }
                });
                return;
            }
            unwritten = null;
            if (closeAfterWrite) {
                closeNow();
            } else if (!hasBeenPulled(in) && !isClosed(in)) {
                pull(in);
            }
        }

        @Override
        public void onTimer(Object key) {
            abort();
            completeStage();
        }

        /** Reads no more: what the peer still sends stays in the kernel (and resets the connection when it closes). */
        private void stopReading() {
            demand = false;
            loop.execute(() -> {
                SelectionKey k = key;
                if (k != null && k.isValid()) {
                    armed.set(false);
                    k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
                }
            });
        }

        private void closeWhenWritten() {
            closeAfterWrite = true;
            if (unwritten == null) {
                closeNow();
            } else if (!isTimerActive(LINGER_KEY)) {
                // a peer that takes no more bytes (a zero window) must not keep the connection open for ever
                scheduleOnce(LINGER_KEY, LINGER);
            }
        }

        /** Closes the socket (bytes we did not read make the kernel reset it, as with Pekko IO) and the stage. */
        private void closeNow() {
            release(false);
            completeStage();
        }

        private void abort() {
            release(true);
        }

        private void release(boolean reset) {
            if (closed) {
                return;
            }
            closed = true;
            loop.execute(() -> {
                if (reset) {
                    try {
                        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    } catch (IOException | RuntimeException ignored) {
                        // closing anyway
                    }
                }
                SelectionKey k = key;
                if (k != null) {
                    k.cancel();
                }
                NioSockets.closeQuietly(channel);
            });
        }

        @Override
        public void postStop() {
            release(false);
        }
    }
}
