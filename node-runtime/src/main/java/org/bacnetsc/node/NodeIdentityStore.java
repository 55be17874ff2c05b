package org.bacnetsc.node;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Properties;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.LocalIdentity;

/**
 * Keeps a node's Device UUID and VMAC across restarts in {@code node-identity.properties} under the state directory
 * (digest §8: the UUID never changes; the VMAC stays stable unless a hub reports it as a duplicate). Configured values
 * win over stored ones.
 */
public final class NodeIdentityStore {

    private static final String FILE = "node-identity.properties";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;

    private NodeIdentityStore(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    /** The store in {@code stateDir}. */
    public static NodeIdentityStore in(Path stateDir) {
        return new NodeIdentityStore(stateDir);
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /**
     * The identity to use: configured values, else stored ones, else a new Random-48 VMAC and random UUID; the result
     * is stored.
     */
    public LocalIdentity resolve(Vmac configuredVmac, DeviceUuid configuredUuid) {
        Properties stored = load();
        Vmac vmac = configuredVmac != null ? configuredVmac
                : stored.containsKey("vmac") ? Vmac.parse(stored.getProperty("vmac")) : Vmac.random48(RANDOM);
        DeviceUuid uuid = configuredUuid != null ? configuredUuid
                : stored.containsKey("device-uuid") ? DeviceUuid.parse(stored.getProperty("device-uuid"))
                : DeviceUuid.random();
        LocalIdentity identity = new LocalIdentity(vmac, uuid);
        save(identity);
        return identity;
    }

    /** A new Random-48 VMAC for the same device (after NODE_DUPLICATE_VMAC), stored. */
    public LocalIdentity newVmac(LocalIdentity current) {
        Vmac next;
        do {
            next = Vmac.random48(RANDOM);
        } while (next.equals(current.vmac()));
        LocalIdentity identity = new LocalIdentity(next, current.deviceUuid());
        save(identity);
        return identity;
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    private void save(LocalIdentity identity) {
        Properties p = new Properties();
        p.setProperty("vmac", identity.vmac().toString());
        p.setProperty("device-uuid", identity.deviceUuid().toString());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "BACnet/SC node identity: the Device UUID never changes");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
