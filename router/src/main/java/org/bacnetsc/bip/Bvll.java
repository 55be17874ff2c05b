package org.bacnetsc.bip;

import java.util.List;
import org.apache.pekko.util.ByteString;

/** One BVLL message of Annex J (digest §8): one record per BVLC function. */
public sealed interface Bvll {

    /** Its function. */
    BvllFunction function();

    /**
     * One Broadcast Distribution Table entry.
     *
     * @param address the peer BBMD
     * @param mask    the broadcast distribution mask (all ones: send to the BBMD, which re-broadcasts)
     */
    record BdtEntry(BipAddress address, long mask) {
    }

    /**
     * One Foreign Device Table entry.
     *
     * @param address          the foreign device
     * @param timeToLive       the TTL it registered with, seconds
     * @param secondsRemaining seconds until the entry expires (grace included)
     */
    record FdtEntry(BipAddress address, int timeToLive, int secondsRemaining) {
    }

    /**
     * BVLC-Result.
     *
     * @param code the result code as sent ({@link BvllResult#find})
     */
    record Result(int code) implements Bvll {
        /** A known result. */
        public Result(BvllResult result) {
            this(result.code());
        }

        @Override
        public BvllFunction function() {
            return BvllFunction.BVLC_RESULT;
        }
    }

    /** Write-Broadcast-Distribution-Table. @param entries the new table */
    record WriteBdt(List<BdtEntry> entries) implements Bvll {
        /** Copies. */
        public WriteBdt {
            entries = List.copyOf(entries);
        }

        @Override
        public BvllFunction function() {
            return BvllFunction.WRITE_BROADCAST_DISTRIBUTION_TABLE;
        }
    }

    /** Read-Broadcast-Distribution-Table. */
    enum ReadBdt implements Bvll {
        INSTANCE;

        @Override
        public BvllFunction function() {
            return BvllFunction.READ_BROADCAST_DISTRIBUTION_TABLE;
        }
    }

    /** Read-Broadcast-Distribution-Table-Ack. @param entries the table */
    record ReadBdtAck(List<BdtEntry> entries) implements Bvll {
        /** Copies. */
        public ReadBdtAck {
            entries = List.copyOf(entries);
        }

        @Override
        public BvllFunction function() {
            return BvllFunction.READ_BROADCAST_DISTRIBUTION_TABLE_ACK;
        }
    }

    /**
     * Forwarded-NPDU.
     *
     * @param origin the B/IP address of the node that sent the NPDU (its MAC for the network layer)
     * @param npdu   the NPDU
     */
    record Forwarded(BipAddress origin, ByteString npdu) implements Bvll {
        @Override
        public BvllFunction function() {
            return BvllFunction.FORWARDED_NPDU;
        }
    }

    /** Register-Foreign-Device. @param timeToLive seconds */
    record RegisterForeignDevice(int timeToLive) implements Bvll {
        @Override
        public BvllFunction function() {
            return BvllFunction.REGISTER_FOREIGN_DEVICE;
        }
    }

    /** Read-Foreign-Device-Table. */
    enum ReadFdt implements Bvll {
        INSTANCE;

        @Override
        public BvllFunction function() {
            return BvllFunction.READ_FOREIGN_DEVICE_TABLE;
        }
    }

    /** Read-Foreign-Device-Table-Ack. @param entries the table */
    record ReadFdtAck(List<FdtEntry> entries) implements Bvll {
        /** Copies. */
        public ReadFdtAck {
            entries = List.copyOf(entries);
        }

        @Override
        public BvllFunction function() {
            return BvllFunction.READ_FOREIGN_DEVICE_TABLE_ACK;
        }
    }

    /** Delete-Foreign-Device-Table-Entry. @param address the entry's foreign device */
    record DeleteFdtEntry(BipAddress address) implements Bvll {
        @Override
        public BvllFunction function() {
            return BvllFunction.DELETE_FOREIGN_DEVICE_TABLE_ENTRY;
        }
    }

    /** Distribute-Broadcast-To-Network. @param npdu the NPDU */
    record DistributeBroadcast(ByteString npdu) implements Bvll {
        @Override
        public BvllFunction function() {
            return BvllFunction.DISTRIBUTE_BROADCAST_TO_NETWORK;
        }
    }

    /** Original-Unicast-NPDU. @param npdu the NPDU */
    record OriginalUnicast(ByteString npdu) implements Bvll {
        @Override
        public BvllFunction function() {
            return BvllFunction.ORIGINAL_UNICAST_NPDU;
        }
    }

    /** Original-Broadcast-NPDU. @param npdu the NPDU */
    record OriginalBroadcast(ByteString npdu) implements Bvll {
        @Override
        public BvllFunction function() {
            return BvllFunction.ORIGINAL_BROADCAST_NPDU;
        }
    }

    /** Secure-BVLL (Clause 24): kept, ignored. @param data its data */
    record SecureBvll(ByteString data) implements Bvll {
        @Override
        public BvllFunction function() {
            return BvllFunction.SECURE_BVLL;
        }
    }
}
