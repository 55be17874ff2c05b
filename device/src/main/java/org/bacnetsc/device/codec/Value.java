package org.bacnetsc.device.codec;

import org.apache.pekko.util.ByteString;

/** A primitive value of one of the thirteen application tags (Clause 20.2.2-20.2.14). */
public sealed interface Value {

    /** The application tag number of this value's type (0-12). */
    int tag();

    /** Null (tag 0). */
    enum Null implements Value {
        INSTANCE;

        @Override
        public int tag() {
            return 0;
        }
    }

    /** Boolean (tag 1). */
    record Bool(boolean value) implements Value {
        @Override
        public int tag() {
            return 1;
        }
    }

    /** Unsigned Integer (tag 2), 0 to 2^64 - 1 held in a long read as unsigned. */
    record Unsigned(long value) implements Value {
        @Override
        public int tag() {
            return 2;
        }
    }

    /** Signed Integer (tag 3). */
    record Signed(long value) implements Value {
        @Override
        public int tag() {
            return 3;
        }
    }

    /** Real (tag 4), IEEE-754 single. */
    record Real(float value) implements Value {
        @Override
        public int tag() {
            return 4;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Real r && Float.floatToRawIntBits(r.value) == Float.floatToRawIntBits(value);
        }

        @Override
        public int hashCode() {
            return Float.floatToRawIntBits(value);
        }
    }

    /** Double (tag 5), IEEE-754 double. */
    record DoubleValue(double value) implements Value {
        @Override
        public int tag() {
            return 5;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DoubleValue d
                    && Double.doubleToRawLongBits(d.value) == Double.doubleToRawLongBits(value);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(Double.doubleToRawLongBits(value));
        }
    }

    /** Octet String (tag 6). */
    record OctetString(ByteString value) implements Value {
        @Override
        public int tag() {
            return 6;
        }
    }

    /**
     * Character String (tag 7): the character set's number and the encoded characters. We send UTF-8 (set 0) only.
     *
     * @param charset 0 UTF-8, 1 DBCS, 2 JIS X 0208, 3 UCS-4, 4 UCS-2, 5 ISO 8859-1
     * @param octets  the characters as encoded
     */
    record CharacterString(int charset, ByteString octets) implements Value {
        /** A UTF-8 string. */
        public static CharacterString utf8(String s) {
            return new CharacterString(0, ByteString.fromString(s, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public int tag() {
            return 7;
        }

        /** The text, for the character sets we read (UTF-8 and ISO 8859-1); empty for the others. */
        public java.util.Optional<String> text() {
            return switch (charset) {
                case 0 -> java.util.Optional.of(octets.decodeString(java.nio.charset.StandardCharsets.UTF_8));
                case 5 -> java.util.Optional.of(octets.decodeString(java.nio.charset.StandardCharsets.ISO_8859_1));
                default -> java.util.Optional.empty();
            };
        }
    }

    /**
     * Bit String (tag 8).
     *
     * @param bits the bits, bit 0 first (the most significant bit of the first octet)
     */
    record BitString(java.util.List<Boolean> bits) implements Value {
        /** Copies {@code bits}. */
        public BitString {
            bits = java.util.List.copyOf(bits);
        }

        @Override
        public int tag() {
            return 8;
        }
    }

    /** Enumerated (tag 9), as Unsigned. */
    record Enumerated(long value) implements Value {
        @Override
        public int tag() {
            return 9;
        }
    }

    /**
     * Date (tag 10); 255 in any field: unspecified.
     *
     * @param yearMinus1900 0-254, 255 unspecified
     * @param month         1-12, 13 odd months, 14 even months, 255 unspecified
     * @param day           1-31, 32 last day, 33 odd days, 34 even days, 255 unspecified
     * @param weekday       1 Monday - 7 Sunday, 255 unspecified
     */
    record Date(int yearMinus1900, int month, int day, int weekday) implements Value {
        @Override
        public int tag() {
            return 10;
        }
    }

    /**
     * Time (tag 11); 255 in any field: unspecified.
     *
     * @param hour       0-23
     * @param minute     0-59
     * @param second     0-59
     * @param hundredths 0-99
     */
    record Time(int hour, int minute, int second, int hundredths) implements Value {
        @Override
        public int tag() {
            return 11;
        }
    }

    /**
     * BACnetObjectIdentifier (tag 12).
     *
     * @param objectType 0-1023 (8 device, 10 file, 56 network-port)
     * @param instance   0-4194303 (4194303: the wildcard)
     */
    record ObjectId(int objectType, int instance) implements Value {
        /** Validates the ranges of the 10 and 22 bits. */
        public ObjectId {
            if (objectType < 0 || objectType > 1023 || instance < 0 || instance > 4194303) {
                throw new IllegalArgumentException("object type 0-1023 and instance 0-4194303, got " + objectType
                        + ", " + instance);
            }
        }

        @Override
        public int tag() {
            return 12;
        }
    }
}
