package org.bacnetsc.node;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DecodeFailure;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.SendResult;

/**
 * A BACnet/SC node (digest §1, §11, §12): its hub connector, its identity, and the node-level answers (Advertisement
 * for Advertisement-Solicitation, NAK 45 for Address-Resolution while the node switch is off). NPDUs go to its
 * subscribers.
 */
public final class Node {

    /** What the node understands. */
    public sealed interface Command permits SendNpdu, Subscribe, SubscribeStatus, GetStatus, Stop, ToSwitch,
            RestartPort, FromConnector, FromSwitch, SubscriberGone, Counted, ConnectorStatus, SwitchStatus, Stopped {
    }

    /**
     * A command for the node switch (resolve, connect or disconnect directly, accept a direct connection).
     *
     * @param command the command
     */
    public record ToSwitch(NodeSwitch.Command command) implements Command {
    }

    /**
     * Send an NPDU to a VMAC, or to {@link Vmac#BROADCAST}.
     *
     * @param destination the destination VMAC or the broadcast VMAC
     * @param npdu        the NPDU
     * @param dataOptions data options to send with it
     * @param replyTo     the outcome
     */
    public record SendNpdu(Vmac destination, ByteString npdu, List<HeaderOption> dataOptions,
                           ActorRef<SendResult> replyTo) implements Command {
    }

    /**
     * Receive every NPDU until the subscriber stops.
     *
     * @param subscriber who gets them
     */
    public record Subscribe(ActorRef<ReceivedNpdu> subscriber) implements Command {
    }

    /**
     * Receive the status each time the hub connector state or the VMAC changes.
     *
     * @param subscriber who gets it
     */
    public record SubscribeStatus(ActorRef<NodeStatus> subscriber) implements Command {
    }

    /**
     * Ask for the status.
     *
     * @param replyTo who gets it
     */
    public record GetStatus(ActorRef<NodeStatus> replyTo) implements Command {
    }

    /**
     * Disconnect from the hub gracefully and stop.
     *
     * @param replyTo told when done
     */
    public record Stop(ActorRef<Done> replyTo) implements Command {
    }

    /**
     * Drops the hub connection and every direct connection and connects again with the same identity (a BACnet
     * ReinitializeDevice WARMSTART or COLDSTART restarts the SC port).
     */
    public record RestartPort() implements Command {
    }

    private record FromConnector(HubConnector.Event event) implements Command {
    }

    private record FromSwitch(NodeSwitch.Event event) implements Command {
    }

    private record SwitchStatus(HubConnector.Status connector, NodeSwitch.Status direct,
                                ActorRef<NodeStatus> replyTo) implements Command {
    }

    private record SubscriberGone(ActorRef<?> subscriber) implements Command {
    }

    private record Counted(SendResult result, ActorRef<SendResult> replyTo) implements Command {
    }

    private record ConnectorStatus(HubConnector.Status status, ActorRef<NodeStatus> replyTo) implements Command {
    }

    private record Stopped(ActorRef<Done> replyTo, int remaining) implements Command {
    }

    private final ActorContext<Command> context;
    private final NodeIdentityStore store;
    private final int maxBvlc;
    private final int maxNpdu;
    private final ActorRef<HubConnector.Command> connector;
    private final ActorRef<NodeSwitch.Command> nodeSwitch;
    private final boolean autoConnect;
    private final Set<Vmac> direct = new HashSet<>();
    private List<URI> acceptUris;
    private NodeSwitch.Status lastSwitchStatus;
    private final Set<ActorRef<ReceivedNpdu>> subscribers = new HashSet<>();
    private final Set<ActorRef<NodeStatus>> statusSubscribers = new HashSet<>();
    private LocalIdentity identity;
    private int hubConnectorState;
    /** Hub connections established (from not connected to connected to either hub). */
    private long hubConnections;
    private HubConnector.Status lastConnectorStatus;
    private long npdusReceived;
    private long npdusSent;

