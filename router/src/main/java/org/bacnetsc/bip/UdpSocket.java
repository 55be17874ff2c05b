package org.bacnetsc.bip;

import java.net.InetSocketAddress;
import java.util.List;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Udp;
import org.apache.pekko.io.UdpMessage;
import org.apache.pekko.io.UdpSO;
import org.apache.pekko.util.ByteString;

/**
 * Pekko IO's UDP for a {@link BipPort}: binds with SO_BROADCAST, hands each datagram to the port and sends what the
 * port asks. Pekko IO speaks to classic actors only, hence this small classic actor; the port's protocol is typed.
 */
final class UdpSocket extends AbstractActor {

    /** Send {@code data} to {@code target}. */
    record Send(ByteString data, InetSocketAddress target) {
    }

    private final org.apache.pekko.actor.typed.ActorRef<BipPort.Command> port;
    private final InetSocketAddress bind;
    private ActorRef socket;

    private UdpSocket(org.apache.pekko.actor.typed.ActorRef<BipPort.Command> port, InetSocketAddress bind) {
        this.port = port;
        this.bind = bind;
    }

    static Props props(org.apache.pekko.actor.typed.ActorRef<BipPort.Command> port, InetSocketAddress bind) {
        return Props.create(UdpSocket.class, () -> new UdpSocket(port, bind));
    }

    @Override
    public void preStart() {
        List<Inet.SocketOption> options = List.of(UdpSO.broadcast(true), UdpSO.reuseAddress(true));
        Udp.get(getContext().getSystem()).getManager().tell(UdpMessage.bind(getSelf(), bind, options), getSelf());
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(Udp.Bound.class, b -> {
                    socket = getSender();
                    port.tell(new BipPort.Bound((InetSocketAddress) b.localAddress()));
                })
                .match(Udp.CommandFailed.class, f -> port.tell(new BipPort.BindFailed(String.valueOf(f.cmd()))))
                .match(Udp.Received.class, r -> port.tell(new BipPort.Datagram(r.data(), r.sender())))
                .match(Send.class, s -> {
                    if (socket != null) {
                        socket.tell(UdpMessage.send(s.data(), s.target()), getSelf());
                    }
                })
                .match(Udp.Unbound.class, u -> getContext().stop(getSelf()))
                .build();
    }

    @Override
    public void postStop() {
        if (socket != null) {
            socket.tell(UdpMessage.unbind(), ActorRef.noSender());
        }
    }
}
