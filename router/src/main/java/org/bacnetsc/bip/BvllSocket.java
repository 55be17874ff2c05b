package org.bacnetsc.bip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.pekko.util.ByteString;

/**
 * A blocking UDP socket carrying BVLL messages for the small B/IP clients ({@link ForeignDevice}, {@link BipLink}):
 * a daemon thread decodes each datagram and hands the message to the handler with its UDP source; undecodable
 * datagrams are dropped.
 */
final class BvllSocket implements AutoCloseable {

    private final DatagramSocket socket;
    private final BipAddress self;
    private final BiConsumer<BipAddress, Bvll> handler;

    /** Binds {@code bind} (IPv4; port 0 picks one); received messages go to {@code handler} on its own thread. */
    BvllSocket(InetSocketAddress bind, String name, BiConsumer<BipAddress, Bvll> handler) throws IOException {
        this.socket = new DatagramSocket(bind);
        this.handler = handler;
        this.self = BipAddress.of((InetSocketAddress) socket.getLocalSocketAddress());
        Thread receiver = new Thread(this::receive, name + "-" + self);
        receiver.setDaemon(true);
        receiver.start();
    }

    /** The socket's own B/IP address. */
    BipAddress address() {
        return self;
    }

    /** Sends {@code m} to {@code to}; completes at once, failed when the socket could not send. */
    CompletionStage<?> send(BipAddress to, Bvll m) {
        byte[] b = BvllCodec.encode(m).toArray();
        try {
            socket.send(new DatagramPacket(b, b.length, to.socketAddress()));
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    private void receive() {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return; // closed
            }
            BipAddress from = BipAddress.of((InetSocketAddress) p.getSocketAddress());
            if (BvllCodec.decode(ByteString.fromArray(buffer, 0, p.getLength()))
                    instanceof BvllDecodeResult.Decoded d) {
                try {
                    handler.accept(from, d.bvll());
                } catch (RuntimeException e) {
                    // the handler's failure must not stop the receiver: the datagram is lost, the next one comes
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
