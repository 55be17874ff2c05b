package org.bacnetsc.examples.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.bacnetsc.node.ScNode;
import picocli.CommandLine.Option;

/** The configuration options shared by the service commands: a config file plus flags that override it. */
final class ServiceConfig {

    @Option(names = "--config", paramLabel = "FILE",
            description = "service configuration (default: ./application.conf when it exists)")
    Path config;

    @Option(names = "--cert", paramLabel = "PEM", description = "our operational certificate")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "its private key")
    Path key;

    @Option(names = "--issuer", paramLabel = "PEM", description = "a trusted issuer certificate (repeatable)")
    List<Path> issuers;

    @Option(names = "--pki", paramLabel = "DIR",
            description = "use (and create when missing) the development PKI in DIR; not for production")
    Path pki;

    /**
     * The effective configuration: flags over system properties over the file over the services' Pekko tuning
     * ({@code bsc-service.conf}) over the defaults.
     */
    Config load() {
        Config base = ConfigFactory.systemProperties().withFallback(ConfigFactory.parseResources("bsc-service.conf"))
                .withFallback(ConfigFactory.load());
        Path file = config != null ? config : Path.of("application.conf");
        if (config != null && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--config: no such file '" + config + "'");
        }
        Config c = Files.isRegularFile(file) ? ConfigFactory.systemProperties()
                .withFallback(ConfigFactory.parseFile(file.toFile())).withFallback(base) : base;
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("--cert and --key go together");
            }
            c = c.withValue("bacnet-sc.tls.certificate-file", ConfigValueFactory.fromAnyRef(cert.toString()))
                    .withValue("bacnet-sc.tls.private-key-file", ConfigValueFactory.fromAnyRef(key.toString()));
        }
        if (issuers != null && !issuers.isEmpty()) {
            c = c.withValue("bacnet-sc.tls.issuer-certificate-files", ConfigValueFactory.fromIterable(
                    issuers.stream().map(Path::toString).collect(Collectors.toList())));
        }
        return c.resolve();
    }

    /**
     * SIGHUP: look at the TLS certificate, key and issuer files now (they are also looked at before new handshakes
     * when they changed); the outcome is logged by {@link org.bacnetsc.transport.TlsReloader}.
     */
    static void reloadTlsOnHangup() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
                int changed = org.bacnetsc.transport.TlsReloader.reloadAll();
                org.slf4j.LoggerFactory.getLogger(ServiceConfig.class).info(
                        "SIGHUP: TLS files looked at, {} renewed", changed);
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGHUP on this platform: the files are still looked at before new handshakes
        }
    }

    /**
     * Starts the SC node of a service ({@code bsc node}, the SC port of {@code bsc router}) from {@code c}, with the
     * flags given on the command line (each may be null) taking precedence.
     */
    ScNode startNode(ActorSystem<?> system, Config c, java.net.URI hub, java.net.URI failover, int pkiNode,
                     Path stateDir) {
        ScNode.Builder b = ScNode.builder().config(c);
        if (hub != null) {
            b = b.primaryHub(hub);
        }
        if (failover != null) {
            b = b.failoverHub(failover);
        }
        if (pki != null) {
            b = b.devPki(pki, pkiNode);
        }
        if (stateDir != null) {
            b = b.stateDir(stateDir);
        }
        return b.start(system);
    }
}
