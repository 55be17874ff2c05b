package org.bacnetsc.router;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.bip.BipAddress;
import org.bacnetsc.bip.Bvll;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.Link;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.BacnetObject;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ObjectType;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.object.PropertyValue;
import org.bacnetsc.network.Npdu;
import org.bacnetsc.network.NpduCodec;
import org.bacnetsc.network.NpduDecodeResult;

/**
 * A router's own BACnet device (digest §4, §12): the device of its SC port ({@link ScDevice}: Device object, SC
 * Network Port {@value ScDevice#PORT_INSTANCE}, certificate File objects), which answers on the SC network, plus a
 * Network Port object for the BACnet/IP port (instance {@value #BIP_PORT_INSTANCE}) in the same object database, and
 * a second application entity on that database answering what reaches the router's own address from the B/IP side
 * (through {@link Router.AttachApplication}; its answers leave through {@link Router.FromApplication}, routed as if
 * its SC port had sent them, so B/IP devices see the device at the router's VMAC on the SC network).
 * <pre>{@code
 * ScRouter router = ScRouter.builder()...start(system);
 * RouterDevice.start(system, router, DeviceInfo.of(1000, "router-1")).thenAccept(d -> ...);
 * }</pre>
 * The B/IP side's entity stops with the router actor.
 */
public final class RouterDevice {

    /** The BACnet/IP Network Port's instance. */
    public static final int BIP_PORT_INSTANCE = 2;
    /** Network_Type ipv4. */
    public static final int NETWORK_TYPE_IPV4 = 5;
    /** BACnet_IP_Mode (BACnetIPMode) normal, foreign, bbmd. */
    public static final int IP_MODE_NORMAL = 0;
    /** BACnet_IP_Mode foreign. */
    public static final int IP_MODE_FOREIGN = 1;
    /** BACnet_IP_Mode bbmd. */
    public static final int IP_MODE_BBMD = 2;

    private static final AtomicInteger NAMES = new AtomicInteger();

    private RouterDevice() {
    }

    /**
     * Starts the router's device.
     *
     * @return the device answering on the SC port (its {@link BacnetDevice#objects()} are shared with the B/IP side's
     *         entity), once the SC node's first status is known
     */
    public static CompletionStage<BacnetDevice> start(ActorSystem<?> system, ScRouter router, DeviceInfo info) {
        return ScDevice.start(system, router.scPort(), info, null, router.settings().scNetwork()).thenApply(device -> {
            device.objects().add(bipPort(router));
            BacnetDevice bipSide = BacnetDevice.start(system, device.objects(), link(router),
                    router.scPort()::restartPort);
            ActorRef<Router.ForApplication> app = system.systemActorOf(Behaviors.<Router.ForApplication>setup(ctx -> {
                ctx.watch(router.ref());
                return Behaviors.receive(Router.ForApplication.class)
                        .onMessage(Router.ForApplication.class, m -> {
                            // the router does not say whether it came as a broadcast (its DNET is gone)
                            bipSide.onNpdu(ByteString.emptyByteString(), m.npdu(), false);
                            return Behaviors.same();
                        })
                        .onSignal(Terminated.class, t -> {
                            bipSide.stop();
                            return Behaviors.stopped();
                        })
                        .build();
            }), "router-device-" + info.instance() + "-" + NAMES.incrementAndGet(), Props.empty());
            router.ref().tell(new Router.AttachApplication(app));
            // the hub does not echo the SC side's I-Am to the router's own node: announce on B/IP too
            bipSide.announce();
            return device;
        });
    }

