package org.bacnetsc.examples.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DecodeResult;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.codec.HubRewrite;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Codec and hub-rewrite costs per frame. Run with {@code bsc microbench Codec}. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {

    private static final Vmac SENDER = Vmac.parse("02:11:22:33:44:55");

    private ByteString specExample;
    private ByteString npdu1497;
    private ByteString broadcast;
    private BvlcMessage message1497;
    private BvlcMessage connectRequest;

    /** Builds the frames. */
    @Setup
    public void setup() {
        specExample = Hex.parse("0107B5EC927BF71A96A2BF0007022BBAC5ECC0993F0003030939"
                + "0101040000010C0C000000051955");
        byte[] npdu = new byte[1497];
        for (int i = 0; i < npdu.length; i++) {
            npdu[i] = (byte) i;
        }
        message1497 = new BvlcMessage(0x1234, null, Vmac.parse("12:aa:bb:cc:dd:ee"), List.of(),
                List.of(HeaderOption.SecurePath.INSTANCE), new Payload.EncapsulatedNpdu(ByteString.fromArray(npdu)));
        npdu1497 = BvlcCodec.encode(message1497);
        broadcast = BvlcCodec.encode(message1497.withVmacs(null, Vmac.BROADCAST));
        connectRequest = BvlcMessage.of(7, new Payload.ConnectRequest(SENDER,
                org.bacnetsc.codec.DeviceUuid.random(), 1600, 1497));
    }

    /** Decode of the §16 example (two proprietary options, Secure Path, 13-octet NPDU). */
    @Benchmark
    public DecodeResult decodeSpecExample() {
        return BvlcCodec.decode(specExample);
    }

    /** Decode of a 1497-octet NPDU frame (the payload is a slice, not a copy). */
    @Benchmark
    public DecodeResult decodeNpdu1497() {
        return BvlcCodec.decode(npdu1497);
    }

    /** Encode of a 1497-octet NPDU frame. */
    @Benchmark
    public ByteString encodeNpdu1497() {
        return BvlcCodec.encode(message1497);
    }

    /** Encode of a Connect-Request. */
    @Benchmark
    public ByteString encodeConnectRequest() {
        return BvlcCodec.encode(connectRequest);
    }

    /** The hub's unicast rewrite of a 1497-octet NPDU frame. */
    @Benchmark
    public ByteString hubRewriteUnicast() {
        return HubRewrite.toNode(npdu1497, SENDER);
    }

    /** The hub's broadcast rewrite of a 1497-octet NPDU frame. */
    @Benchmark
    public ByteString hubRewriteBroadcast() {
        return HubRewrite.toNode(broadcast, SENDER);
    }
}
