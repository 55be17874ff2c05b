package org.bacnetsc.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.bip.BipAddress;
import org.bacnetsc.bip.BipLink;
import org.bacnetsc.bip.Bvll;
import org.bacnetsc.bip.ForeignDevice;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.device.Address;
import org.bacnetsc.device.BacnetClient;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.TagTree;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.device.object.ObjectType;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.service.ReadPropertyMultiple;
import org.bacnetsc.device.service.ReadPropertyMultipleAck;
import org.bacnetsc.device.service.WhoIs;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's own device and an SC node's device seen from BACnet/IP, over real UDP, a real hub and real mutual TLS
 * 1.3 on 127.0.0.1: the router (B/IP network 1 as a BBMD, SC network 2) with {@link RouterDevice} (instance 1000), an
 * SC node that is a device ({@link ScDevice}, instance 2001), a B/IP tool on a {@link BipLink} (instance 9001, its
 * broadcasts sent to the router's port) and a B/IP tool on a {@link ForeignDevice} registered with the router's BBMD
 * (instance 9002).
 */
class RouterDeviceTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final Duration WHO_IS = Duration.ofSeconds(2);
    static final ActorTestKit KIT = ActorTestKit.create("router-device");
    static final int BIP_NETWORK = 1;
    static final int SC_NETWORK = 2;
    static final Value.ObjectId SC_PORT = new Value.ObjectId(ObjectType.NETWORK_PORT.code(), ScDevice.PORT_INSTANCE);
    static final Value.ObjectId BIP_PORT = new Value.ObjectId(ObjectType.NETWORK_PORT.code(),
            RouterDevice.BIP_PORT_INSTANCE);

    @TempDir
    static Path dir;
    static ScHub hub;
    static ScNode node;
    static ScNode scPort;
    static ScRouter router;
    static BacnetDevice nodeDevice;
    static BacnetDevice routerDevice;
    static DatagramSocket sink;
    static BipLink link;
    static BacnetDevice tool;
    static ForeignDevice foreign;
    static BacnetDevice foreignTool;
    static BipAddress routerBip;
    static ByteString routerVmac;
    static ByteString nodeVmac;

    @BeforeAll
    static void start() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        hub = get(ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).start(KIT.system()));
        node = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 1).stateDir(dir.resolve("node"))
                .start(KIT.system());
        scPort = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 2).stateDir(dir.resolve("router"))
                .start(KIT.system());
        // the router's own B/IP broadcasts go to a sink (loopback has no broadcast; the tools need none of them)
        sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        router = ScRouter.builder().bip("127.0.0.1:0").bipNetwork(BIP_NETWORK).scNetwork(SC_NETWORK).bbmd(true)
                .bipBroadcast(BipAddress.of((InetSocketAddress) sink.getLocalSocketAddress()).toString())
                .scPort(scPort).start(KIT.system());
        nodeDevice = get(ScDevice.start(KIT.system(), node, DeviceInfo.of(2001, "SC node")));
        routerDevice = get(RouterDevice.start(KIT.system(), router, DeviceInfo.of(1000, "Router")));
        TestProbe<Object> probe = KIT.createTestProbe();
        probe.awaitAssert(WAIT, () -> {
            Router.Status s = get(router.status());
            assertTrue(s.up() && s.sc() != null && s.sc().connected() && get(node.status()).connected(),
                    "router up, both SC nodes connected");
            return null;
        });
        Router.Status s = get(router.status());
        routerBip = s.bipAddress();
        routerVmac = ByteString.fromArrayUnsafe(s.scVmac().toBytes());
        nodeVmac = ByteString.fromArrayUnsafe(get(node.status()).vmac().toBytes());

        // a plain B/IP node whose broadcasts go to the router's port ...
        link = BipLink.open(routerBip);
        tool = BacnetDevice.start(KIT.system(), new ObjectDatabase(DeviceInfo.of(9001, "B/IP tool")), link,
                () -> { });
        link.onNpdu(tool::onNpdu);
        // ... and a foreign device registered with the router's BBMD
        foreign = ForeignDevice.register(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routerBip, 60,
                WAIT);
        foreignTool = BacnetDevice.start(KIT.system(), new ObjectDatabase(DeviceInfo.of(9002, "Foreign tool")),
                foreign, () -> { });
        foreign.onNpdu(foreignTool::onNpdu);
    }

    @AfterAll
    static void stop() throws Exception {
        if (foreign != null) {
            foreign.close();
        }
        if (link != null) {
            link.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (router != null) {
            get(router.stop());
        }
        for (ScNode n : new ScNode[] {scPort, node}) {
            if (n != null) {
                get(n.stop());
            }
        }
        if (hub != null) {
            get(hub.stop());
        }
        KIT.shutdownTestKit();
    }

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static Value app(ByteString encoded) {
        return (Value) assertInstanceOf(Tags.Ok.class, Tags.readApplication(encoded, 0)).value();
    }

    static Map<Integer, BacnetClient.Found> whoIs(BacnetDevice from) throws Exception {
        return get(from.client().whoIs(WhoIs.all(), WHO_IS)).stream()
                .collect(Collectors.toMap(BacnetClient.Found::instance, f -> f));
    }

    static Address nodeAddress() {
        return Address.remote(routerBip.mac(), SC_NETWORK, nodeVmac);
    }

    static Address routerDeviceAddress() {
        return Address.remote(routerBip.mac(), SC_NETWORK, routerVmac);
    }

    static ByteString read(Address to, Value.ObjectId object, PropertyIdentifier p) throws Exception {
        return get(tool.client().readProperty(to, object, p.code(), null)).value();
    }

    /** Every element of an RPM ALL of one object: no error, and each value a well-formed tag tree. */
    static Map<Long, ByteString> readAll(BacnetDevice from, Address to, Value.ObjectId object) throws Exception {
        ReadPropertyMultipleAck ack = get(from.client().readPropertyMultiple(to, new ReadPropertyMultiple(List.of(
                new ReadPropertyMultiple.ReadAccessSpec(object, List.of(new ReadPropertyMultiple.PropertyReference(
                        PropertyIdentifier.ALL.code(), null)))))));
        assertEquals(1, ack.results().size());
        assertEquals(object, ack.results().get(0).object());
        Map<Long, ByteString> values = new java.util.LinkedHashMap<>();
        for (ReadPropertyMultipleAck.ResultElement e : ack.results().get(0).results()) {
            String name = PropertyIdentifier.nameOf(e.property());
            assertNull(e.error(), name);
            assertNotNull(e.value(), name);
            assertInstanceOf(Tags.Ok.class, TagTree.decode(e.value()), name + " decodes: " + Hex.format(e.value()));
            values.put(e.property(), e.value());
        }
        return values;
    }

    @Test
    void whoIsFromABacnetIpNodeFindsTheScNodesDeviceAndTheRoutersDeviceOnTheScNetworkBehindTheRouter()
            throws Exception {
        Map<Integer, BacnetClient.Found> found = whoIs(tool);
        assertNotNull(found.get(2001), "the SC node's device: " + found.keySet());
        assertEquals(nodeAddress(), found.get(2001).address(), "network 2, its VMAC, through the router's B/IP MAC");
        assertNotNull(found.get(1000), "the router's device: " + found.keySet());
        assertEquals(routerDeviceAddress(), found.get(1000).address(),
                "the router's device is on the SC network at the router's VMAC");
        assertEquals(new Value.ObjectId(ObjectType.DEVICE.code(), 1000), found.get(1000).iAm().device());
    }

    @Test
    void aForeignDeviceRegisteredWithTheRoutersBbmdFindsBothDevicesThroughDistributeBroadcastToNetwork()
            throws Exception {
        Map<Integer, BacnetClient.Found> found = whoIs(foreignTool);
        assertEquals(nodeAddress(), found.get(2001).address(), found.keySet().toString());
        assertEquals(routerDeviceAddress(), found.get(1000).address(), found.keySet().toString());
        assertEquals(new Value.Enumerated(1), app(get(foreignTool.client().readProperty(nodeAddress(), SC_PORT,
                PropertyIdentifier.SC_HUB_CONNECTOR_STATE.code(), null)).value()));
    }

    @Test
    void readPropertyThroughTheRouterGivesTheScNodesHubConnectorStateAndItsVmac() throws Exception {
        assertEquals(new Value.Enumerated(1), app(read(nodeAddress(), SC_PORT,
                PropertyIdentifier.SC_HUB_CONNECTOR_STATE)), "connected to the primary hub");
        assertEquals(new Value.OctetString(nodeVmac), app(read(nodeAddress(), SC_PORT,
                PropertyIdentifier.MAC_ADDRESS)));
        assertEquals(new Value.Enumerated(11), app(read(nodeAddress(), SC_PORT, PropertyIdentifier.NETWORK_TYPE)));
    }

    @Test
    void readPropertyMultipleAllOfTheScNodesNetworkPortThroughTheRouterAnswersEveryPropertyWellFormed()
            throws Exception {
        Map<Long, ByteString> all = readAll(tool, nodeAddress(), SC_PORT);
        long listed = ((Value.Unsigned) app(get(tool.client().readProperty(nodeAddress(), SC_PORT,
                PropertyIdentifier.PROPERTY_LIST.code(), 0L)).value())).value();
        assertEquals(listed + 3, all.size(), "ALL: Property_List's properties and the three it omits");
        assertEquals(new Value.Enumerated(1), app(all.get(PropertyIdentifier.SC_HUB_CONNECTOR_STATE.code())));
        ScTypes.HubConnection primary = (ScTypes.HubConnection) assertInstanceOf(Tags.Ok.class,
                ScTypes.decodeHubConnection(all.get(PropertyIdentifier.SC_PRIMARY_HUB_CONNECTION_STATUS.code())))
                .value();
        assertEquals(1, primary.state(), "the primary hub connection is connected");
    }

    @Test
    void theRoutersDeviceHasABacnetIpNetworkPortWithTheRoutersAddressNetworkNumberAndBbmdMode() throws Exception {
        Map<Long, ByteString> all = readAll(tool, routerDeviceAddress(), BIP_PORT);
        assertEquals(new Value.Enumerated(RouterDevice.NETWORK_TYPE_IPV4),
                app(all.get(PropertyIdentifier.NETWORK_TYPE.code())));
        assertEquals(new Value.Unsigned(routerBip.port()), app(all.get(PropertyIdentifier.BACNET_IP_UDP_PORT.code())));
        assertEquals(new Value.OctetString(Hex.parse("7F000001")), app(all.get(PropertyIdentifier.IP_ADDRESS.code())));
        assertEquals(new Value.OctetString(routerBip.mac()), app(all.get(PropertyIdentifier.MAC_ADDRESS.code())));
        assertEquals(new Value.Unsigned(BIP_NETWORK), app(all.get(PropertyIdentifier.NETWORK_NUMBER.code())));
        assertEquals(new Value.Enumerated(3), app(all.get(PropertyIdentifier.NETWORK_NUMBER_QUALITY.code())),
                "configured");
        assertEquals(new Value.Enumerated(2), app(all.get(PropertyIdentifier.PROTOCOL_LEVEL.code())));
        assertEquals(new Value.Enumerated(RouterDevice.IP_MODE_BBMD),
                app(all.get(PropertyIdentifier.BACNET_IP_MODE.code())));
        assertEquals(new Value.Unsigned(1476), app(all.get(PropertyIdentifier.APDU_LENGTH.code())));
        assertEquals(new Value.Bool(true), app(all.get(PropertyIdentifier.BBMD_ACCEPT_FD_REGISTRATIONS.code())));
        assertEquals(ByteString.emptyByteString(),
                all.get(PropertyIdentifier.BBMD_BROADCAST_DISTRIBUTION_TABLE.code()), "no peers configured");
        ByteString mask = ((Value.OctetString) app(all.get(PropertyIdentifier.IP_SUBNET_MASK.code()))).value();
        assertEquals(4, mask.size());
        assertEquals(new Value.CharacterString(0, ByteString.fromString("BACnet/IP port")),
                app(all.get(PropertyIdentifier.OBJECT_NAME.code())));
    }

    @Test
    void theBbmdForeignDeviceTableOfTheRoutersBipPortListsTheRegisteredForeignDeviceLive() throws Exception {
        ByteString fdt = read(routerDeviceAddress(), BIP_PORT, PropertyIdentifier.BBMD_FOREIGN_DEVICE_TABLE);
        List<?> nodes = (List<?>) assertInstanceOf(Tags.Ok.class, TagTree.decode(fdt)).value();
        assertEquals(3, nodes.size(), "one BACnetFDTEntry: " + Hex.format(fdt));
        assertEquals(new TagTree.Context(0, foreign.address().mac()), nodes.get(0), "bacnetip-address");
        assertEquals(new TagTree.Context(1, ByteString.fromArray(new byte[] {60})), nodes.get(1), "time-to-live");
        TagTree.Context remaining = assertInstanceOf(TagTree.Context.class, nodes.get(2));
        assertEquals(2, remaining.tag());
        long seconds = remaining.content().size() == 1 ? remaining.content().apply(0) & 0xFF
                : (remaining.content().apply(0) & 0xFF) << 8 | remaining.content().apply(1) & 0xFF;
        assertTrue(seconds > 60 && seconds <= 60 + 30, "TTL plus the 30 s grace, counting down: " + seconds);
    }

    @Test
    void theRoutersDeviceAnswersOnTheScNetworkFromTheSameObjectsAsOnTheBacnetIpSide() throws Exception {
        Address direct = Address.of(org.bacnetsc.codec.Vmac.of(routerVmac.toArray()));
        assertEquals(new Value.Enumerated(RouterDevice.NETWORK_TYPE_IPV4), app(get(nodeDevice.client().readProperty(
                direct, BIP_PORT, PropertyIdentifier.NETWORK_TYPE.code(), null)).value()));
        assertEquals(new Value.Unsigned(7), app(get(nodeDevice.client().readProperty(direct,
                new Value.ObjectId(ObjectType.DEVICE.code(), 1000), PropertyIdentifier.OBJECT_LIST.code(), 0L))
                .value()), "Device, the SC port, four files and the B/IP port");
        Value.ObjectId scPort = new Value.ObjectId(ObjectType.NETWORK_PORT.code(), 1);
        assertEquals(new Value.Unsigned(SC_NETWORK), app(get(nodeDevice.client().readProperty(direct, scPort,
                PropertyIdentifier.NETWORK_NUMBER.code(), null)).value()), "the router knows its SC network's number");
        assertEquals(new Value.Enumerated(3), app(get(nodeDevice.client().readProperty(direct, scPort,
                PropertyIdentifier.NETWORK_NUMBER_QUALITY.code(), null)).value()), "configured");
    }

    @Test
    void bdtAndFdtEntriesAreEncodedAsBacnetBdtEntryAndBacnetFdtEntry() {
        BipAddress peer = BipAddress.parse("192.168.1.10:47808");
        assertEquals(Hex.parse("0E0E1CC0A8010A0F1ABAC00F1CFFFFFFFF"),
                RouterDevice.bdt(List.of(new Bvll.BdtEntry(peer, 0xFFFF_FFFFL))),
                "[0] HostNPort{[0]{[1] ip}, [1] port}, [1] mask");
        assertEquals(Hex.parse("0D06C0A8010ABAC0193C295A"),
                RouterDevice.fdt(List.of(new Bvll.FdtEntry(peer, 60, 90))), "[0] 6-octet address, [1] TTL, [2] left");
    }

    @Test
    void theSubnetMaskIsTheInterfacesOrElseTheOneTheBroadcastAddressImplies() {
        assertEquals(0xFF00_0000L, RouterDevice.subnetMask(BipAddress.parse("127.0.0.1:47808"),
                BipAddress.parse("127.0.0.1:47808")), "loopback is a /8");
        assertEquals(0xFFFF_FF00L, RouterDevice.subnetMask(BipAddress.parse("192.0.2.77:47808"),
                BipAddress.parse("192.0.2.255:47808")), "no such interface: from the broadcast address");
        assertEquals(0xFFFF_F000L, RouterDevice.subnetMask(BipAddress.parse("198.51.100.7:47808"),
                BipAddress.parse("198.51.111.255:47808")));
    }
}
