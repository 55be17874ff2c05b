package org.bacnetsc.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * This machine's floor for {@code bsc bench}: the same load (nodes, rate, message size, warm-up, duration) through a
 * plain TCP relay on 127.0.0.1, without TLS, WebSocket or BACnet/SC and without allocating per message, in this
 * process: one selector thread per processor relays (what node i sends goes to node i + 1), one thread paces, sends
 * and receives as the benchmark's generator does. What a hub adds to latency and CPU is the difference to this
 * baseline measured in the same sitting; its tail is what the machine (scheduler, other tenants, the kernel's own
 * threads) does to any relay.
 */
public final class PlainRelay {

    /** Octets of the header of each message: sequence (8), send time (8). */
    public static final int HEADER = 16;
    /** How long a socket may refuse bytes before the relay gives up (a relay that stalls has no floor to show). */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * What one run measured.
     *
     * @param sent           messages sent while measuring
     * @param delivered      of those, messages received
     * @param seconds        measured sending time
     * @param latencyMicros  their latencies
     * @param cpuSeconds     this process's CPU time (relay and generator) while measuring
     * @param relayCpuSeconds the relay threads' CPU time while measuring (what compares with a hub's)
     */
    public record Result(long sent, long delivered, double seconds, Histogram latencyMicros, double cpuSeconds,
                         double relayCpuSeconds) {
    }

    private PlainRelay() {
    }

    /**
     * Runs the load: {@code nodes} connections, {@code perSecond} messages a second in total (or
     * {@link Double#MAX_VALUE} for as fast as {@code window} messages in flight allow) of {@code size} octets, for
     * {@code warmupSeconds} unmeasured and then {@code seconds} measured.
     */
    public static Result run(int nodes, double perSecond, int size, int window, int warmupSeconds, int seconds,
                             int loops) throws IOException {
        if (nodes < 2 || size < HEADER || loops < 1) {
            throw new IllegalArgumentException("nodes >= 2, size >= " + HEADER + " and loops >= 1 are required");
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os
                && os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() < 2L * nodes + 64) {
            // checked first: running out half-way leaves even closing the sockets without a descriptor
            throw new IOException(nodes + " nodes need " + (2L * nodes + 64) + " file descriptors (two sockets each);"
                    + " this process may open " + os.getMaxFileDescriptorCount() + " (ulimit -n), "
                    + os.getOpenFileDescriptorCount() + " are open");
        }
        List<Thread> relays = new ArrayList<>();
        List<Selector> selectors = new ArrayList<>();
        SocketChannel[] clients = new SocketChannel[nodes];
        SocketChannel[] served = new SocketChannel[nodes];
        try (ServerSocketChannel server = ServerSocketChannel.open();
             Selector generator = Selector.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), nodes);
            for (int i = 0; i < nodes; i++) {
                clients[i] = SocketChannel.open(server.getLocalAddress());
                served[i] = server.accept();
                for (SocketChannel ch : new SocketChannel[] {clients[i], served[i]}) {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.configureBlocking(false);
                }
                clients[i].register(generator, SelectionKey.OP_READ, i);
            }
            for (int l = 0; l < loops; l++) {
                Selector s = Selector.open();
                selectors.add(s);
                for (int i = l; i < nodes; i += loops) {
                    served[i].register(s, SelectionKey.OP_READ, i);
                }
                Thread t = new Thread(() -> relay(s, served), "bsc-plain-relay-" + l);
                t.setDaemon(true);
                relays.add(t);
                t.start();
            }
            return generate(generator, clients, perSecond, size, window, warmupSeconds, seconds, relays);
        } finally {
            for (Selector s : selectors) {
                s.close(); // ends its relay thread
            }
            for (int i = 0; i < nodes; i++) {
                closeQuietly(clients[i]);
                closeQuietly(served[i]);
            }
        }
    }

    /** One relay thread: bytes read from connection i are written to connection i + 1, until the selector closes. */
    private static void relay(Selector selector, SocketChannel[] served) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    int i = (Integer) key.attachment();
                    buffer.clear();
                    if (served[i].read(buffer) < 0) {
                        key.cancel();
                        continue;
                    }
                    buffer.flip();
                    // only connection i writes to i + 1, and only from this thread: no lock
                    writeFully(served[(i + 1) % served.length], buffer);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // the run is over
        }
    }

    private static Result generate(Selector selector, SocketChannel[] clients, double perSecond, int size,
                                   int window, int warmupSeconds, int seconds, List<Thread> relays)
            throws IOException {
        int nodes = clients.length;
        ByteBuffer[] partial = new ByteBuffer[nodes];
        for (int i = 0; i < nodes; i++) {
            partial[i] = ByteBuffer.allocate(64 * 1024 + size);
        }
        ByteBuffer message = ByteBuffer.allocate(size);
        Histogram latency = new Histogram(3);
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        long sentTotal = 0;
        long receivedTotal = 0;
        long sentMeasured = 0;
        long[] delivered = new long[1];
        long cpuStart = -1;
        long relayCpuStart = 0;
        int sender = 0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (cpuStart < 0 && now >= measureFrom) {
                cpuStart = cpuNanos();
                relayCpuStart = threadCpuNanos(relays);
            }
            double due = perSecond == Double.MAX_VALUE ? Double.MAX_VALUE : perSecond * (now - start) / 1e9;
            int batch = 0;
            while (sentTotal < due && sentTotal - receivedTotal < window && batch++ < 256) {
                message.clear();
                long sentAt = System.nanoTime();
                message.putLong(sentTotal).putLong(sentAt).position(size).flip();
                writeFully(clients[sender], message);
                sender = (sender + 1) % nodes;
                sentTotal++;
                if (sentAt >= measureFrom) {
                    sentMeasured++;
                }
            }
            receivedTotal += receive(selector, clients, partial, size, batch > 0 ? 0 : 1, measureFrom, latency,
                    delivered);
        }
        double sendSeconds = (System.nanoTime() - measureFrom) / 1e9;
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (receivedTotal < sentTotal && System.nanoTime() < drainUntil) {
            receivedTotal += receive(selector, clients, partial, size, 10, measureFrom, latency, delivered);
        }
        double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
        double relayCpuSeconds = (threadCpuNanos(relays) - relayCpuStart) / 1e9;
        return new Result(sentMeasured, delivered[0], sendSeconds, latency, cpuSeconds, relayCpuSeconds);
    }

    /** Reads what arrived; returns the messages received, those sent from {@code measureFrom} on recorded. */
    private static long receive(Selector selector, SocketChannel[] clients, ByteBuffer[] partial, int size,
                                long millis, long measureFrom, Histogram latency, long[] delivered)
            throws IOException {
        int ready = millis <= 0 ? selector.selectNow() : selector.select(millis);
        if (ready == 0) {
            return 0;
        }
        long received = 0;
        for (SelectionKey key : selector.selectedKeys()) {
            int i = (Integer) key.attachment();
            ByteBuffer b = partial[i];
            if (clients[i].read(b) < 0) {
                throw new IOException("the relay closed connection " + i);
            }
            long now = System.nanoTime();
            b.flip();
            while (b.remaining() >= size) {
                int at = b.position();
                long sentAt = b.getLong(at + 8);
                b.position(at + size);
                received++;
                if (sentAt >= measureFrom) {
                    delivered[0]++;
                    latency.recordValue(Math.max(0, (now - sentAt) / 1000));
                }
            }
            b.compact();
        }
        selector.selectedKeys().clear();
        return received;
    }

    private static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
        long since = 0;
        while (bytes.hasRemaining()) {
            if (channel.write(bytes) == 0) {
                long now = System.nanoTime();
                if (since == 0) {
                    since = now;
                } else if (now - since > STALL_NANOS) {
                    throw new IOException("a relay socket took nothing for 10 s");
                }
                Thread.onSpinWait();
            } else {
                since = 0;
            }
        }
    }

    /** This process's CPU time (all threads, user + system) in nanoseconds, or 0 where the JVM cannot tell. */
    public static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static long threadCpuNanos(List<Thread> threads) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : threads) {
            sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
        }
        return sum;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
