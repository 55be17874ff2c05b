package org.bacnetsc.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Keys, certificate signing requests and certificate descriptions for {@code bsc pki csr} and {@code bsc pki show},
 * with BouncyCastle (no hand-written ASN.1).
 */
final class CertificateTools {

    private CertificateTools() {
    }

    /**
     * Writes a new EC P-256 key (PKCS#8 PEM, owner-only where the file system allows) and a PKCS#10 request for it,
     * asking for the extensions Annex AB operational certificates carry: key usage digitalSignature, extended key
     * usage clientAuth and serverAuth, and the subject alternative names given.
     *
     * @param sans {@code DNS:name}, {@code IP:address} or {@code URI:uri}; a bare value is an IP address when it
     *             parses as one, else a DNS name
     * @return the request
     */
    static PKCS10CertificationRequest writeCsr(String subject, List<String> sans, Path keyOut, Path csrOut)
            throws IOException {
        X500Name name;
        try {
            name = new X500Name(subject);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--subject \"" + subject + "\": not a distinguished name ("
                    + e.getMessage() + ")", e);
        }
        List<GeneralName> names = new ArrayList<>();
        for (String san : sans) {
            names.add(generalName(san));
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = g.generateKeyPair();
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            ext.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
            if (!names.isEmpty()) {
                ext.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(new GeneralName[0])));
            }
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(name, keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            for (Path p : new Path[] {keyOut, csrOut}) {
                if (p.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(p.toAbsolutePath().getParent());
                }
            }
            writeKey(keyOut, keys);
            Files.writeString(csrOut, pem(csr), StandardCharsets.US_ASCII);
            return csr;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the key and request: " + e.getMessage(), e);
        }
    }

    private static void writeKey(Path file, KeyPair keys) throws IOException {
        String text = pem(new JcaPKCS8Generator(keys.getPrivate(), null));
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions apply
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    static GeneralName generalName(String san) {
        int colon = san.indexOf(':');
        String kind = colon > 0 ? san.substring(0, colon).toUpperCase(java.util.Locale.ROOT) : "";
        String value = colon > 0 ? san.substring(colon + 1) : san;
        switch (kind) {
            case "DNS":
                return new GeneralName(GeneralName.dNSName, value);
            case "IP":
                return new GeneralName(GeneralName.iPAddress, value);
            case "URI":
                return new GeneralName(GeneralName.uniformResourceIdentifier, value);
            default:
                if (colon > 0 && !value.contains(":") && !san.contains("::")) {
                    throw new IllegalArgumentException("--san \"" + san + "\": expected DNS:, IP: or URI:");
                }
                return looksLikeIp(san) ? new GeneralName(GeneralName.iPAddress, san)
                        : new GeneralName(GeneralName.dNSName, san);
        }
    }

    private static boolean looksLikeIp(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }

    /** Prints a certificate file (each certificate of it) or a certificate request. */
    static void show(Path file, Path issuer, PrintWriter out) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (text.contains("CERTIFICATE REQUEST")) {
            try (Reader r = Files.newBufferedReader(file); PEMParser p = new PEMParser(r)) {
                Object o = p.readObject();
                if (!(o instanceof PKCS10CertificationRequest csr)) {
                    throw new IllegalArgumentException(file + ": no certificate request in it");
                }
                showCsr(csr, out);
                return;
            }
        }
        List<X509Certificate> chain = certificates(file);
        List<X509Certificate> issuers = issuer == null ? List.of() : certificates(issuer);
        for (X509Certificate c : chain) {
            showCertificate(c, issuers, issuer, out);
        }
    }

    static List<X509Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            List<X509Certificate> list = new ArrayList<>();
            for (java.security.cert.Certificate c : all) {
                list.add((X509Certificate) c);
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException(file + ": no certificate in it");
            }
            return list;
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(file + ": not a certificate file (" + e.getMessage() + ")", e);
        }
    }

    private static void showCertificate(X509Certificate c, List<X509Certificate> issuers, Path issuerFile,
                                        PrintWriter out) {
        Instant now = Instant.now();
        out.println("subject:     " + c.getSubjectX500Principal().getName());
        out.println("issuer:      " + c.getIssuerX500Principal().getName());
        out.println("serial:      " + c.getSerialNumber().toString(16));
        out.println("key:         " + c.getPublicKey().getAlgorithm() + keySize(c.getPublicKey()));
        out.println("SAN:         " + sans(c));
        out.println("EKU:         " + eku(c));
        Instant to = c.getNotAfter().toInstant();
        long days = Duration.between(now, to).toDays();
        out.println("valid:       " + c.getNotBefore().toInstant() + " to " + to + " ("
                + (now.isBefore(c.getNotBefore().toInstant()) ? "NOT YET VALID"
                : now.isAfter(to) ? "EXPIRED" : days + " days left") + ")");
        if (issuerFile != null) {
            out.println("chains to " + issuerFile + ": " + chainsTo(c, issuers));
        }
        out.println();
    }

    /** "yes (CN=...)" when {@code issuers} holds the certificate's valid issuer, else "no: why". */
    static String chainsTo(X509Certificate c, List<X509Certificate> issuers) {
        String last = "no issuer certificate named " + c.getIssuerX500Principal().getName();
        for (X509Certificate i : issuers) {
            if (!i.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                continue;
            }
            try {
                c.verify(i.getPublicKey());
                i.checkValidity();
                return "yes (" + i.getSubjectX500Principal().getName() + ")";
            } catch (GeneralSecurityException e) {
                last = "the issuer " + i.getSubjectX500Principal().getName() + " did not sign it or is not valid ("
                        + e.getMessage() + ")";
            }
        }
        return "no: " + last;
    }

    private static void showCsr(PKCS10CertificationRequest csr, PrintWriter out) {
        out.println("certificate request");
        out.println("subject:     " + csr.getSubject());
        Extensions ext = csr.getRequestedExtensions();
        GeneralNames names = ext == null ? null : GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
        out.println("SAN:         " + (names == null ? "-" : describe(names.getNames())));
        ExtendedKeyUsage eku = ext == null ? null : ExtendedKeyUsage.fromExtensions(ext);
        out.println("EKU:         " + (eku == null ? "-" : ekuNames(eku.getUsages())));
        boolean ok;
        try {
            ok = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(
                    new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(csr).getPublicKey()));
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException e) {
            ok = false;
        }
        out.println("signature:   " + (ok ? "valid" : "INVALID"));
    }

    private static String keySize(java.security.PublicKey key) {
        if (key instanceof java.security.interfaces.ECPublicKey ec) {
            return " " + ec.getParams().getCurve().getField().getFieldSize() + " bits";
        }
        if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
            return " " + rsa.getModulus().bitLength() + " bits";
        }
        return "";
    }

    private static String sans(X509Certificate c) {
        try {
            Collection<List<?>> all = c.getSubjectAlternativeNames();
            if (all == null) {
                return "-";
            }
            List<String> out = new ArrayList<>();
            for (List<?> n : all) {
                int type = (Integer) n.get(0);
                out.add((type == 2 ? "DNS:" : type == 7 ? "IP:" : type == 6 ? "URI:" : type + ":") + n.get(1));
            }
            return String.join(", ", out);
        } catch (java.security.cert.CertificateParsingException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static String describe(GeneralName[] names) {
        List<String> out = new ArrayList<>();
        for (GeneralName n : names) {
            String v = n.getName().toString();
            if (n.getTagNo() == GeneralName.iPAddress) {
                try {
                    v = InetAddress.getByAddress(org.bouncycastle.asn1.DEROctetString.getInstance(n.getName())
                            .getOctets()).getHostAddress();
                } catch (IOException e) {
                    // keep the raw form
                }
            }
            out.add((n.getTagNo() == GeneralName.dNSName ? "DNS:" : n.getTagNo() == GeneralName.iPAddress ? "IP:"
                    : n.getTagNo() == GeneralName.uniformResourceIdentifier ? "URI:" : n.getTagNo() + ":") + v);
        }
        return String.join(", ", out);
    }

    private static String eku(X509Certificate c) {
        try {
            List<String> oids = c.getExtendedKeyUsage();
            if (oids == null) {
                return "-";
            }
            List<String> out = new ArrayList<>();
            for (String oid : oids) {
                out.add(oid.equals(KeyPurposeId.id_kp_clientAuth.getId()) ? "clientAuth"
                        : oid.equals(KeyPurposeId.id_kp_serverAuth.getId()) ? "serverAuth" : oid);
            }
            return String.join(", ", out);
        } catch (java.security.cert.CertificateParsingException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static String ekuNames(KeyPurposeId[] ids) {
        List<String> out = new ArrayList<>();
        for (KeyPurposeId id : ids) {
            out.add(id.equals(KeyPurposeId.id_kp_clientAuth) ? "clientAuth"
                    : id.equals(KeyPurposeId.id_kp_serverAuth) ? "serverAuth" : id.getId());
        }
        return String.join(", ", out);
    }
}
