package org.bacnetsc.node;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.transport.DevPki;

/** Real hubs on 127.0.0.1 for the node tests. */
final class Hubs {

    private Hubs() {
    }

    /** A hub with the development PKI's hub certificate on {@code port} (0 = any free port). */
    static ScHub start(ActorTestKit kit, DevPki pki, int port) throws Exception {
        return ScHub.builder().bind("127.0.0.1", port).devPki(pki.dir()).start(kit.system())
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
