package org.bacnetsc.device.service;

import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * ReinitializeDevice-Request (confirmed 20): {@code [0]} Enumerated reinitialized-state, {@code [1]} CharacterString
 * password of 1-20 characters (optional; outside: Reject 6). The answer is a SimpleACK, sent before acting. A state
 * above 7 decodes: the executor answers it with SERVICES/PARAMETER_OUT_OF_RANGE as bacnet-stack does (digest 3.2);
 * only a state beyond the int range is Reject 6 here.
 *
 * @param state    0 coldstart, 1 warmstart, 2 start-backup, 3 end-backup, 4 start-restore, 5 end-restore,
 *                 6 abort-restore, 7 activate-changes
 * @param password 1-20 characters, or null
 */
public record ReinitializeDevice(int state, String password) {

    /** 0: coldstart. */
    public static final int COLDSTART = 0;
    /** 1: warmstart. */
    public static final int WARMSTART = 1;
    /** 7: activate-changes. */
    public static final int ACTIVATE_CHANGES = 7;

    /** Checks the state's sign and the password's length. */
    public ReinitializeDevice {
        Reader.check(state, 0, Integer.MAX_VALUE, "reinitialized state");
        Reader.password(password);
    }

    /** The service data (the password in UTF-8). */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeContext(b, 0, new Value.Enumerated(state));
        if (password != null) {
            Tags.writeContext(b, 1, Value.CharacterString.utf8(password));
        }
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<ReinitializeDevice> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            long state = Reader.inRange(r.enumerated(0, "ReinitializeDevice state"), 0, Integer.MAX_VALUE,
                    "ReinitializeDevice state");
            String password = r.isContext(1) ? r.string(1, "ReinitializeDevice password") : null;
            return new ReinitializeDevice((int) state, password);
        });
    }
}
