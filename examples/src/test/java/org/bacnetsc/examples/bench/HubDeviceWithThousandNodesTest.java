package org.bacnetsc.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.device.Address;
import org.bacnetsc.device.BacnetClient;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.service.WhoIs;
import org.bacnetsc.hub.HubDevice;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub device with 1,000 connected nodes (real TLS 1.3 WebSockets from {@link NioNodes}): its
 * SC_Hub_Function_Connection_Status is far longer than one APDU, so it goes in segments, and our client reassembles
 * exactly the connections the hub's status lists.
 */
class HubDeviceWithThousandNodesTest {

    static final int NODES = 1000;
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ActorTestKit KIT = ActorTestKit.create("hub-device-thousand");

    @TempDir
    static Path dir;
    static ScHub hub;
    static NioNodes io;
    static Thread poller;
    static final AtomicBoolean polling = new AtomicBoolean(true);
    static ScNode clientNode;
    static BacnetDevice client;

    @BeforeAll
    static void start() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        hub = get(ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir())
                .device(new HubDevice.Settings(100, "Busy hub", "")).start(KIT.system()));
        List<Vmac> vmacs = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            vmacs.add(Vmac.of(new byte[] {0x12, 0x34, 0, 0, (byte) (i >> 8), (byte) i}));
        }
        io = new NioNodes(List.of(hub.uri()), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1), vmacs,
                new BenchTracker(NODES), new NioNodes.Heartbeats(Duration.ofSeconds(300), Duration.ofSeconds(30),
                        NioNodes.HeartbeatRule.SEND_OR_RECEIVE));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int opened = 0;
        while (io.connected() + io.failed() < NODES && System.nanoTime() < giveUp) {
            while (opened < NODES && opened - io.connected() - io.failed() < 64) {
                io.open(opened++);
            }
            io.poll(5);
        }
        assertEquals(NODES, io.connected(), "connected, errors: " + io.firstErrors());
        poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    io.poll(10);
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }, "nio-nodes-poller");
        poller.setDaemon(true);
        poller.start();
        clientNode = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 2).stateDir(dir.resolve("client"))
                .start(KIT.system());
        client = get(ScDevice.start(KIT.system(), clientNode, DeviceInfo.of(202, "Client")));
    }

    @AfterAll
    static void stop() throws Exception {
        polling.set(false);
        poller.join(5000);
        io.close();
        clientNode.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void theConnectionListOfAThousandNodesIsSentInSegmentsAndEqualsTheHubsStatus() throws Exception {
        Address hubDevice = null;
        for (int attempt = 0; attempt < 5 && hubDevice == null; attempt++) {
            List<BacnetClient.Found> found = get(client.client().whoIs(new WhoIs(100L, 100L),
                    Duration.ofSeconds(1)));
            hubDevice = found.isEmpty() ? null : found.get(0).address();
        }
        assertTrue(hubDevice != null, "the hub device answers Who-Is");
        long segmentedBefore = get(hub.device().orElseThrow().device().status()).counters().segmentedResponses();
        ByteString value = get(client.client().readProperty(hubDevice,
                new Value.ObjectId(56, ScDevice.PORT_INSTANCE),
                PropertyIdentifier.SC_HUB_FUNCTION_CONNECTION_STATUS.code(), null)).value();
        List<ScTypes.HubFunctionConnection> entries = ((Tags.Ok<List<ScTypes.HubFunctionConnection>>)
                ScTypes.decodeList(ScTypes.HUB_FUNCTION_CONNECTION, value)).value();
        Set<ByteString> listed = entries.stream().filter(e -> e.state() == 1)
                .map(ScTypes.HubFunctionConnection::peerVmac).collect(Collectors.toSet());
        Set<ByteString> fromStatus = get(hub.status()).connections().stream()
                .filter(c -> c.state() == ScConnectionState.CONNECTED)
                .map(c -> ByteString.fromArrayUnsafe(c.vmac().toBytes())).collect(Collectors.toSet());
        assertTrue(listed.size() >= NODES + 2, "1,000 nodes, the client and the hub device's own node: "
                + listed.size());
        assertEquals(fromStatus, listed);
        assertTrue(value.size() > 50_000, "far more than one APDU: " + value.size() + " octets");
        assertEquals(segmentedBefore + 1,
                get(hub.device().orElseThrow().device().status()).counters().segmentedResponses());
    }
}
