package org.bacnetsc.router;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.node.NodeStatus;
import org.bacnetsc.node.ReceivedNpdu;
import org.bacnetsc.node.ScNode;

/** What the router needs of its BACnet/SC port: an {@link ScNode} ({@link #of}), or a stand-in in tests. */
public interface ScPort {

    /** Sends an NPDU to a VMAC. */
    CompletionStage<Done> send(Vmac destination, ByteString npdu);

    /** Broadcasts an NPDU on the SC network. */
    CompletionStage<Done> broadcast(ByteString npdu);

    /** Every NPDU received from now on goes to {@code subscriber}. */
    void subscribe(ActorRef<ReceivedNpdu> subscriber);

    /** Every status change (hub connection, VMAC) goes to {@code subscriber}. */
    void subscribeStatus(ActorRef<NodeStatus> subscriber);

    /** An SC node as the port. */
    static ScPort of(ScNode node) {
        return new ScPort() {
            @Override
            public CompletionStage<Done> send(Vmac destination, ByteString npdu) {
                return node.send(destination, npdu);
            }

            @Override
            public CompletionStage<Done> broadcast(ByteString npdu) {
                return node.broadcast(npdu);
            }

            @Override
            public void subscribe(ActorRef<ReceivedNpdu> subscriber) {
                node.subscribe(subscriber);
            }

            @Override
            public void subscribeStatus(ActorRef<NodeStatus> subscriber) {
                node.subscribeStatus(subscriber);
            }
        };
    }
}
