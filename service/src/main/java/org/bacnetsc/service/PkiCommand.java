package org.bacnetsc.service;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bacnetsc.transport.DevPki;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bsc pki}: the development PKI. */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Keys and certificates: a development PKI (init, never for production), a key and a "
            + "certificate signing request for a real CA (csr), and what a certificate says (show).",
        subcommands = {PkiCommand.Init.class, PkiCommand.Csr.class, PkiCommand.Show.class})
final class PkiCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code bsc pki init DIR [--nodes N]}. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Write a development CA and EC P-256 operational certificates for a hub and N nodes "
                + "(SAN localhost and 127.0.0.1, EKU clientAuth and serverAuth) as PEM files.",
                "Existing files are kept; missing ones are added."})
    static final class Init implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "where to write the PEM files")
        Path dir;

        @Option(names = "--nodes", defaultValue = "2", description = "node certificates to create (default 2)")
        int nodes;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (nodes < 0 || nodes > 100_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be 0-100000, got "
                        + nodes);
            }
            PrintWriter out = spec.commandLine().getOut();
            DevPki pki = DevPki.at(dir);
            List<Path> written = pki.ensure(nodes);
            out.println(written.isEmpty() ? "development PKI in " + dir + " is complete; nothing written"
                    : "wrote " + written.size() + " files to " + dir + ":");
            written.forEach(p -> out.println("  " + p.getFileName()));
            out.println("trust anchor: " + pki.caCertificate());
            out.flush();
            return 0;
        }
    }

    /** {@code bsc pki csr --key-out K --csr-out C --subject DN [--san ...]}. */
    @Command(name = "csr", mixinStandardHelpOptions = true,
            description = {"Make a new EC P-256 key (PKCS#8 PEM, readable by its owner only) and a PKCS#10 "
                + "certificate signing request for it, asking for what Annex AB operational certificates carry: "
                + "key usage digitalSignature, extended key usage clientAuth and serverAuth, and the given subject "
                + "alternative names. Send the request to your CA; configure the certificate it returns with the "
                + "key (bacnet-sc.tls.certificate-file, private-key-file)."})
    static final class Csr implements Callable<Integer> {
        @Option(names = "--key-out", required = true, paramLabel = "FILE", description = "where to write the key")
        Path keyOut;

        @Option(names = "--csr-out", required = true, paramLabel = "FILE", description = "where to write the request")
        Path csrOut;

        @Option(names = "--subject", required = true, paramLabel = "DN", description = "e.g. \"CN=hub-1,O=Acme\"")
        String subject;

        @Option(names = "--san", paramLabel = "NAME", description = "a subject alternative name (repeatable): "
                + "DNS:hub.example.com, IP:10.0.0.5 or URI:...")
        List<String> sans = new java.util.ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            try {
                CertificateTools.writeCsr(subject, sans, keyOut, csrOut);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote the key to " + keyOut + " and the request to " + csrOut + ":");
            CertificateTools.show(csrOut, null, out);
            out.flush();
            return 0;
        }
    }

    /** {@code bsc pki show FILE [--issuer CA]}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Print what a certificate (each one of a PEM chain) or a certificate request says: "
                + "subject, issuer, serial, key, SAN, EKU, validity with the days left, and with --issuer whether it "
                + "chains to that issuer. Exit 1 when it does not chain or is not valid now."})
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "a PEM certificate, chain or request")
        Path file;

        @Option(names = "--issuer", paramLabel = "CA", description = "an issuer certificate to check the chain "
                + "against")
        Path issuer;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            PrintWriter out = spec.commandLine().getOut();
            try {
                CertificateTools.show(file, issuer, out);
            } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), String.valueOf(e.getMessage()), e);
            }
            out.flush();
            if (java.nio.file.Files.readString(file).contains("CERTIFICATE REQUEST")) {
                return 0;
            }
            java.security.cert.X509Certificate first = CertificateTools.certificates(file).get(0);
            boolean valid = true;
            try {
                first.checkValidity();
            } catch (java.security.cert.CertificateException e) {
                valid = false;
            }
            boolean chains = issuer == null
                    || CertificateTools.chainsTo(first, CertificateTools.certificates(issuer)).startsWith("yes");
            return valid && chains ? 0 : 1;
        }
    }
}
