package org.bacnetsc.node;

import java.util.List;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.Vmac;

/**
 * An NPDU received by a node.
 *
 * @param source      the sender's VMAC
 * @param npdu        the NPDU
 * @param dataOptions the data options that travelled with it
 * @param broadcast   whether it was sent to the broadcast VMAC
 */
public record ReceivedNpdu(Vmac source, ByteString npdu, List<HeaderOption> dataOptions, boolean broadcast) {
}
