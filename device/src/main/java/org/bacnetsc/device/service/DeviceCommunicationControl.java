package org.bacnetsc.device.service;

import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * DeviceCommunicationControl-Request (confirmed 17): {@code [0]} Unsigned16 duration in minutes (optional),
 * {@code [1]} Enumerated enable-disable, {@code [2]} CharacterString password of 1-20 characters (optional). The
 * answer is a SimpleACK. An enable-disable value above 2 is Reject 8 undefined-enumeration (bacnet-stack h_dcc); a
 * duration above 65535 or a password outside 1-20 characters is Reject 6. Our reading: characters are counted as
 * code points of the decoded text; bacnet-stack counts the encoded octets (the same for ASCII passwords).
 *
 * @param durationMinutes 0-65535, or null (absent and 0: indefinitely)
 * @param enableDisable   0 enable, 1 disable (deprecated since PR 20), 2 disable-initiation
 * @param password        1-20 characters, or null
 */
public record DeviceCommunicationControl(Integer durationMinutes, int enableDisable, String password) {

    /** 0: enable. */
    public static final int ENABLE = 0;
    /** 1: disable (deprecated from Protocol_Revision 20). */
    public static final int DISABLE = 1;
    /** 2: disable initiation. */
    public static final int DISABLE_INITIATION = 2;

    /** Checks the ranges. */
    public DeviceCommunicationControl {
        if (durationMinutes != null) {
            Reader.check(durationMinutes, 0, 0xFFFF, "DCC duration");
        }
        Reader.check(enableDisable, 0, 2, "DCC enable-disable");
        Reader.password(password);
    }

    /** The service data (the password in UTF-8). */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        if (durationMinutes != null) {
            Tags.writeContext(b, 0, new Value.Unsigned(durationMinutes));
        }
        Tags.writeContext(b, 1, new Value.Enumerated(enableDisable));
        if (password != null) {
            Tags.writeContext(b, 2, Value.CharacterString.utf8(password));
        }
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<DeviceCommunicationControl> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            Integer duration = r.isContext(0)
                    ? (int) Reader.inRange(r.unsigned(0, "DCC duration"), 0, 0xFFFF, "DCC duration") : null;
            long state = r.enumerated(1, "DCC enable-disable");
            if (state < 0 || state > 2) {
                throw Reader.stop(ServiceDecode.UNDEFINED_ENUMERATION, "DCC enable-disable "
                        + Long.toUnsignedString(state) + " is not 0 enable, 1 disable or 2 disable-initiation");
            }
            String password = r.isContext(2) ? r.string(2, "DCC password") : null;
            return new DeviceCommunicationControl(duration, (int) state, password);
        });
    }
}