    private Node(ActorContext<Command> context, HubConnector.Settings settings, LocalIdentity identity,
                 NodeIdentityStore store, Function<URI, Connection.SocketOpener> openers,
                 DirectConnectSettings directSettings, Function<URI, Connection.SocketOpener> directOpeners) {
        this.context = context;
        context.setLoggerName(Node.class);
        this.identity = identity;
        this.store = store;
        this.maxBvlc = settings.connectionSettings().maxBvlcLength();
        this.maxNpdu = settings.connectionSettings().maxNpduLength();
        ActorRef<HubConnector.Event> events = context.messageAdapter(HubConnector.Event.class, FromConnector::new);
        this.connector = context.spawn(HubConnector.create(settings, identity, events, openers), "hub-connector");
        ActorRef<NodeSwitch.Event> switchEvents = context.messageAdapter(NodeSwitch.Event.class, FromSwitch::new);
        this.nodeSwitch = context.spawn(NodeSwitch.create(directSettings, settings.connectionSettings(), identity,
                connector, switchEvents, directOpeners, java.time.Clock.systemUTC()), "node-switch");
        this.autoConnect = directSettings.autoConnectRate() > 0 && directSettings.initiateEnable();
    }

    /**
     * The node actor.
     *
     * @param settings hub URIs, reconnect times, connection settings
     * @param identity the starting identity
     * @param store    where a new VMAC is kept after a duplicate
     * @param openers  a socket opener per hub URI
     */
    public static Behavior<Command> create(HubConnector.Settings settings, LocalIdentity identity,
                                           NodeIdentityStore store, Function<URI, Connection.SocketOpener> openers) {
        return create(settings, identity, store, openers, DirectConnectSettings.disabled(), uri -> {
            throw new IllegalStateException("direct connections are disabled");
        });
    }

    /**
     * The node actor with a node switch.
     *
     * @param settings       hub URIs, reconnect times, connection settings
     * @param identity       the starting identity
     * @param store          where a new VMAC is kept after a duplicate
     * @param openers        a socket opener per hub URI
     * @param directSettings the node switch's settings
     * @param directOpeners  a direct-connect socket opener per URI
     */
    public static Behavior<Command> create(HubConnector.Settings settings, LocalIdentity identity,
                                           NodeIdentityStore store, Function<URI, Connection.SocketOpener> openers,
                                           DirectConnectSettings directSettings,
                                           Function<URI, Connection.SocketOpener> directOpeners) {
        return Behaviors.setup(ctx -> new Node(ctx, settings, identity, store, openers, directSettings,
                directOpeners).running());
    }

    private Behavior<Command> running() {
        return Behaviors.receive(Command.class)
                .onMessage(FromConnector.class, m -> onConnectorEvent(m.event()))
                .onMessage(FromSwitch.class, m -> onSwitchEvent(m.event()))
                .onMessage(SendNpdu.class, this::onSend)
                .onMessage(ToSwitch.class, this::onToSwitch)
                .onMessage(Counted.class, this::onCounted)
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(SubscribeStatus.class, this::onSubscribeStatus)
                .onMessage(SubscriberGone.class, this::onSubscriberGone)
                .onMessage(GetStatus.class, m -> onGetStatus(m.replyTo()))
                .onMessage(RestartPort.class, m -> {
                    context.getLog().info("restarting the SC port as {}", identity.vmac());
                    connector.tell(new HubConnector.Restart(identity));
                    nodeSwitch.tell(new NodeSwitch.Restart(identity));
                    return Behaviors.same();
                })
                .onMessage(ConnectorStatus.class, this::onConnectorStatus)
                .onMessage(SwitchStatus.class, this::onSwitchStatus)
                .onMessage(Stop.class, this::onStop)
                .build();
    }

    private Behavior<Command> onConnectorEvent(HubConnector.Event event) {
        if (event instanceof HubConnector.Received r) {
            onReceived(r.message(), null);
        } else if (event instanceof HubConnector.StateChanged s) {
            if (hubConnectorState == 0 && s.hubConnectionStatus() != 0) {
                hubConnections++;
            }
            hubConnectorState = s.hubConnectionStatus();
            publishStatus();
        } else if (event == HubConnector.DuplicateVmac.INSTANCE) {
            LocalIdentity previous = identity;
            identity = store.newVmac(identity);
            context.getLog().warn("the hub reports VMAC {} as a duplicate; continuing as {}", previous.vmac(),
                    identity.vmac());
            connector.tell(new HubConnector.Restart(identity));
            nodeSwitch.tell(new NodeSwitch.Restart(identity));
            publishStatus();
        }
        return Behaviors.same();
    }

