package org.bacnetsc.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The used heap of a local JVM after a full GC, read with the JDK's {@code jcmd}. */
public final class HubHeap {

    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private HubHeap() {
    }

    /**
     * Runs a full GC in process {@code pid} and returns its used heap in bytes, or -1 when it cannot be read.
     *
     * @param pid a JVM on this machine started by the same user
     */
    public static long usedAfterGc(long pid) {
        try {
            jcmd(pid, "GC.run");
            return parseUsed(jcmd(pid, "GC.heap_info"));
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The used bytes of a {@code GC.heap_info} report (the first heap line), or -1. */
    static long parseUsed(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(List.of(jcmd, Long.toString(pid), command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + out);
        }
        return out;
    }
}
