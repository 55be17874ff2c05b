package org.bacnetsc.examples.cli;

import com.typesafe.config.Config;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.BacnetClient;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.Link;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.device.service.WhoIs;
import org.bacnetsc.node.ReceivedNpdu;
import org.bacnetsc.node.ScNode;
import picocli.CommandLine.Option;

/**
 * The options of the tools that reach devices through a hub ({@code bsc whois}, {@code read}, {@code rpm},
 * {@code file get}), a picocli mixin beside {@link ServiceConfig}, and the session they open: an SC node connected
 * to the hub with a BACnet client device on it.
 */
public final class HubClient {

    /**
     * The tools' own Device instance while they run (they answer Who-Is like any device, and announce nothing).
     */
    public static final int TOOL_INSTANCE = 4194302;

    @Option(names = "--hub", paramLabel = "URI", description = "the hub (the SC side)")
    URI hub;

    @Option(names = "--pki-node", defaultValue = "1", description = "which node certificate of --pki to use")
    int pkiNode;

    @Option(names = "--timeout", defaultValue = "3", paramLabel = "SECONDS",
            description = "seconds to wait for answers to Who-Is (default 3)")
    int timeout;

    /** The hub of {@code --hub}, or null. */
    public URI hub() {
        return hub;
    }

    /** {@code --timeout}. */
    public Duration timeout() {
        return Duration.ofSeconds(Math.max(1, timeout));
    }

    /**
     * Starts an actor system, a node connected to {@code --hub} and a client device on it.
     *
     * @param service the configuration and certificate flags
     * @param name    the tool's name, for the actor system and the device's Object_Name
     * @throws ToolFailure when the node does not connect within {@code --timeout} (at least 10 s)
     */
    public Session open(ServiceConfig service, String name) throws Exception {
        Config c = service.load();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-" + name.replace(' ', '-'), c);
        try {
            Path state = Files.createTempDirectory("bsc-" + name.replace(' ', '-'));
            ScNode.Builder b = ScNode.builder().config(c).primaryHub(hub).stateDir(state);
            if (service.pki() != null) {
                b = b.devPki(service.pki(), pkiNode);
            }
            ScNode node = b.start(system);
            if (!WhoisCommand.awaitConnected(node, Duration.ofSeconds(Math.max(10, timeout)))) {
                node.stop().toCompletableFuture().get(15, TimeUnit.SECONDS);
                throw new ToolFailure("could not connect to " + hub);
            }
            return new Session(system, node, clientDevice(system, node, DeviceInfo.of(TOOL_INSTANCE, "bsc " + name)));
        } catch (Exception | Error e) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * A session from the BACnet/IP side: a foreign device registered with the BBMD at {@code bbmd}, bound to
     * {@code bip}, with the client device on it (devices on the SC network are then reached through the router).
     *
     * @throws ToolFailure when the BBMD does not accept the registration
     */
    public Session openForeign(ServiceConfig service, String name, org.bacnetsc.bip.BipAddress bbmd,
                               org.bacnetsc.bip.BipAddress bip) throws Exception {
        Config c = service.load();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-" + name.replace(' ', '-'), c);
        try {
            org.bacnetsc.bip.ForeignDevice fd = org.bacnetsc.bip.ForeignDevice.register(bip.socketAddress(), bbmd,
                    60, Duration.ofSeconds(Math.max(3, timeout)));
            BacnetDevice device = BacnetDevice.start(system, new ObjectDatabase(DeviceInfo.of(TOOL_INSTANCE,
                    "bsc " + name)), fd, () -> { });
            fd.onNpdu(device::onNpdu);
            return new Session(system, null, device, fd);
        } catch (java.io.IOException e) {
            system.terminate();
            throw new ToolFailure(e.getMessage());
        } catch (Exception | Error e) {
            system.terminate();
            throw e;
        }
    }

    private static final AtomicInteger NAMES = new AtomicInteger();

    /**
     * A device on {@code node} that only the tools use: the Device object and nothing else, no I-Am at start (an
     * application that is a device for others uses {@link org.bacnetsc.device.ScDevice}).
     */
    public static BacnetDevice clientDevice(ActorSystem<?> system, ScNode node, DeviceInfo info) {
        BacnetDevice device = BacnetDevice.start(system, new ObjectDatabase(info), Link.of(node), () -> { });
        node.subscribe(system.systemActorOf(Behaviors.<ReceivedNpdu>receiveMessage(r -> {
            device.onNpdu(ByteString.fromArrayUnsafe(r.source().toBytes()), r.npdu(), r.broadcast());
            return Behaviors.same();
        }), "bsc-client-npdus-" + NAMES.incrementAndGet(), Props.empty()));
        return device;
    }

    /**
     * The device with Device instance {@code instance}: a Who-Is for that instance alone, sent again after 0.25 s,
     * 0.5 s, 1 s, ... until it answers or {@code within} is over. A device on another network (behind a router)
     * comes with its remote address.
     */
    public static Optional<BacnetClient.Found> find(BacnetClient client, int instance, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        long round = 250;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return Optional.empty();
            }
            long wait = Math.min(round, left);
            List<BacnetClient.Found> found = client.whoIs(new WhoIs((long) instance, (long) instance),
                    Duration.ofMillis(wait)).toCompletableFuture().get(wait + 10_000, TimeUnit.MILLISECONDS);
            Optional<BacnetClient.Found> it = found.stream().filter(f -> f.instance() == instance).findFirst();
            if (it.isPresent()) {
                return it;
            }
            round *= 2;
        }
    }

    /**
     * A tool's connection: its actor system, node and client device; closing stops them.
     *
     * @param system the actor system
     * @param node   the node connected to the hub
     * @param device the client device
     */
    public record Session(ActorSystem<Void> system, ScNode node, BacnetDevice device, AutoCloseable link)
            implements AutoCloseable {

        /** Through a hub. */
        public Session(ActorSystem<Void> system, ScNode node, BacnetDevice device) {
            this(system, node, device, null);
        }

        /** The client. */
        public BacnetClient client() {
            return device.client();
        }

        @Override
        public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
            try {
                device.stop();
                if (node != null) {
                    node.stop().toCompletableFuture().get(15, TimeUnit.SECONDS);
                }
                if (link != null) {
                    link.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // closing a UDP socket: nothing left to do
                Thread.currentThread().interrupt();
            } finally {
                system.terminate();
                try {
                    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** A tool could not do what it was asked: the message goes to stderr and the tool exits with 1. */
    public static final class ToolFailure extends Exception {
        /** With the message for stderr. */
        public ToolFailure(String message) {
            super(message, null, false, false);
        }
    }
}
