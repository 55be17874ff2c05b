package org.bacnetsc.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepting side's socket loops ({@code bacnet-sc.transport.server-io = nio}): one selector thread per processor.
 * Loop 0 also accepts; each accepted connection is registered with the next loop in turn. A loop reads what arrives
 * for a connection whose stream has asked ({@link NioSocketStage}) and runs the tasks given to it, among them the
 * streams of accepted connections themselves ({@link LoopDispatcher}): a frame read, decrypted, routed to another
 * connection's stream, encrypted and written is then one thread's work after one readiness, instead of hand-overs
 * between Pekko IO's selector, its TCP actors and the dispatcher's threads.
 *
 * <p>Registrations and interest changes from other threads are tasks too (they wake the loop). Tasks run in bounded
 * rounds between selections, so a busy stream does not keep the sockets waiting. A failing accept (out of file
 * descriptors) pauses that listening socket for {@link #ACCEPT_PAUSE_MILLIS} instead of spinning on it.
 */
final class NioSockets {

    private static final Logger LOG = LoggerFactory.getLogger(NioSockets.class);
    /** Bytes read at once. */
    static final int READ_SIZE = 64 * 1024;
    /** Connections accepted per readiness of a listening socket before the loop serves the others. */
    private static final int ACCEPT_BATCH = 64;
    private static volatile NioSockets[] loops;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();

    /** What the loop calls on its thread for a selected key. */
    interface Handler {
        /** The key is ready for the operations in {@code readyOps}. */
        void ready(SelectionKey key, int readyOps);
    }

    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** The loop's read buffer (only its thread touches it). */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_SIZE);
    private final Thread thread;
    private record Paused(SelectionKey key, long deadline) {
    }

    /**
     * Loaded with this class: the accept failure path runs when the process is out of file descriptors, and a class
     * loaded for the first time then cannot be read from its jar or directory (NoClassDefFoundError, which ends the
     * JVM; DescriptorExhaustionTest).
     */
    private static final Class<?> LOADED_FOR_THE_FAILURE_PATH = Paused.class;

    /** How long a listening socket whose accept failed (out of descriptors) waits before accepting again. */
    static final long ACCEPT_PAUSE_MILLIS = 100;
    /** Listening sockets waiting to accept again after a failure. */
    private final java.util.ArrayDeque<Paused> pausedAccepts = new java.util.ArrayDeque<>();

    private NioSockets(int n) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "bacnet-sc-nio-selector-" + n);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The process's loops (one per processor), started on first use. */
    private static NioSockets[] loops() {
        NioSockets[] l = loops;
        if (l == null) {
            synchronized (NioSockets.class) {
                l = loops;
                if (l == null) {
                    l = new NioSockets[Math.max(1, Runtime.getRuntime().availableProcessors())];
                    for (int i = 0; i < l.length; i++) {
                        try {
                            l[i] = new NioSockets(i);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException("cannot open a selector", e);
                        }
                    }
                    loops = l;
                }
            }
        }
        return l;
    }

    /** The loop that accepts. */
    static NioSockets shared() {
        return loops()[0];
    }

    /** The loop for the next connection (round-robin). */
    static NioSockets next() {
        NioSockets[] l = loops();
        return l[Math.floorMod(NEXT.getAndIncrement(), l.length)];
    }

    /** Whether the caller runs on the loop's thread. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private static final ThreadLocal<NioSockets> CURRENT = new ThreadLocal<>();
    private final java.util.concurrent.atomic.AtomicBoolean wakeRequested =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** Tasks run per round before the loop looks at its sockets again. */
    private static final int TASKS_PER_ROUND = 1024;

    /** The loop whose thread calls, or null. */
    static NioSockets current() {
        return CURRENT.get();
    }

    /**
     * Wakes the loop once however many threads give it tasks meanwhile (a hub fanning a broadcast out to a thousand
     * connections wakes each loop once, not a thousand times); the loop clears the flag before it looks for tasks.
     */
    private void wake() {
        if (wakeRequested.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Queues {@code task} for the loop's thread (never at once), waking the loop unless called from it. */
    void enqueue(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            wake();
        }
    }

    /** Runs {@code task} on the loop's thread (at once when already there). */
    void execute(Runnable task) {
        if (inLoop()) {
            task.run();
            return;
        }
        tasks.add(task);
        wake();
    }

    /** Registers {@code channel} (non-blocking) for {@code ops} with {@code handler}; the key comes back. */
    CompletionStage<SelectionKey> register(java.nio.channels.SelectableChannel channel, int ops, Handler handler) {
        CompletableFuture<SelectionKey> key = new CompletableFuture<>();
        execute(() -> {
            try {
                key.complete(channel.register(selector, ops, handler));
            } catch (IOException | RuntimeException e) {
                key.completeExceptionally(e);
            }
        });
        return key;
    }

    /** A listening socket. */
    static final class Listener {
        private final NioSockets loop;
        private final ServerSocketChannel server;
        private final InetSocketAddress local;
        private volatile SelectionKey key;

        private Listener(NioSockets loop, ServerSocketChannel server) throws IOException {
            this.loop = loop;
            this.server = server;
            this.local = (InetSocketAddress) server.getLocalAddress();
        }

        /** The bound address. */
        InetSocketAddress localAddress() {
            return local;
        }

        /** Stops accepting and closes the listening socket. */
        CompletionStage<Void> close() {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    if (key != null) {
                        key.cancel();
                    }
                    server.close();
                } catch (IOException e) {
                    LOG.debug("closing the listening socket {}: {}", local, e.toString());
                }
                done.complete(null);
            });
            return done;
        }
    }

    /**
     * Listens on {@code address}; each accepted connection (non-blocking, TCP_NODELAY) goes to {@code onAccept} on
     * {@code executor} (its stream is built there, not on the loop's thread); {@code onAcceptFailure} runs for each
     * failed accept (on the loop's thread: it must be quick).
     */
    CompletionStage<Listener> listen(InetSocketAddress address, int backlog, Executor executor,
                                     Consumer<SocketChannel> onAccept, Runnable onAcceptFailure) {
        CompletableFuture<Listener> result = new CompletableFuture<>();
        execute(() -> {
            ServerSocketChannel server = null;
            try {
                server = ServerSocketChannel.open();
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server.bind(address, backlog);
                server.configureBlocking(false);
                Listener listener = new Listener(this, server);
                ServerSocketChannel s = server;
                listener.key = server.register(selector, SelectionKey.OP_ACCEPT,
                        (Handler) (key, ops) -> accept(key, s, executor, onAccept, onAcceptFailure));
                result.complete(listener);
            } catch (IOException | RuntimeException e) {
                if (server != null) {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the bind failure is what is reported
                    }
                }
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void accept(SelectionKey key, ServerSocketChannel server, Executor executor,
                        Consumer<SocketChannel> onAccept, Runnable onAcceptFailure) {
        for (int i = 0; i < ACCEPT_BATCH; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                // e.g. out of file descriptors: the waiting connection stays in the backlog and the listening socket
                // stays ready, so accepting pauses (instead of spinning on the failure) and is tried again later
                onAcceptFailure.run();
                LOG.warn("accepting a connection on {} failed, accepting again in {} ms: {}", server,
                        ACCEPT_PAUSE_MILLIS, e.toString());
                key.interestOps(0);
                pausedAccepts.add(new Paused(key, System.nanoTime()
                        + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ACCEPT_PAUSE_MILLIS)));
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                executor.execute(() -> onAccept.accept(ch));
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not set up the connection from {}: {}", ch, e.toString());
                closeQuietly(ch);
            }
        }
    }

    private void resumeAccepts() {
        long now = System.nanoTime();
        Paused p;
        while ((p = pausedAccepts.peek()) != null && now - p.deadline() >= 0) {
            pausedAccepts.poll();
            if (p.key().isValid()) {
                p.key().interestOps(SelectionKey.OP_ACCEPT);
            }
        }
    }

    static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void run() {
        CURRENT.set(this);
        while (true) {
            try {
                wakeRequested.set(false);
                if (tasks.isEmpty()) {
                    selector.select(this::onKey, pausedAccepts.isEmpty() ? 0 : ACCEPT_PAUSE_MILLIS);
                } else {
                    selector.selectNow(this::onKey);
                }
                resumeAccepts();
                Runnable t;
                // a bounded round: tasks that keep scheduling more (a busy stream) do not keep the sockets waiting
                for (int i = 0; i < TASKS_PER_ROUND && (t = tasks.poll()) != null; i++) {
                    try {
                        t.run();
                    } catch (RuntimeException e) {
                        LOG.warn("a task of the socket loop failed", e);
                    }
                }
            } catch (Throwable e) {
                // the loop must not die: one connection's trouble is that connection's
                LOG.error("the socket loop caught {}", e.toString(), e);
            }
        }
    }

    private void onKey(SelectionKey key) {
        try {
            if (key.isValid()) {
                ((Handler) key.attachment()).ready(key, key.readyOps());
            }
        } catch (java.nio.channels.CancelledKeyException e) {
            // closed meanwhile
        } catch (RuntimeException e) {
            LOG.warn("a socket handler failed", e);
        }
    }
}
