package org.bacnetsc.service;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.apache.pekko.actor.typed.ActorSystem;
import org.bacnetsc.node.ScNode;

/** What the service commands share at start: SIGHUP for the TLS files, the SC node of a service, the operations endpoint. */
final class ServiceStart {

    private ServiceStart() {
    }

    /**
     * SIGHUP: look at the TLS certificate, key and issuer files now (they are also looked at before new handshakes
     * when they changed); the outcome is logged by {@link org.bacnetsc.transport.TlsReloader}.
     */
    static void reloadTlsOnHangup() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
                int changed = org.bacnetsc.transport.TlsReloader.reloadAll();
                org.slf4j.LoggerFactory.getLogger(ServiceStart.class).info(
                        "SIGHUP: TLS files looked at, {} renewed", changed);
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGHUP on this platform: the files are still looked at before new handshakes
        }
    }

    /**
     * Binds the operations endpoint of {@code source} at {@code flag} ("HOST:PORT", the value of {@code --management})
     * and prints where.
     *
     * @throws IllegalArgumentException naming the flag and its value when it is malformed or cannot be bound
     */
    static void bindManagement(ActorSystem<?> system, org.bacnetsc.operations.OperationsEndpoint.Source source,
                               String flag, java.io.PrintWriter out) throws Exception {
        org.bacnetsc.operations.OperationsSettings ms = org.bacnetsc.operations.OperationsSettings.parse(
                org.bacnetsc.operations.OperationsSettings.BIND, flag);
        java.net.InetSocketAddress bound = org.bacnetsc.operations.OperationsEndpoint.bindOrFail(system, source, ms,
                "--management");
        out.println("management on http://" + org.bacnetsc.transport.WsServer.authority(bound)
                + "/ (health/live, health/ready, status, metrics)");
    }

    /**
     * Starts the SC node of a service ({@code bsc node}, the SC port of {@code bsc router}) from {@code c}, with the
     * flags given on the command line (each may be null) taking precedence.
     */
    static ScNode startNode(org.bacnetsc.examples.cli.ServiceConfig service, ActorSystem<?> system, Config c,
                            java.net.URI hub, java.net.URI failover, int pkiNode,
                     Path stateDir) {
        ScNode.Builder b = ScNode.builder().config(c);
        if (hub != null) {
            b = b.primaryHub(hub);
        }
        if (failover != null) {
            b = b.failoverHub(failover);
        }
        if (service.pki() != null) {
            b = b.devPki(service.pki(), pkiNode);
        }
        if (stateDir != null) {
            b = b.stateDir(stateDir);
        }
        return b.start(system);
    }
}
