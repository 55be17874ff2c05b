package org.bacnetsc.cluster;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.hub.Hub;

/**
 * One per cluster member, registered with the Receptionist: receives node-ready frames from the other members and
 * hands them to this member's hub actor.
 */
public final class MemberRouter {

    /** The Receptionist key of the members' routers. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "bacnet-sc-hub-router");

    /** What crosses members: raw frame bytes ({@link MemberRouterSerializer}). */
    public sealed interface Command permits Unicast, Broadcast {
    }

    /**
     * A frame for the node with VMAC {@code vmac} on the receiving member.
     *
     * @param vmac         the destination VMAC (48 bits)
     * @param frame        the frame, already rewritten for the node
     * @param sentAtMillis the sender's wall clock
     */
    public record Unicast(long vmac, byte[] frame, long sentAtMillis) implements Command {
    }

    /**
     * A broadcast for every node on the receiving member.
     *
     * @param frame        the frame, already rewritten for the nodes
     * @param sentAtMillis the sender's wall clock
     */
    public record Broadcast(byte[] frame, long sentAtMillis) implements Command {
    }

    private MemberRouter() {
    }

    /** The router of the member whose hub actor is {@code hub}. */
    public static Behavior<Command> create(ActorRef<Hub.Command> hub) {
        return Behaviors.receive(Command.class)
                .onMessage(Unicast.class, m -> forward(hub, new Hub.FromMember(new Vmac(m.vmac()),
                        ByteString.fromArrayUnsafe(m.frame()), m.sentAtMillis())))
                .onMessage(Broadcast.class, m -> forward(hub, new Hub.FromMember(null,
                        ByteString.fromArrayUnsafe(m.frame()), m.sentAtMillis())))
                .build();
    }

    private static Behavior<Command> forward(ActorRef<Hub.Command> hub, Hub.FromMember m) {
        hub.tell(m);
        return Behaviors.same();
    }
}
