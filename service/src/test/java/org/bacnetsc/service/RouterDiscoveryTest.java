package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.bacnetsc.bip.BipAddress;
import org.bacnetsc.bip.ForeignDevice;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.router.Router;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * End to end over real UDP and real mutual TLS 1.3 on 127.0.0.1: a BACnet/IP device registered as a foreign device of
 * the router's BBMD, the router ({@code bsc router}), our hub and an SC device. {@code bsc whois} on each side finds
 * the other side's devices with their network numbers and reads their object-names through the router.
 */
class RouterDiscoveryTest {

    static final ActorTestKit KIT = ActorTestKit.create("router-discovery-test");

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static DeviceInfo info(int instance, String name, int vendorId) {
        DeviceInfo d = DeviceInfo.of(instance, name);
        return new DeviceInfo(instance, name, "ACME", vendorId, "test", d.firmwareRevision(), d.softwareVersion(), "",
                "", d.apduTimeoutMillis(), d.apduRetries(), d.segmentTimeoutMillis(), d.maxSegmentsAccepted(), null,
                "");
    }

    private static String whois(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Bsc.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "whois";
        System.arraycopy(args, 0, all, 1, args.length);
        assertEquals(0, cli.execute(all), out + " / " + err);
        return out.toString();
    }

    @Test
    void whoisOnEachSideFindsTheOtherSidesDevicesWithTheirNetworkAndReadsTheirNames() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(3);
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        ScNode scDevice = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 1).stateDir(dir.resolve("sc"))
                .start(KIT.system());
        ScDevice.start(KIT.system(), scDevice, info(2001, "sc-device", 42)).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        RouterCommand command = new RouterCommand();
        new CommandLine(command).parseArgs("--bip", "127.0.0.1:0", "--bip-network", "1", "--bip-broadcast",
                "127.0.0.1:9", "--bbmd", "--hub", hub.uri().toString(), "--sc-network", "2", "--pki",
                pki.dir().toString(), "--pki-node", "2", "--state-dir", dir.resolve("r").toString(), "--instance",
                "3001", "--name", "router-3001");
        RouterCommand.Running running = command.start();
        ForeignDevice bipDevice = null;
        try {
            Router.Status up = KIT.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
                Router.Status st = running.router().status().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertTrue(st.up(), "router up: " + st);
                return st;
            });
            BipAddress routerBip = up.bipAddress();
            String scVmac = scDevice.status().toCompletableFuture().get(5, TimeUnit.SECONDS).vmac().toString();
            String routerVmac = up.scVmac().toString();

            // the BACnet/IP device: a foreign device of the router's BBMD answering Who-Is and ReadProperty
            bipDevice = ForeignDevice.register(new InetSocketAddress("127.0.0.1", 0), routerBip, 60,
                    Duration.ofSeconds(10));
            bipDevice.onNpdu(BacnetDevice.start(KIT.system(), new ObjectDatabase(info(1234, "BIP Server", 260)),
                    bipDevice, () -> { })::onNpdu);
            String bipMac = bipDevice.address().toString();

            // the SC side: the B/IP device on network 1 with its B/IP address, the router's and the SC device local
            String sc = whois("--hub", hub.uri().toString(), "--pki", pki.dir().toString(), "--pki-node", "3",
                    "--timeout", "2");
            assertTrue(sc.contains("1234 net 1 " + bipMac + " vendor 260 \"BIP Server\""), sc);
            assertTrue(sc.contains("2001 " + scVmac + " vendor 42 sc-device"), sc);
            assertTrue(sc.contains("3001 " + routerVmac + " vendor 999 router-3001"), sc);
            assertTrue(sc.contains("3 device(s)"), sc);

            // the BACnet/IP side, as a foreign device: the SC device and the router's own device on network 2
            String bip = whois("--bbmd", routerBip.toString(), "--bip", "127.0.0.1:0", "--timeout", "2");
            assertTrue(bip.contains("2001 net 2 " + scVmac + " vendor 42 \"sc-device\""), bip);
            assertTrue(bip.contains("3001 net 2 " + routerVmac + " vendor 999 \"router-3001\""), bip);
            assertTrue(bip.contains("1234 " + bipMac + " vendor 260 BIP Server"), bip);
            assertTrue(bip.contains("3 device(s)"), bip);

            // network layer messages from the foreign device: Who-Is-Router-To-Network gets I-Am-Router-To-Network {2}
            // (as a broadcast, forwarded to the foreign devices), a network nobody routes to gets Reject reason 1
            java.util.concurrent.LinkedBlockingQueue<org.bacnetsc.network.Npdu> heard =
                    new java.util.concurrent.LinkedBlockingQueue<>();
            bipDevice.onNpdu((mac, npdu) -> {
                if (org.bacnetsc.network.NpduCodec.decode(npdu)
                        instanceof org.bacnetsc.network.NpduDecodeResult.Decoded d && d.npdu().isNetworkMessage()) {
                    heard.add(d.npdu());
                }
            });
            bipDevice.send(routerBip.mac(), org.bacnetsc.network.NpduCodec.encode(org.bacnetsc.network.Npdu.local(
                    new org.bacnetsc.network.NetworkMessage.WhoIsRouterToNetwork(null))));
            assertEquals(new org.bacnetsc.network.NetworkMessage.IAmRouterToNetwork(java.util.List.of(2)),
                    heard.poll(10, TimeUnit.SECONDS).message());
            bipDevice.send(routerBip.mac(), org.bacnetsc.network.NpduCodec.encode(org.bacnetsc.network.Npdu.local(
                    org.bacnetsc.device.codec.ApduCodec.encode(new org.bacnetsc.device.codec.Apdu.UnconfirmedRequest(
                            8, org.bacnetsc.device.service.WhoIs.all().encode())), false).withDestination(77,
                    org.apache.pekko.util.ByteString.fromArray(new byte[] {1, 2, 3, 4, 5, 6}), 255)));
            assertEquals(new org.bacnetsc.network.NetworkMessage.RejectMessageToNetwork(
                    org.bacnetsc.network.RejectReason.NOT_ROUTER_TO_DNET, 77),
                    heard.poll(15, TimeUnit.SECONDS).message());

            // the operations endpoint: routing table, the FDT with the B/IP device, counters
            var binding = org.bacnetsc.router.RouterOperations.bind(running.system(), running.router(),
                    "127.0.0.1", 0).toCompletableFuture().get(20, TimeUnit.SECONDS);
            URI base = URI.create("http://" + WsServer.authority(binding.localAddress()));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            JsonNode status = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(base.resolve("/status"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(2, status.get("routingTable").size(), status.toString());
            assertEquals(1, status.get("routingTable").get(0).get("network").asInt());
            assertEquals("bip", status.get("routingTable").get(0).get("port").asText());
            assertEquals(bipMac, status.get("bip").get("fdt").get(0).get("address").asText(), status.toString());
            assertTrue(status.get("sent").get("sc").asLong() >= 4, status.toString());
            assertTrue(status.get("toApplication").asLong() >= 2, "Who-Is and ReadProperty for the router's device");
            String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("bacnet_sc_router_up 1.0"), metrics);
            assertTrue(metrics.contains("bacnet_sc_router_foreign_devices 1.0"), metrics);
            assertTrue(metrics.contains("bacnet_sc_router_npdus_sent_total{port=\"sc\"}"), metrics);
            assertTrue(metrics.contains("bacnet_sc_node_hub_connector_state 1.0"), metrics);
            assertEquals("router", status.get("kind").asText());
            // the one status page renders a router too: its ports, routing table and foreign devices
            try (org.htmlunit.WebClient browser = new org.htmlunit.WebClient()) {
                browser.getOptions().setThrowExceptionOnScriptError(true);
                org.htmlunit.html.HtmlPage page = browser.getPage(base.resolve("/").toString());
                KIT.createTestProbe()
                        .awaitAssert(java.time.Duration.ofSeconds(15), () -> {
                            browser.waitForBackgroundJavaScript(500);
                            assertEquals("BACnet/SC router", page.getTitleText());
                            String routes = page.getElementById("routes").asNormalizedText();
                            assertTrue(routes.contains("1\tbip") && routes.contains("2\tsc"), routes);
                            assertTrue(page.getElementById("fdt").asNormalizedText().contains(bipMac),
                                    page.getElementById("fdt").asNormalizedText());
                            return null;
                        });
            }
        } finally {
            if (bipDevice != null) {
                bipDevice.close();
            }
            running.system().terminate();
            running.system().getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
            scDevice.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
            hub.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }
}
