package org.bacnetsc.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import org.bacnetsc.device.BacnetClient;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.service.ReadPropertyAck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bsc read DEVICE OBJECT PROPERTY}: one property of one object with ReadProperty. */
@Command(name = "read", mixinStandardHelpOptions = true,
        description = {"Read one property of an object of a device with ReadProperty and print its decoded value: "
            + "PROPERTY: VALUE (the SC status lists of a Network Port as tables, one row per entry).",
            "DEVICE is a device instance, found with a Who-Is for it through --hub (also behind a router). OBJECT is "
                + "TYPE,INSTANCE with the type a standard name or a number (network-port,1  56,1  device,100); "
                + "PROPERTY a standard name or a number (sc-hub-connector-state, 4194318).",
            "Exit status 0; 1 when the device is not found or the request fails (the reason on stderr, e.g. "
                + "error property/unknown-property); 2 for a malformed command line."},
        footer = {"", "Example: bsc read 100 network-port,1 sc-hub-function-connection-status --hub "
            + "wss://127.0.0.1:4443/hub --pki pki --pki-node 3"})
public final class ReadCommand extends DeviceTool {

    @Parameters(index = "0", paramLabel = "DEVICE", description = "the device instance")
    int device;

    @Parameters(index = "1", paramLabel = "OBJECT", description = "TYPE,INSTANCE (network-port,1)")
    String object;

    @Parameters(index = "2", paramLabel = "PROPERTY", description = "a property name or number")
    String property;

    @Option(names = "--index", paramLabel = "N", description = "one element of an array property (0: its size)")
    Long index;

    @Option(names = "--json", description = "one JSON object instead of text")
    boolean json;

    private Value.ObjectId objectId;
    private long propertyId;

    @Override
    String name() {
        return "read";
    }

    @Override
    int device() {
        return device;
    }

    @Override
    void check() {
        objectId = BacnetNames.parseObject(object);
        propertyId = BacnetNames.parseProperty(property);
        if (index != null && (index < 0 || index > 0xFFFFFFFFL)) {
            throw new IllegalArgumentException("--index " + index + " is out of range 0-4294967295");
        }
    }

    @Override
    void run(BacnetClient client, BacnetClient.Found found, PrintWriter out) throws Exception {
        ReadPropertyAck ack = await(found, client.readProperty(found.address(), objectId, propertyId, index));
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode o = m.createObjectNode().put("device", found.instance())
                    .put("address", BacnetNames.address(found.address()))
                    .put("object", BacnetNames.object(ack.object()))
                    .put("property", BacnetNames.property(ack.property())).put("propertyId", ack.property());
            if (ack.arrayIndex() != null) {
                o.put("index", ack.arrayIndex());
            }
            o.set("value", PropertyFormat.json(ack.property(), ack.arrayIndex(), ack.value()));
            out.println(m.writeValueAsString(o));
        } else {
            PropertyFormat.text(BacnetNames.property(ack.property(), ack.arrayIndex()), ack.property(),
                    ack.arrayIndex(), ack.value(), "").forEach(out::println);
        }
    }
}
