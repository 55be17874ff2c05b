package org.bacnetsc.examples.embedded;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.hub.HubStatus;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.transport.TlsSettings;
import org.bacnetsc.transport.TlsIdentity;
import java.nio.file.Path;
import java.util.List;

/** The hub embedding example of docs/embedding.md, compiled with the build so that it stays correct. */
public final class MyHub {
    private MyHub() {
    }

    /** Starts a hub, prints its status, stops. */
    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "building");
        TlsSettings tls = TlsSettings.pem(new TlsIdentity(Path.of("hub.pem"), Path.of("hub-key.pem")),
                List.of(Path.of("ca.pem")));
        ScHub hub = ScHub.builder()              // defaults from the system's config, bacnet-sc.hub
                .bind("127.0.0.1", 4443)
                .tls(tls)                        // or .devPki(Path.of("pki")) while developing
                .start(system).toCompletableFuture().get();
        System.out.println("hub at " + hub.uri());
        HubStatus status = hub.status().toCompletableFuture().get();
        System.out.println(status.connections().size() + " nodes connected");
        hub.stop().toCompletableFuture().get();   // Disconnect-Request to every node, then unbind
        system.terminate();                       // CoordinatedShutdown would also stop the hub
    }
}
