package org.bacnetsc.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code bsc microbench}: runs the JMH micro-benchmarks packed into this jar. */
@Command(name = "microbench",
        description = {"Run the JMH micro-benchmarks (codec decode/encode, hub rewrite).",
            "Every argument goes to JMH unchanged, e.g. 'bsc microbench -f 1 -wi 3 -i 5 Codec'; "
                + "'bsc microbench -h' lists JMH's options."})
public final class MicrobenchCommand implements Callable<Integer> {

    @Unmatched
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
        return 0;
    }
}
