package org.bacnetsc.examples.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bacnetsc.device.BacnetClient;
import org.bacnetsc.device.BacnetException;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * What {@code bsc read}, {@code bsc rpm} and {@code bsc file get} share: a node connected to {@code --hub} with a
 * client device on it, the target device found by a Who-Is for its instance (through a router when it is on another
 * network), then the tool's requests. Exit status 0 on success; 1, with a message on stderr, when the node does not
 * connect, the device does not answer Who-Is or a request fails; 2 for a malformed command line.
 */
abstract class DeviceTool implements Callable<Integer> {

    /** How long one tool's requests may take together (each has the APDU timeout and its retries). */
    static final Duration REQUESTS = Duration.ofSeconds(120);

    @Mixin
    ServiceConfig service = new ServiceConfig();

    @Mixin
    HubClient hubClient = new HubClient();

    @CommandLine.Option(names = "--bbmd", paramLabel = "HOST:PORT", description = "from the BACnet/IP side instead "
            + "of --hub: register as a foreign device with this BBMD (devices on SC networks are read through the "
            + "router)")
    String bbmd;

    @CommandLine.Option(names = "--bip", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
            description = "with --bbmd: our own B/IP address (default 127.0.0.1:0)")
    String bip;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The tool's name as {@code bsc} calls it: {@code read}, {@code file get}. */
    abstract String name();

    /** The device instance to find. */
    abstract int device();

    /** Checks the arguments before anything starts; throws IllegalArgumentException saying what is wrong. */
    void check() {
    }

    /** Reads from the device found and prints. */
    abstract void run(BacnetClient client, BacnetClient.Found device, PrintWriter out) throws Exception;

    @Override
    public Integer call() throws Exception {
        if ((hubClient.hub() == null) == (bbmd == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --hub URI (the SC side) or "
                    + "--bbmd HOST:PORT (the BACnet/IP side)");
        }
        try {
            if (device() < 0 || device() > 4194303) {
                throw new IllegalArgumentException("device instance " + device() + " is out of range 0-4194303");
            }
            check();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (HubClient.Session s = bbmd != null ? openForeign() : open(hubClient, service, spec)) {
            BacnetClient.Found found = HubClient.find(s.client(), device(), hubClient.timeout()).orElseThrow(() ->
                    new HubClient.ToolFailure("device " + device() + " not found: no I-Am to a Who-Is for it within "
                            + hubClient.timeout().toSeconds() + " s"));
            run(s.client(), found, out);
            out.flush();
            return 0;
        } catch (HubClient.ToolFailure e) {
            out.flush();
            spec.commandLine().getErr().println("bsc " + name() + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    private HubClient.Session openForeign() throws Exception {
        org.bacnetsc.bip.BipAddress bbmdAddress;
        org.bacnetsc.bip.BipAddress local;
        try {
            bbmdAddress = org.bacnetsc.bip.BipAddress.parse(bbmd);
            local = org.bacnetsc.bip.BipAddress.parse(bip);
            return hubClient.openForeign(service, spec.name().equals("get") ? "file get" : spec.name(), bbmdAddress,
                    local);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bbmd \"" + bbmd + "\" / --bip \"" + bip
                    + "\": " + e.getMessage(), e);
        }
    }

    /**
     * {@link HubClient#open}, a bad configuration or certificate flag (the key named) as a command line error (exit
     * status 2).
     */
    static HubClient.Session open(HubClient client, ServiceConfig service, CommandLine.Model.CommandSpec spec)
            throws Exception {
        try {
            return client.open(service, spec.name().equals("get") ? "file get" : spec.name());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * The outcome of a request, or a {@link HubClient.ToolFailure} that names the device and why it failed
     * ({@code device 100: error property/unknown-property}).
     */
    static <T> T await(BacnetClient.Found device, CompletionStage<T> request) throws Exception {
        try {
            return request.toCompletableFuture().get(REQUESTS.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof BacnetException b) {
                throw new HubClient.ToolFailure("device " + device.instance() + " ("
                        + BacnetNames.address(device.address()) + "): " + BacnetNames.failure(b));
            }
            throw new HubClient.ToolFailure("device " + device.instance() + ": " + cause);
        } catch (TimeoutException e) {
            throw new HubClient.ToolFailure("device " + device.instance() + ": no outcome within " + REQUESTS);
        }
    }
}
