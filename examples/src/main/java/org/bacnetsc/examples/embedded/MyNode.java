package org.bacnetsc.examples.embedded;

import java.net.URI;
import java.nio.file.Path;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.node.ScNode;

/** The node embedding example of docs/embedding.md, compiled with the build so that it stays correct. */
public final class MyNode {
    private MyNode() {
    }

    /** Starts a node, broadcasts a Who-Is, stops. */
    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "gateway");
        ScNode node = ScNode.builder()                       // defaults from bacnet-sc.node / bacnet-sc.tls
                .primaryHub(URI.create("wss://127.0.0.1:4443/hub"))
                .devPki(Path.of("pki"), 1)                   // or .tls(TlsSettings.pem(...)) in production
                .start(system);
        node.npdus().runForeach(n -> System.out.println(n.source() + " sent " + n.npdu()), system);
        node.subscribeStatus(system.ignoreRef());            // or an actor of yours: every state change
        node.broadcast(ByteString.fromArray(new byte[] {1, 0, 0x10, 0x08}))   // a Who-Is NPDU
                .whenComplete((done, failure) -> System.out.println(failure == null ? "sent" : failure.getMessage()));
        Thread.sleep(3000);
        node.stop().toCompletableFuture().get();             // Disconnect-Request to the hub
        system.terminate();
    }
}
