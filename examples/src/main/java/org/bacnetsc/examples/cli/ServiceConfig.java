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

/**
 * The configuration options shared by the {@code bsc} commands (the services and the tools): a config file plus flags
 * that override it. A picocli mixin.
 */
public final class ServiceConfig {

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
    public Config load() {
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

    /** The development PKI's directory of {@code --pki}, or null. */
    public Path pki() {
        return pki;
    }
}
