package org.bacnetsc.examples.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bacnetsc.bip.BipAddress;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.bip.ForeignDevice;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ObjectDatabase;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bsc bip-device}: a BACnet/IP device (the example Device object), registered as a BBMD's foreign device. */
@Command(name = "bip-device", mixinStandardHelpOptions = true,
        description = {"Run the example Device object as a BACnet/IP device (Annex J) registered as a foreign device "
            + "of a BBMD (for example `bsc router --bbmd`): it answers Who-Is (local, remote and global) and "
            + "ReadProperty, those from other networks through the router they came from. Stop with Ctrl-C."})
public final class BipDeviceCommand implements Callable<Integer> {

    @Option(names = "--bbmd", paramLabel = "HOST:PORT", required = true, description = "the BBMD to register with")
    String bbmd;

    @Option(names = "--bip", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
            description = "the device's own address (default 127.0.0.1:0, any free port)")
    String bip;

    @Option(names = "--ttl", defaultValue = "60", description = "registration time-to-live, seconds (renewed at half)")
    int ttl;

    @Option(names = "--instance", defaultValue = "1234", description = "device instance")
    int instance;

    @Option(names = "--name", defaultValue = "BIP Server", description = "object-name")
    String name;

    @Option(names = "--vendor-id", defaultValue = "260", description = "vendor-identifier")
    int vendorId;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BipAddress bbmdAddress;
        BipAddress local;
        try {
            bbmdAddress = BipAddress.parse(bbmd);
            local = BipAddress.parse(bip);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bbmd \"" + bbmd + "\" / --bip \"" + bip
                    + "\": expected IPv4 host:port (" + e.getMessage() + ")");
        }
        DeviceInfo defaults = DeviceInfo.of(instance, name).withModelName("bsc bip-device");
        DeviceInfo info = new DeviceInfo(instance, name, defaults.vendorName(), vendorId, defaults.modelName(),
                defaults.firmwareRevision(), defaults.softwareVersion(), "", "", defaults.apduTimeoutMillis(),
                defaults.apduRetries(), defaults.segmentTimeoutMillis(), defaults.maxSegmentsAccepted(), null, "");
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-bip-device");
        try (ForeignDevice fd = ForeignDevice.register(local.socketAddress(), bbmdAddress, ttl,
                Duration.ofSeconds(10))) {
            BacnetDevice device = BacnetDevice.start(system, new ObjectDatabase(info), fd, () -> { });
            fd.onNpdu(device::onNpdu);
            device.announce();
            spec.commandLine().getOut().println("BACnet/IP device " + instance + " (" + name + ") at " + fd.address()
                    + ", foreign device of " + bbmdAddress + "; stop with Ctrl-C");
            spec.commandLine().getOut().flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                fd.close();
                system.terminate();
                stop.countDown();
            }));
            stop.await();
            return 0;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("bsc bip-device: " + e.getMessage());
            return 1;
        }
    }
}
