package org.bacnetsc.network;

/** The network priority, control bits 1-0 (Clause 6.2.2). */
public enum NetworkPriority {
    NORMAL, URGENT, CRITICAL_EQUIPMENT, LIFE_SAFETY;

    /** The two control bits. */
    public int bits() {
        return ordinal();
    }

    /** The priority of the two low control bits. */
    public static NetworkPriority ofBits(int control) {
        return values()[control & 0x03];
    }
}
