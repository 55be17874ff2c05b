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
    public sealed interface Command permits SendNpdu, Subscribe, SubscribeStatus, GetStatus, Stop, FromConnector,
            SubscriberGone, Counted, ConnectorStatus, Stopped {
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

    private record FromConnector(HubConnector.Event event) implements Command {
    }

    private record SubscriberGone(ActorRef<?> subscriber) implements Command {
    }

    private record Counted(SendResult result, ActorRef<SendResult> replyTo) implements Command {
    }

    private record ConnectorStatus(HubConnector.Status status, ActorRef<NodeStatus> replyTo) implements Command {
    }

    private record Stopped(ActorRef<Done> replyTo) implements Command {
    }

    private final ActorContext<Command> context;
    private final NodeIdentityStore store;
    private final int maxBvlc;
    private final int maxNpdu;
    private final ActorRef<HubConnector.Command> connector;
    private final Set<ActorRef<ReceivedNpdu>> subscribers = new HashSet<>();
    private final Set<ActorRef<NodeStatus>> statusSubscribers = new HashSet<>();
    private LocalIdentity identity;
    private int hubConnectorState;
    private HubConnector.Status lastConnectorStatus;
    private long npdusReceived;
    private long npdusSent;

    private Node(ActorContext<Command> context, HubConnector.Settings settings, LocalIdentity identity,
                 NodeIdentityStore store, Function<URI, Connection.SocketOpener> openers) {
        this.context = context;
        this.identity = identity;
        this.store = store;
        this.maxBvlc = settings.connectionSettings().maxBvlcLength();
        this.maxNpdu = settings.connectionSettings().maxNpduLength();
        ActorRef<HubConnector.Event> events = context.messageAdapter(HubConnector.Event.class, FromConnector::new);
        this.connector = context.spawn(HubConnector.create(settings, identity, events, openers), "hub-connector");
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
        return Behaviors.setup(ctx -> new Node(ctx, settings, identity, store, openers).running());
    }

    private Behavior<Command> running() {
        return Behaviors.receive(Command.class)
                .onMessage(FromConnector.class, m -> onConnectorEvent(m.event()))
                .onMessage(SendNpdu.class, this::onSend)
                .onMessage(Counted.class, this::onCounted)
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(SubscribeStatus.class, this::onSubscribeStatus)
                .onMessage(SubscriberGone.class, this::onSubscriberGone)
                .onMessage(GetStatus.class, m -> onGetStatus(m.replyTo()))
                .onMessage(ConnectorStatus.class, this::onConnectorStatus)
                .onMessage(Stop.class, this::onStop)
                .build();
    }

    private Behavior<Command> onConnectorEvent(HubConnector.Event event) {
        if (event instanceof HubConnector.Received r) {
            onReceived(r.message());
        } else if (event instanceof HubConnector.StateChanged s) {
            hubConnectorState = s.hubConnectionStatus();
            publishStatus();
        } else if (event == HubConnector.DuplicateVmac.INSTANCE) {
            LocalIdentity previous = identity;
            identity = store.newVmac(identity);
            context.getLog().warn("the hub reports VMAC {} as a duplicate; continuing as {}", previous.vmac(),
                    identity.vmac());
            connector.tell(new HubConnector.Restart(identity));
            publishStatus();
        }
        return Behaviors.same();
    }

    private void onReceived(BvlcMessage m) {
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
                            hubConnectorState, false, maxBvlc, maxNpdu)));
                }
                break;
            case ADDRESS_RESOLUTION:
                DecodeFailure.refuse(m, ErrorCode.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED,
                        "this node does not accept direct connections").nak(m.originating())
                        .ifPresent(this::answer);
                break;
            default:
                context.getLog().debug("ignoring {} from {}", m.function(), m.originating());
        }
    }

    private void answer(BvlcMessage m) {
        if (m.destination() != null && !m.destination().isBroadcast()) {
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
                c == null ? HubConnectionStatus.NOT_CONNECTED : c.failover(), npdusReceived, npdusSent);
    }

    private Behavior<Command> onGetStatus(ActorRef<NodeStatus> replyTo) {
        // The per-hub details live in the connector: ask it, then answer.
        context.ask(HubConnector.Status.class, connector, java.time.Duration.ofSeconds(10),
                HubConnector.GetStatus::new, (s, failure) -> new ConnectorStatus(s, replyTo));
        return Behaviors.same();
    }

    private Behavior<Command> onConnectorStatus(ConnectorStatus m) {
        if (m.status() != null) {
            lastConnectorStatus = m.status();
        }
        m.replyTo().tell(status());
        return Behaviors.same();
    }

    private Behavior<Command> onStop(Stop m) {
        ActorRef<Done> done = context.messageAdapter(Done.class, d -> new Stopped(m.replyTo()));
        connector.tell(new HubConnector.Stop(done));
        return Behaviors.receive(Command.class)
                .onMessage(Stopped.class, this::onStopped)
                .onMessage(SendNpdu.class, this::refuseStopping)
                .onMessage(GetStatus.class, g -> onStoppingStatus(g.replyTo()))
                .onAnyMessage(x -> Behaviors.same())
                .build();
    }

    private Behavior<Command> onStopped(Stopped m) {
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