    private Behavior<Command> onSwitchEvent(NodeSwitch.Event event) {
        if (event instanceof NodeSwitch.Received r) {
            onReceived(r.message(), r.via());
        } else if (event instanceof NodeSwitch.Up u) {
            direct.add(u.vmac());
        } else if (event instanceof NodeSwitch.Down d) {
            direct.remove(d.vmac());
        } else if (event instanceof NodeSwitch.Accepting a) {
            acceptUris = a.uris();
        }
        return Behaviors.same();
    }

    private Behavior<Command> onToSwitch(ToSwitch m) {
        nodeSwitch.tell(m.command());
        return Behaviors.same();
    }

    /** A message from the hub ({@code via} null) or from a direct connection (with the peer as Originating VMAC). */
    private void onReceived(BvlcMessage m, ActorRef<Connection.Command> via) {
        switch (m.function()) {
            case ENCAPSULATED_NPDU:
                npdusReceived++;
                ReceivedNpdu npdu = new ReceivedNpdu(m.originating(), ((Payload.EncapsulatedNpdu) m.payload()).npdu(),
                        m.dataOptions(), m.isBroadcast());
                subscribers.forEach(s -> s.tell(npdu));
                break;
            case ADVERTISEMENT_SOLICITATION:
                if (m.originating() != null) {
                    answer(BvlcMessage.of(m.messageId(), null, m.originating(), new Payload.Advertisement(
                            hubConnectorState, acceptUris != null, maxBvlc, maxNpdu)), via);
                }
                break;
            case ADDRESS_RESOLUTION:
                if (acceptUris != null) {
                    answer(BvlcMessage.of(m.messageId(), null, m.originating(), new Payload.AddressResolutionAck(
                            acceptUris.stream().map(URI::toString).toList())), via);
                } else {
                    DecodeFailure.refuse(m, ErrorCode.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED,
                            "this node does not accept direct connections").nak(m.originating())
                            .ifPresent(nak -> answer(nak, via));
                }
                break;
            case ADDRESS_RESOLUTION_ACK:
            case BVLC_RESULT:
                if (via == null) {
                    nodeSwitch.tell(new NodeSwitch.FromHub(m));
                }
                break;
            default:
                context.getLog().debug("ignoring {} from {}", m.function(), m.originating());
        }
    }

    /** Answers through the hub (Destination = the asker) or on the direct connection it came on (no VMACs). */
    private void answer(BvlcMessage m, ActorRef<Connection.Command> via) {
        if (via != null) {
            via.tell(new Connection.Send(m.withVmacs(null, null), false, context.getSystem().ignoreRef()));
        } else if (m.destination() != null && !m.destination().isBroadcast()) {
            connector.tell(new HubConnector.Send(m, false, context.getSystem().ignoreRef()));
        }
    }

    private Behavior<Command> onSend(SendNpdu m) {
        if (m.npdu().isEmpty()) {
            m.replyTo().tell(new SendResult.Refused(SendResult.Reason.NOT_ALLOWED, "an NPDU has at least one octet"));
            return Behaviors.same();
        }
        BvlcMessage message = new BvlcMessage(0, null, m.destination(), List.of(), m.dataOptions(),
                new Payload.EncapsulatedNpdu(m.npdu()));
        if (!m.destination().isBroadcast() && direct.contains(m.destination())) {
            context.ask(SendResult.class, nodeSwitch, java.time.Duration.ofSeconds(30),
                    ref -> new NodeSwitch.SendDirect(message, ref),
                    (result, failure) -> new Counted(result != null ? result : new SendResult.Refused(
                            SendResult.Reason.NOT_CONNECTED, "no answer from the direct connection"), m.replyTo()));
            return Behaviors.same();
        }
        if (autoConnect && !m.destination().isBroadcast()) {
            nodeSwitch.tell(new NodeSwitch.UnicastSent(m.destination()));
        }
        context.ask(SendResult.class, connector, java.time.Duration.ofSeconds(30),
                ref -> new HubConnector.Send(message, true, ref),
                (result, failure) -> new Counted(result != null ? result : new SendResult.Refused(
                        SendResult.Reason.NOT_CONNECTED, "no answer from the hub connection"), m.replyTo()));
        return Behaviors.same();
    }

