package org.bacnetsc.codec;

import org.apache.pekko.util.ByteString;

/**
 * One BVLC-SC header option (digest §3): Secure Path, Proprietary, or any other type kept byte-exact.
 *
 * <p>The More-Options bit of the marker is not part of an option: the encoder sets it from the option's position in
 * its list.
 */
public sealed interface HeaderOption permits HeaderOption.SecurePath, HeaderOption.Proprietary, HeaderOption.Unknown {

    /** Marker bit: more options follow. */
    int MORE = 0x80;
    /** Marker bit: must understand (destination options) / every segment (data options). */
    int MUST_UNDERSTAND = 0x40;
    /** Marker bit: Header Length and Header Data follow. */
    int HAS_DATA = 0x20;
    /** Marker bits holding the option type. */
    int TYPE_MASK = 0x1F;
    /** Option type of Secure Path. */
    int TYPE_SECURE_PATH = 1;
    /** Option type of a proprietary option. */
    int TYPE_PROPRIETARY = 31;
    /** Option type of Hello (135-2024, addendum 135-2020cp; digest of bacnet-device.md section 8). */
    int TYPE_HELLO = 2;

    /**
     * Hello as we send it on Connect-Request and Connect-Accept: must-understand clear, one data octet of capability
     * flags, all clear (bit 0, identity relay allowed, is not offered). Marker {@code 0x22}, length {@code 00 01},
     * data {@code 00}.
     */
    static HeaderOption hello() {
        return new Unknown(TYPE_HELLO, false, true, ByteString.fromArrayUnsafe(new byte[] {0}));
    }

    /** Whether {@code options} carries a Hello option. */
    static boolean hasHello(java.util.List<HeaderOption> options) {
        for (HeaderOption o : options) {
            if (o.type() == TYPE_HELLO) {
                return true;
            }
        }
        return false;
    }

    /** The option type (0-31). */
    int type();

    /** The Must Understand bit (in data options: the opaque "Every Segment" bit). */
    boolean mustUnderstand();

    /** Whether the marker's Header Data flag is set. */
    boolean hasData();

    /** The Header Data (empty when {@link #hasData()} is false). */
    ByteString data();

    /** The marker byte without the More bit. */
    default int marker() {
        return (mustUnderstand() ? MUST_UNDERSTAND : 0) | (hasData() ? HAS_DATA : 0) | type();
    }

    /** The marker byte as it stands on the wire at a position that is or is not followed by more options. */
    default int marker(boolean more) {
        return marker() | (more ? MORE : 0);
    }

    /** Octets this option occupies on the wire. */
    default int encodedLength() {
        return hasData() ? 3 + data().size() : 1;
    }

    /**
     * Secure Path (type 1, no data). Emitted with marker {@code 0x01}; a received marker {@code 0x41} is kept.
     *
     * @param mustUnderstand the marker's bit 6
     */
    record SecurePath(boolean mustUnderstand) implements HeaderOption {
        /** Secure Path as this implementation emits it (marker {@code 0x01}). */
        public static final SecurePath INSTANCE = new SecurePath(false);

        @Override
        public int type() {
            return TYPE_SECURE_PATH;
        }

        @Override
        public boolean hasData() {
            return false;
        }

        @Override
        public ByteString data() {
            return ByteString.emptyByteString();
        }
    }

    /**
     * A proprietary option (type 31): Vendor ID, proprietary option type, then vendor data.
     *
     * @param mustUnderstand  the marker's bit 6
     * @param vendorId        the 16-bit vendor identifier
     * @param proprietaryType the vendor's option type (0-255)
     * @param vendorData      the octets after the proprietary type
     */
    record Proprietary(boolean mustUnderstand, int vendorId, int proprietaryType, ByteString vendorData)
            implements HeaderOption {

        /** Validates ranges. */
        public Proprietary {
            Checks.u16("vendorId", vendorId);
            Checks.u8("proprietaryType", proprietaryType);
            Checks.notNull("vendorData", vendorData);
            Checks.u16("header length", 3 + vendorData.size());
        }

        @Override
        public int type() {
            return TYPE_PROPRIETARY;
        }

        @Override
        public boolean hasData() {
            return true;
        }

        @Override
        public ByteString data() {
            return ByteString.fromArrayUnsafe(new byte[] {(byte) (vendorId >>> 8), (byte) vendorId,
                    (byte) proprietaryType}).concat(vendorData);
        }

        @Override
        public int encodedLength() {
            return 6 + vendorData.size();
        }
    }

    /**
     * An option of a type this implementation does not interpret, kept byte-exact.
     *
     * @param type           the option type (0-31, neither 1 nor 31)
     * @param mustUnderstand the marker's bit 6
     * @param hasData        the marker's Header Data flag
     * @param data           the Header Data (empty when {@code hasData} is false)
     */
    record Unknown(int type, boolean mustUnderstand, boolean hasData, ByteString data) implements HeaderOption {

        /** Validates ranges. */
        public Unknown {
            if (type < 0 || type > TYPE_MASK || type == TYPE_SECURE_PATH || type == TYPE_PROPRIETARY) {
                throw new IllegalArgumentException("not an unknown option type: " + type);
            }
            Checks.notNull("data", data);
            if (!hasData && !data.isEmpty()) {
                throw new IllegalArgumentException("an option without the Header Data flag has no data");
            }
            Checks.u16("header length", data.size());
        }
    }
}
