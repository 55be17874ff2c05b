package org.bacnetsc.examples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bsc microbench}: runs the JMH micro-benchmarks packed into this jar. */
@Command(name = "microbench", mixinStandardHelpOptions = true,
        description = {"Run the JMH micro-benchmarks (codec decode/encode, hub rewrite).",
            "Arguments go to JMH unchanged, e.g. 'bsc microbench -f 1 -wi 3 -i 5 Codec'; '-h' after '--' "
                + "lists JMH's options."})
final class MicrobenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "JMH-ARGS", description = "arguments for JMH")
    List<String> jmhArgs = List.of();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
        return 0;
    }
}