    private Behavior<Command> onCounted(Counted m) {
        if (m.result() == SendResult.Sent.INSTANCE) {
            npdusSent++;
        }
        m.replyTo().tell(m.result());
        return Behaviors.same();
    }

    private Behavior<Command> onSubscribe(Subscribe m) {
        subscribers.add(m.subscriber());
        context.watchWith(m.subscriber(), new SubscriberGone(m.subscriber()));
        return Behaviors.same();
    }

    private Behavior<Command> onSubscribeStatus(SubscribeStatus m) {
        statusSubscribers.add(m.subscriber());
        context.watchWith(m.subscriber(), new SubscriberGone(m.subscriber()));
        m.subscriber().tell(status());
        return Behaviors.same();
    }

    private Behavior<Command> onSubscriberGone(SubscriberGone m) {
        subscribers.remove(m.subscriber());
        statusSubscribers.remove(m.subscriber());
        return Behaviors.same();
    }

    private void publishStatus() {
        NodeStatus s = status();
        statusSubscribers.forEach(sub -> sub.tell(s));
    }

    private NodeStatus status() {
        HubConnector.Status c = lastConnectorStatus;
        return new NodeStatus(identity.vmac(), identity.deviceUuid(), hubConnectorState,
                c == null ? HubConnectionStatus.NOT_CONNECTED : c.primary(),
                c == null ? HubConnectionStatus.NOT_CONNECTED : c.failover(), npdusReceived, npdusSent,
                acceptUris != null, lastSwitchStatus, hubConnections,
                c == null ? org.bacnetsc.connection.HeartbeatCounters.ZERO : c.heartbeats());
    }

    private Behavior<Command> onGetStatus(ActorRef<NodeStatus> replyTo) {
        // The per-hub details live in the connector: ask it, then answer.
        context.ask(HubConnector.Status.class, connector, java.time.Duration.ofSeconds(10),
                HubConnector.GetStatus::new, (s, failure) -> new ConnectorStatus(s, replyTo));
        return Behaviors.same();
    }

    private Behavior<Command> onConnectorStatus(ConnectorStatus m) {
        // Then the node switch's part.
        context.ask(NodeSwitch.Status.class, nodeSwitch, java.time.Duration.ofSeconds(10),
                NodeSwitch.GetStatus::new, (s, failure) -> new SwitchStatus(m.status(), s, m.replyTo()));
        return Behaviors.same();
    }

    private Behavior<Command> onSwitchStatus(SwitchStatus m) {
        if (m.connector() != null) {
            lastConnectorStatus = m.connector();
        }
        if (m.direct() != null) {
            lastSwitchStatus = m.direct();
        }
        m.replyTo().tell(status());
        return Behaviors.same();
    }

    private Behavior<Command> onStop(Stop m) {
        // The connector and the switch each say Done; the second one ends the node.
        int[] remaining = {2};
        ActorRef<Done> done = context.messageAdapter(Done.class, d -> new Stopped(m.replyTo(), --remaining[0]));
        nodeSwitch.tell(new NodeSwitch.Stop(done));
        connector.tell(new HubConnector.Stop(done));
        return Behaviors.receive(Command.class)
                .onMessage(Stopped.class, this::onStopped)
                .onMessage(SendNpdu.class, this::refuseStopping)
                .onMessage(GetStatus.class, g -> onStoppingStatus(g.replyTo()))
                .onAnyMessage(x -> Behaviors.same())
                .build();
    }

    private Behavior<Command> onStopped(Stopped m) {
        if (m.remaining() > 0) {
            return Behaviors.same();
        }
        m.replyTo().tell(Done.getInstance());
        return Behaviors.stopped();
    }

    private Behavior<Command> refuseStopping(SendNpdu m) {
        m.replyTo().tell(new SendResult.Refused(SendResult.Reason.NOT_CONNECTED, "the node is stopping"));
        return Behaviors.same();
    }

    private Behavior<Command> onStoppingStatus(ActorRef<NodeStatus> replyTo) {
        replyTo.tell(status());
        return Behaviors.same();
    }
}
