package org.bacnetsc.examples.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.node.DirectConnectSettings;
import org.bacnetsc.node.ScNode;

/** The direct-connection example of docs/embedding.md, compiled with the build so that it stays correct. */
public final class MyDirectNode {
    private MyDirectNode() {
    }

    /** Accepts direct connections, connects directly to the VMAC given as the first argument and sends to it. */
    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "gateway");
        ScNode node = ScNode.builder()
                .primaryHub(URI.create("wss://127.0.0.1:4443/hub"))
                .devPki(Path.of("pki"), 1)
                .directConnect(DirectConnectSettings.disabled().initiating(true).accepting("127.0.0.1", 0))
                .start(system);
        Vmac peer = Vmac.parse(args[0]);
        List<URI> uris = node.resolve(peer).toCompletableFuture().get();   // Address-Resolution via the hub
        System.out.println(peer + " accepts direct connections at " + uris);
        if (!uris.isEmpty()) {
            node.connectDirect(peer).toCompletableFuture().get();           // from now on unicasts go direct
        }
        node.send(peer, ByteString.fromArray(new byte[] {1, 0, 0x10, 0x08})).toCompletableFuture().get();
        System.out.println(node.status().toCompletableFuture().get().direct().connections());
        node.stop().toCompletableFuture().get();
        system.terminate();
    }
}
