package org.bacnetsc.device;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.codec.ApduCodec;
import org.bacnetsc.device.codec.ApduDecodeFailure;
import org.bacnetsc.device.codec.ApduDecodeResult;
import org.bacnetsc.device.object.BacnetObject;
import org.bacnetsc.device.server.Answer;
import org.bacnetsc.device.server.RequestExecutor;
import org.bacnetsc.device.service.UnconfirmedService;
import org.bacnetsc.network.NetworkPriority;
import org.bacnetsc.network.Npdu;
import org.bacnetsc.network.NpduCodec;
import org.bacnetsc.network.NpduDecodeResult;

/**
 * A device's application layer: one actor per device, answering confirmed and unconfirmed requests from its objects
 * (through a {@link RequestExecutor}) and carrying its own client's requests, both with their transactions
 * ({@link ServerTransactions}, {@link ClientTransactions}), and obeying DeviceCommunicationControl. It has one state:
 * running, until {@link Stop}.
 */
final class ApplicationLayer {

    /** The actor's protocol. */
    sealed interface Command {
    }

    /** An NPDU from data link MAC {@code mac}, sent to us alone or as a broadcast. */
    record Received(ByteString mac, ByteString npdu, boolean broadcast) implements Command {
    }

    /** A confirmed request to send; {@code reply} gets the ACK's service data (empty for a SimpleACK). */
    record Request(Address to, int service, ByteString data, CompletableFuture<ByteString> reply) implements Command {
    }

    /** An unconfirmed request to send to {@code to}, or as a global broadcast when null. */
    record SendUnconfirmed(Address to, int service, ByteString data) implements Command {
    }

    /** Sends our I-Am as a global broadcast. */
    record Announce() implements Command {
    }

    /** Unconfirmed requests received go (also) to {@code listener}, on the actor's thread. */
    record Listen(BiConsumer<Address, Apdu.UnconfirmedRequest> listener) implements Command {
    }

    /** No longer to {@code listener}. */
    record Unlisten(BiConsumer<Address, Apdu.UnconfirmedRequest> listener) implements Command {
    }

    /** The device's status. */
    record GetStatus(CompletableFuture<DeviceStatus> reply) implements Command {
    }

    /** Stops the device; outstanding client requests fail. */
    record Stop() implements Command {
    }

    /** Objects refreshed: execute. */
    record Execute(Address from, Apdu.ConfirmedRequest request) implements Command {
    }

    record ServerSegmentTimeout(ServerTransactions.Key key) implements Command {
    }

    record ServerReassemblyTimeout(ServerTransactions.Key key) implements Command {
    }

    record ForgetAnswer(ServerTransactions.Key key) implements Command {
    }

    record ClientTimeout(int invokeId) implements Command {
    }

    record CommunicationRestored() implements Command {
    }

