package org.bacnetsc.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.bacnetsc.device.BacnetClient;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.service.ReadPropertyMultiple;
import org.bacnetsc.device.service.ReadPropertyMultipleAck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bsc rpm DEVICE OBJECT[:PROP,PROP...] ...}: properties of objects with one ReadPropertyMultiple. */
@Command(name = "rpm", mixinStandardHelpOptions = true,
        description = {"Read properties of one or more objects of a device with one ReadPropertyMultiple and print "
            + "each object, then one line per property: PROPERTY: VALUE, or PROPERTY: error: CLASS/CODE (the SC status "
            + "lists of a Network Port as tables, one row per entry). Segmented answers are reassembled.",
            "DEVICE is a device instance, found with a Who-Is for it through --hub (also behind a router). Each "
                + "OBJECT is TYPE,INSTANCE (network-port,1  56,1  device,100), optionally followed by :PROP,PROP... "
                + "(names or numbers, an array element as object-list[3]; all, required and optional work too); "
                + "without properties: all.",
            "Exit status 0 (also when single properties answer with errors); 1 when the device is not found or the "
                + "request fails; 2 for a malformed command line."},
        footer = {"", "Example: bsc rpm 100 network-port,1 device,100:object-name,object-list --hub "
            + "wss://127.0.0.1:4443/hub --pki pki --pki-node 3"})
public final class RpmCommand extends DeviceTool {

    @Parameters(index = "0", paramLabel = "DEVICE", description = "the device instance")
    int device;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "OBJECT[:PROP,PROP...]",
            description = "an object and its properties (default all)")
    List<String> objects;

    @Option(names = "--json", description = "one JSON object instead of text")
    boolean json;

    private ReadPropertyMultiple request;

    @Override
    String name() {
        return "rpm";
    }

    @Override
    int device() {
        return device;
    }

    @Override
    void check() {
        request = parse(objects);
    }

    /** The request for {@code OBJECT[:PROP,PROP...]} arguments. */
    static ReadPropertyMultiple parse(List<String> objects) {
        List<ReadPropertyMultiple.ReadAccessSpec> specs = new ArrayList<>();
        for (String spec : objects) {
            int colon = spec.indexOf(':');
            String object = colon < 0 ? spec : spec.substring(0, colon);
            List<ReadPropertyMultiple.PropertyReference> properties = new ArrayList<>();
            if (colon < 0) {
                properties.add(new ReadPropertyMultiple.PropertyReference(PropertyIdentifier.ALL.code(), null));
            } else {
                for (String p : spec.substring(colon + 1).split(",", -1)) {
                    if (p.isBlank()) {
                        throw new IllegalArgumentException("\"" + spec + "\": an empty property name; expected "
                                + "OBJECT or OBJECT:PROP,PROP...");
                    }
                    BacnetNames.PropertyRef ref = BacnetNames.parsePropertyRef(p);
                    properties.add(new ReadPropertyMultiple.PropertyReference(ref.property(), ref.index()));
                }
            }
            specs.add(new ReadPropertyMultiple.ReadAccessSpec(BacnetNames.parseObject(object), properties));
        }
        return new ReadPropertyMultiple(specs);
    }

    @Override
    void run(BacnetClient client, BacnetClient.Found found, PrintWriter out) throws Exception {
        ReadPropertyMultipleAck ack = await(found, client.readPropertyMultiple(found.address(), request));
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode().put("device", found.instance())
                    .put("address", BacnetNames.address(found.address()));
            ArrayNode objectsOut = root.putArray("objects");
            for (ReadPropertyMultipleAck.ReadAccessResult r : ack.results()) {
                ObjectNode o = objectsOut.addObject().put("object", BacnetNames.object(r.object()));
                ArrayNode properties = o.putArray("properties");
                for (ReadPropertyMultipleAck.ResultElement e : r.results()) {
                    ObjectNode p = properties.addObject().put("property", BacnetNames.property(e.property()))
                            .put("propertyId", e.property());
                    if (e.arrayIndex() != null) {
                        p.put("index", e.arrayIndex());
                    }
                    if (e.error() != null) {
                        p.put("error", BacnetNames.error(e.error().errorClass(), e.error().errorCode()));
                    } else {
                        p.set("value", PropertyFormat.json(e.property(), e.arrayIndex(), e.value()));
                    }
                }
            }
            out.println(m.writeValueAsString(root));
            return;
        }
        for (ReadPropertyMultipleAck.ReadAccessResult r : ack.results()) {
            out.println(BacnetNames.object(r.object()));
            for (ReadPropertyMultipleAck.ResultElement e : r.results()) {
                String label = BacnetNames.property(e.property(), e.arrayIndex());
                if (e.error() != null) {
                    out.println("  " + label + ": error: " + BacnetNames.error(e.error().errorClass(),
                            e.error().errorCode()));
                } else {
                    PropertyFormat.text(label, e.property(), e.arrayIndex(), e.value(), "  ").forEach(out::println);
                }
            }
        }
    }
}