    /**
     * The B/IP side entity's link: everything goes to the router as {@link Router.FromApplication}. Its answers carry
     * a DNET already; a global broadcast is routed to B/IP; a local broadcast becomes a broadcast on the B/IP network
     * (DNET = its number, no DADR), the SC network's being the SC device's.
     */
    static Link link(ScRouter router) {
        ActorRef<Router.Command> ref = router.ref();
        return new Link() {
            @Override
            public CompletionStage<?> send(ByteString mac, ByteString npdu) {
                ref.tell(new Router.FromApplication(npdu));
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<?> broadcast(ByteString npdu) {
                if (NpduCodec.decode(npdu) instanceof NpduDecodeResult.Decoded d && !d.npdu().hasDestination()) {
                    npdu = NpduCodec.encode(d.npdu().withDestination(router.settings().bipNetwork(),
                            ByteString.emptyByteString(), Npdu.INITIAL_HOP_COUNT));
                }
                return send(ByteString.emptyByteString(), npdu);
            }
        };
    }

    /** What the B/IP port's object shows, as of the last refresh. */
    private record BipState(BipAddress address, long subnetMask, List<Bvll.FdtEntry> fdt) {
    }

    /**
     * The BACnet/IP port's Network Port object (Clause 12.56; digest §12): configured values from the router's
     * settings, the address and the Foreign Device Table live from its status (refreshed before each request).
     */
    static BacnetObject bipPort(ScRouter router) {
        Router.Settings settings = router.settings();
        boolean bbmd = settings.bbmd() != null;
        BipAddress configured = BipAddress.of(settings.bipBind());
        AtomicReference<BipState> state = new AtomicReference<>(new BipState(configured,
                subnetMask(configured, settings.bipBroadcast()), List.of()));
        BacnetObject.Builder b = BacnetObject.builder(ObjectType.NETWORK_PORT, BIP_PORT_INSTANCE, "BACnet/IP port")
                .refresh(() -> router.status().thenAccept(s -> {
                    BipAddress a = s.bipAddress() != null ? s.bipAddress() : configured;
                    BipState before = state.get();
                    long mask = a.equals(before.address()) ? before.subnetMask() : subnetMask(a,
                            settings.bipBroadcast());
                    state.set(new BipState(a, mask, s.bip() == null ? before.fdt() : s.bip().fdt()));
                }))
                .required(PropertyIdentifier.STATUS_FLAGS, PropertyValue.of(new Value.BitString(
                        List.of(false, false, false, false))))
                .required(PropertyIdentifier.RELIABILITY, PropertyValue.enumerated(0))
                .required(PropertyIdentifier.OUT_OF_SERVICE, PropertyValue.bool(false))
                .required(PropertyIdentifier.NETWORK_TYPE, PropertyValue.enumerated(NETWORK_TYPE_IPV4))
                .required(PropertyIdentifier.PROTOCOL_LEVEL, PropertyValue.enumerated(2)) // bacnet-application
                .required(PropertyIdentifier.NETWORK_NUMBER, PropertyValue.unsigned(settings.bipNetwork()))
                .required(PropertyIdentifier.NETWORK_NUMBER_QUALITY, PropertyValue.enumerated(3)) // configured
                .required(PropertyIdentifier.CHANGES_PENDING, PropertyValue.bool(false))
                .required(PropertyIdentifier.MAC_ADDRESS, () -> PropertyValue.of(new Value.OctetString(
                        state.get().address().mac())))
                .required(PropertyIdentifier.APDU_LENGTH, PropertyValue.unsigned(1476))
                .required(PropertyIdentifier.LINK_SPEED, PropertyValue.of(new Value.Real(0f)))
                // conditionally required in 12.56 (Network_Type ipv4), so REQUIRED here; bac-py's table lists them
                // optional for the type as a whole [verify]
                .required(PropertyIdentifier.BACNET_IP_MODE, PropertyValue.enumerated(bbmd ? IP_MODE_BBMD
                        : IP_MODE_NORMAL))
                .required(PropertyIdentifier.IP_ADDRESS, () -> PropertyValue.of(new Value.OctetString(
                        state.get().address().mac().take(4))))
                .required(PropertyIdentifier.IP_SUBNET_MASK, () -> PropertyValue.of(new Value.OctetString(
                        ipv4(state.get().subnetMask()))))
                .required(PropertyIdentifier.BACNET_IP_UDP_PORT, () -> PropertyValue.unsigned(
                        state.get().address().port()));
        if (bbmd) {
            // conditionally required in 12.56 (BACnet_IP_Mode bbmd), so REQUIRED here [verify]
            List<Bvll.BdtEntry> bdt = settings.bbmd().bdt();
            b.required(PropertyIdentifier.BBMD_ACCEPT_FD_REGISTRATIONS,
                            PropertyValue.bool(settings.bbmd().maxForeignDevices() > 0))
                    .required(PropertyIdentifier.BBMD_BROADCAST_DISTRIBUTION_TABLE, PropertyValue.encoded(bdt(bdt)))
                    .required(PropertyIdentifier.BBMD_FOREIGN_DEVICE_TABLE, () -> PropertyValue.encoded(
                            fdt(state.get().fdt())));
        }
        return b.build();
    }

    /**
     * BACnetLIST of BACnetBDTEntry: {@code [0]} BACnetHostNPort bbmd-address (host {@code [1]} ip-address, 4 octets;
     * {@code [1]} port), {@code [1]} OctetString broadcast-mask (optional in the ASN.1; always written, as
     * bacnet-stack's bvlc.c writes and requires it) [verify].
     */
    static ByteString bdt(List<Bvll.BdtEntry> entries) {
        ByteStringBuilder b = ByteString.newBuilder();
        for (Bvll.BdtEntry e : entries) {
            ScTypes.writeHostNPort(b, 0, new ScTypes.HostNPort(e.address().mac().take(4), null, e.address().port()));
            Tags.writeContext(b, 1, new Value.OctetString(ipv4(e.mask())));
        }
        return b.result();
    }

    /**
     * BACnetLIST of BACnetFDTEntry: {@code [0]} OctetString bacnetip-address (6 octets), {@code [1]} Unsigned16
     * time-to-live, {@code [2]} Unsigned16 remaining-time-to-live (as bacnet-stack's bvlc.c encodes it) [verify].
     */
    static ByteString fdt(List<Bvll.FdtEntry> entries) {
        ByteStringBuilder b = ByteString.newBuilder();
        for (Bvll.FdtEntry e : entries) {
            Tags.writeContext(b, 0, new Value.OctetString(e.address().mac()));
            Tags.writeContext(b, 1, new Value.Unsigned(e.timeToLive()));
            Tags.writeContext(b, 2, new Value.Unsigned(e.secondsRemaining()));
        }
        return b.result();
    }

    private static ByteString ipv4(long v) {
        return ByteString.fromArray(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
    }

    /**
     * The subnet mask of the interface holding {@code self}'s address; else the longest mask under which
     * {@code broadcast} is {@code self}'s directed broadcast; else 255.255.255.0 [best].
     */
    static long subnetMask(BipAddress self, BipAddress broadcast) {
        try {
            InetAddress ip = self.socketAddress().getAddress();
            NetworkInterface nif = NetworkInterface.getByInetAddress(ip);
            if (nif != null) {
                for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                    if (a.getAddress() instanceof Inet4Address && a.getAddress().equals(ip)) {
                        return mask(a.getNetworkPrefixLength());
                    }
                }
            }
        } catch (SocketException e) {
            // fall back on the broadcast address
        }
        for (int prefix = 31; prefix >= 1; prefix--) {
            if (((self.ip() | ~mask(prefix)) & 0xFFFF_FFFFL) == broadcast.ip()) {
                return mask(prefix);
            }
        }
        return 0xFFFF_FF00L;
    }

    private static long mask(int prefix) {
        return prefix <= 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }
}