    /** For callbacks off the actor's thread, where its context's logger may not be used. */
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApplicationLayer.class);

    /** The most listeners of unconfirmed requests (discoveries in progress). */
    static final int MAX_LISTENERS = 64;

    /** How long objects may take to refresh before a request is answered from what they hold. */
    static final Duration REFRESH_LIMIT = Duration.ofSeconds(2);

    private final ActorContext<Command> context;
    private final RequestExecutor executor;
    private final Link link;
    private final Runnable restartPort;
    private final Counting counts = new Counting();
    private final ServerTransactions server;
    private final ClientTransactions client;
    private final TimerScheduler<Command> timers;
    private final List<BiConsumer<Address, Apdu.UnconfirmedRequest>> listeners = new ArrayList<>();
    /** DeviceCommunicationControl: 0 enable, 2 disable-initiation. */
    private int communication;

    private ApplicationLayer(ActorContext<Command> context, TimerScheduler<Command> timers, RequestExecutor executor,
                             Link link, Runnable restartPort) {
        this.context = context;
        this.timers = timers;
        this.executor = executor;
        this.link = link;
        this.restartPort = restartPort;
        var info = executor.database().info();
        Duration apdu = Duration.ofMillis(info.apduTimeoutMillis());
        Duration segment = Duration.ofMillis(info.segmentTimeoutMillis());
        Wire wire = this::send;
        this.server = new ServerTransactions(wire, timers, counts, apdu, segment, info.apduRetries(),
                info.maxSegmentsAccepted());
        this.client = new ClientTransactions(wire, timers, counts, apdu, segment, info.apduRetries(),
                info.maxSegmentsAccepted());
    }

    static Behavior<Command> create(RequestExecutor executor, Link link, Runnable restartPort) {
        return Behaviors.setup(ctx -> {
            ctx.setLoggerName(ApplicationLayer.class);
            return Behaviors.withTimers(timers -> new ApplicationLayer(ctx, timers, executor, link, restartPort)
                    .running());
        });
    }

    private Behavior<Command> running() {
        return Behaviors.receive(Command.class)
                .onMessage(Received.class, this::onReceived)
                .onMessage(Execute.class, this::onExecute)
                .onMessage(Request.class, this::onRequest)
                .onMessage(SendUnconfirmed.class, this::onSendUnconfirmed)
                .onMessage(Announce.class, m -> {
                    if (communication == 0) {
                        sendUnconfirmed(null, UnconfirmedService.I_AM.code(), executor.iAm().encode());
                    } else {
                        counts.droppedWhileDisabled++;
                    }
                    return Behaviors.same();
                })
                .onMessage(Listen.class, m -> {
                    if (listeners.size() < MAX_LISTENERS) {
                        listeners.add(m.listener());
                    }
                    return Behaviors.same();
                })
                .onMessage(Unlisten.class, m -> {
                    listeners.remove(m.listener());
                    return Behaviors.same();
                })
                .onMessage(GetStatus.class, m -> {
                    m.reply().complete(new DeviceStatus(executor.database().instance(), communication,
                            server.inProgress(), client.outstanding(), counts.snapshot()));
                    return Behaviors.same();
                })
                .onMessage(ServerSegmentTimeout.class, m -> {
                    server.onSegmentTimeout(m.key());
                    return Behaviors.same();
                })
                .onMessage(ServerReassemblyTimeout.class, m -> {
                    server.onReassemblyTimeout(m.key());
                    return Behaviors.same();
                })
                .onMessage(ForgetAnswer.class, m -> {
                    server.forget(m.key());
                    return Behaviors.same();
                })
                .onMessage(ClientTimeout.class, m -> {
                    client.onTimeout(m.invokeId());
                    return Behaviors.same();
                })
                .onMessage(CommunicationRestored.class, m -> {
                    communication = 0;
                    context.getLog().info("device {}: DeviceCommunicationControl duration over, enabled again",
                            executor.database().instance());
                    return Behaviors.same();
                })
                .onMessage(Stop.class, m -> {
                    client.failAll("the device stopped");
                    return Behaviors.stopped();
                })
                .build();
    }

    // ------------------------------------------------------------------------------------------------ inbound

    private Behavior<Command> onReceived(Received m) {
        NpduDecodeResult decoded = NpduCodec.decode(m.npdu());
        if (!(decoded instanceof NpduDecodeResult.Decoded d)) {
            counts.undecodable++;
            return Behaviors.same();
        }
        Npdu npdu = d.npdu();
        if (npdu.isNetworkMessage() || npdu.dnet() != null && npdu.dnet() != Npdu.GLOBAL) {
            return Behaviors.same(); // network layer messages are the router's; a DNET not global is not for a device
        }
        Address from = npdu.snet() != null ? Address.remote(m.mac(), npdu.snet(), npdu.sadr()) : Address.local(m.mac());
        boolean broadcast = m.broadcast() || npdu.dnet() != null;
        ApduDecodeResult result = ApduCodec.decode(npdu.apdu());
        if (result instanceof ApduDecodeFailure f) {
            counts.undecodable++;
            if (f.rejectReason().isPresent() && f.invokeId().isPresent() && !broadcast) {
                counts.rejects++;
                send(from, new Apdu.Reject(f.invokeId().getAsInt(), f.rejectReason().getAsInt()), false);
            }
            return Behaviors.same();
        }
        Apdu apdu = (Apdu) result;
        if (apdu instanceof Apdu.UnconfirmedRequest u) {
            onUnconfirmed(from, u);
        } else if (apdu instanceof Apdu.ConfirmedRequest req) {
            if (broadcast) {
                return Behaviors.same(); // a confirmed request that arrived as a broadcast is dropped (Clause 6)
            }
            Apdu.ConfirmedRequest whole = server.onRequest(from, req);
            if (whole != null) {
                refreshThenExecute(from, whole);
            }
        } else if (apdu instanceof Apdu.SegmentAck ack) {
            if (ack.server()) {
                client.onAnswer(from, ack, ack.invokeId());
            } else {
                server.onSegmentAck(from, ack);
            }
        } else if (apdu instanceof Apdu.Abort abort && !abort.server()) {
            server.onAbort(from, abort);
        } else {
            client.onAnswer(from, apdu, invokeIdOf(apdu));
        }
        return Behaviors.same();
    }

    private static int invokeIdOf(Apdu apdu) {
        if (apdu instanceof Apdu.SimpleAck a) {
            return a.invokeId();
        }
        if (apdu instanceof Apdu.ComplexAck a) {
            return a.invokeId();
        }
        if (apdu instanceof Apdu.Error a) {
            return a.invokeId();
        }
        if (apdu instanceof Apdu.Reject a) {
            return a.invokeId();
        }
        if (apdu instanceof Apdu.Abort a) {
            return a.invokeId();
        }
        return -1;
    }

    private void onUnconfirmed(Address from, Apdu.UnconfirmedRequest u) {
        counts.unconfirmedReceived++;
        for (BiConsumer<Address, Apdu.UnconfirmedRequest> l : listeners) {
            try {
                l.accept(from, u);
            } catch (RuntimeException e) {
                context.getLog().warn("a listener of device {} failed: {}", executor.database().instance(),
                        e.toString());
            }
        }
        executor.unconfirmed(u.serviceChoice(), u.service()).ifPresent(answer -> {
            // I-Am and I-Have are answers: sent also while initiation is disabled (digest 3.2, DCC)
            counts.unconfirmedAnswered++;
            // a local request gets a local broadcast; a remote one an answer through the router it came from
            sendUnconfirmed(from.remote() ? from : Address.local(ByteString.emptyByteString()),
                    answer.service().code(), answer.data());
        });
    }

    private void refreshThenExecute(Address from, Apdu.ConfirmedRequest req) {
        // only the objects the request reads: a refresh may be an ask for much (a hub's connection list)
        List<CompletableFuture<?>> refreshing = new ArrayList<>();
        for (BacnetObject o : executor.objectsRead(req.serviceChoice(), req.service())) {
            try {
                refreshing.add(o.refresh().toCompletableFuture());
            } catch (RuntimeException e) {
                // answered from what the object holds
            }
        }
        CompletionStage<Void> all = CompletableFuture.allOf(refreshing.toArray(new CompletableFuture<?>[0]))
                .completeOnTimeout(null, REFRESH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        context.pipeToSelf(all, (ok, failure) -> new Execute(from, req));
    }

    private Behavior<Command> onExecute(Execute m) {
        Apdu.ConfirmedRequest req = m.request();
        Answer answer = executor.confirmed(req.serviceChoice(), req.service());
        server.answer(m.from(), req, answer);
        if (answer instanceof Answer.Simple s) {
            after(s.then());
        }
        return Behaviors.same();
    }

    private void after(Answer.After then) {
        if (then instanceof Answer.Communication c) {
            communication = c.enable();
            if (c.enable() == 0) {
                timers.cancel("communication");
            } else if (c.durationMinutes() != null && c.durationMinutes() > 0) {
                timers.startSingleTimer("communication", new CommunicationRestored(),
                        Duration.ofMinutes(c.durationMinutes()));
            } else {
                timers.cancel("communication");
            }
            context.getLog().info("device {}: DeviceCommunicationControl {}{}", executor.database().instance(),
                    c.enable() == 0 ? "enable" : "disable-initiation",
                    c.durationMinutes() == null ? "" : " for " + c.durationMinutes() + " min");
        } else if (then instanceof Answer.Reinitialize r) {
            // coldstart and warmstart re-enable communication and restart the SC port (after the SimpleACK left)
            if (r.state() == 0 || r.state() == 1) {
                communication = 0;
                timers.cancel("communication");
                context.getLog().info("device {}: ReinitializeDevice {}: restarting the port",
                        executor.database().instance(), r.state() == 0 ? "coldstart" : "warmstart");
                try {
                    restartPort.run();
                } catch (RuntimeException e) {
                    context.getLog().warn("device {}: restarting the port failed: {}",
                            executor.database().instance(), e.toString());
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ outbound

    private Behavior<Command> onRequest(Request m) {
        if (communication != 0) {
            counts.droppedWhileDisabled++;
            m.reply().completeExceptionally(BacnetException.of(BacnetException.Kind.COMMUNICATION_DISABLED,
                    "DeviceCommunicationControl disabled initiation"));
            return Behaviors.same();
        }
        client.request(m.to(), m.service(), m.data(), m.reply());
        return Behaviors.same();
    }

    private Behavior<Command> onSendUnconfirmed(SendUnconfirmed m) {
        if (communication != 0) {
            counts.droppedWhileDisabled++;
            return Behaviors.same();
        }
        sendUnconfirmed(m.to(), m.service(), m.data());
        return Behaviors.same();
    }

    /** To {@code to}; null: a global broadcast; an empty local MAC: a local broadcast. */
    private void sendUnconfirmed(Address to, int service, ByteString data) {
        Apdu apdu = new Apdu.UnconfirmedRequest(service, data);
        if (to == null) {
            Npdu global = new Npdu(false, NetworkPriority.NORMAL, Npdu.GLOBAL, ByteString.emptyByteString(), null,
                    null, Npdu.INITIAL_HOP_COUNT, null, ApduCodec.encode(apdu));
            report(link.broadcast(NpduCodec.encode(global)), "a global broadcast");
        } else if (!to.remote() && to.mac().isEmpty()) {
            report(link.broadcast(NpduCodec.encode(Npdu.local(ApduCodec.encode(apdu), false))), "a local broadcast");
        } else {
            send(to, apdu, false);
        }
    }

    private void send(Address to, Apdu apdu, boolean expectingReply) {
        ByteString encoded = ApduCodec.encode(apdu);
        Npdu npdu = to.remote()
                ? new Npdu(expectingReply, NetworkPriority.NORMAL, to.network(), to.adr(), null, null,
                        Npdu.INITIAL_HOP_COUNT, null, encoded)
                : Npdu.local(encoded, expectingReply);
        report(link.send(to.mac(), NpduCodec.encode(npdu)), to.toString());
    }

    private void report(CompletionStage<?> sent, String to) {
        sent.whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.debug("device {}: not sent to {}: {}",
                        executor.database().instance(), to, failure.getMessage());
            }
        });
    }
}
