package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.bip.Bvll;
import org.bacnetsc.bip.BvllCodec;
import org.bacnetsc.bip.BvllDecodeResult;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.network.NetworkMessage;
import org.bacnetsc.network.Npdu;
import org.bacnetsc.network.NpduCodec;
import org.bacnetsc.router.Router;
import org.bacnetsc.transport.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RouterCommandTest {

    static final ActorTestKit KIT = ActorTestKit.create("router-command");

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void twoPortsWithTheSameNetworkNumberFailAtStartNamingTheKeys() {
        StringWriter err = new StringWriter();
        CommandLine cli = Bsc.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("router", "--bip", "127.0.0.1:0", "--bip-network", "5", "--sc-network", "5",
                "--pki", dir.toString()));
        assertTrue(err.toString().contains("bacnet-sc.router.bip-network and sc-network are both 5"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("router", "--bip", "localhost:x", "--pki", dir.toString()));
        assertTrue(err.toString().contains("bacnet-sc.router.bip-bind = \"localhost:x\""), err.toString());
    }

    @Test
    void theRouterFromFlagsAnnouncesTheScNetworkOnTheBacnetIpSide() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        try (DatagramSocket bipSide = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            bipSide.setSoTimeout(15_000);
            RouterCommand command = new RouterCommand();
            new CommandLine(command).parseArgs("--bip", "127.0.0.1:0", "--bip-network", "11", "--bip-broadcast",
                    "127.0.0.1:" + bipSide.getLocalPort(), "--hub", hub.uri().toString(), "--sc-network", "22",
                    "--pki", pki.dir().toString(), "--pki-node", "2", "--state-dir", dir.resolve("s").toString());
            RouterCommand.Running running = command.start();
            try {
                DatagramPacket p = new DatagramPacket(new byte[1600], 1600);
                bipSide.receive(p);
                Bvll first = assertInstanceOf(BvllDecodeResult.Decoded.class, BvllCodec.decode(ByteString.fromArray(
                        Arrays.copyOf(p.getData(), p.getLength())))).bvll();
                assertEquals(new Bvll.OriginalBroadcast(NpduCodec.encode(Npdu.local(
                        new NetworkMessage.IAmRouterToNetwork(List.of(22))))), first);
                TestProbe<Router.Status> status = TestProbe.create(running.system());
                running.router().ref().tell(new Router.GetStatus(status.ref()));
                Router.Status s = status.receiveMessage(Duration.ofSeconds(10));
                assertTrue(s.up());
                assertEquals(List.of(11), s.routes().get(Router.BIP_PORT));
                assertEquals(List.of(22), s.routes().get(Router.SC_PORT));
            } finally {
                running.system().terminate();
                running.system().getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
        } finally {
            hub.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }
}
