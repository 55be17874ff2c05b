package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.WsPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub out of file descriptors (the limit lowered under a running hub with {@code prlimit}) and connections still
 * arriving: the accepting loop pauses and logs instead of spinning on the failing accept, the hub stays up, and it
 * serves nodes again once descriptors are back.
 */
class DescriptorExhaustionTest {

    private static final String FAILED = "failed, accepting again in 100 ms";
    private static final Path LOG = Path.of("target", "forked-peer.log");

    @TempDir
    Path dir;

    @Test
    void outOfDescriptorsPausesAcceptingAndTheHubServesNodesAgainOnceTheyAreBack() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        long logStart = Files.exists(LOG) ? Files.size(LOG) : 0;
        try (FloodMemoryTest.Forked hub = new FloodMemoryTest.Forked("hub", pki.dir().toString())) {
            int port = Integer.parseInt(hub.expect("READY")[1]);
            URI uri = URI.create("wss://127.0.0.1:" + port + "/hub");
            // A first node, so that what serving a connection loads is loaded while descriptors are plenty: through
            // its end, which the hub handles after we close it (its log says when), and a status, which the hub
            // actor answers after that. Loading a class of the hub's own later could need a descriptor.
            Vmac first = Vmac.parse("02:00:00:00:0d:01");
            FloodMemoryTest.admitted(uri, pki, 1, first).close();
            awaitLog(logStart, "disconnected " + first + " ", 1);
            long failuresBefore = hub.ask("status", "STATUS")[7];
            long pid = hub.process.pid();
            String original = limit(pid, null);
            long open;
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                open = fds.count();
            }
            // Every failed accept of the hub happens while the limit is low: between these two instants.
            long lowered = System.nanoTime();
            limit(pid, Long.toString(open + 4));
            List<Socket> raw = new ArrayList<>();
            long restored;
            try {
                for (int i = 0; i < 32; i++) {
                    raw.add(new Socket("127.0.0.1", port)); // completed by the kernel, waiting to be accepted
                }
                // several failures: the hub keeps trying (after each pause) while connections wait
                awaitLog(logStart, FAILED, 3);
            } finally {
                for (Socket s : raw) {
                    s.close();
                }
                limit(pid, original);
                restored = System.nanoTime();
            }
            // descriptors are back: the listening socket accepts again and a node is admitted
            try (WsPeer again = FloodMemoryTest.admitted(uri, pki, 2, Vmac.parse("02:00:00:00:0d:02"))) {
                assertTrue(hub.process.isAlive());
            }
            long failures = newLog(logStart).lines().filter(l -> l.contains(FAILED)).count();
            // After a failed accept the hub pauses 100 ms before accepting again, so failures are at least 100 ms
            // apart: however slow the machine, the window the limit was low holds at most one more failure than
            // whole pauses. A loop spinning on the failing accept (or a shorter pause) logs many more.
            long pauses = (restored - lowered) / TimeUnit.MILLISECONDS.toNanos(100);
            assertTrue(failures >= 3 && failures <= pauses + 1, failures + " failed accepts logged in "
                    + (restored - lowered) / 1_000_000 + " ms with descriptors exhausted");
            // each one logged is counted (accept_failures in the hub's status and metrics)
            assertEquals(failuresBefore + failures, hub.ask("status", "STATUS")[7]);
        }
    }

    /** The soft limit on open files of {@code pid}, set to {@code value} first unless null. */
    private static String limit(long pid, String value) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("prlimit", "--pid", Long.toString(pid)));
        cmd.add(value == null ? "--nofile" : "--nofile=" + value + ":");
        cmd.addAll(List.of("--output", "SOFT", "--noheadings"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "prlimit: " + out);
        return out;
    }

    private static String newLog(long from) throws IOException {
        byte[] all = Files.readAllBytes(LOG);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8);
    }

    /**
     * Waits until the forked hub's log (since {@code from}) has {@code count} lines containing {@code text}. It is
     * another process's file, so it is polled; the deadline only bounds a hang, it asserts no speed.
     */
    private static void awaitLog(long from, String text, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (newLog(from).lines().filter(l -> l.contains(text)).count() < count) {
            assertTrue(System.nanoTime() < deadline, "the hub did not log \"" + text + "\" " + count + " times: "
                    + newLog(from));
            Thread.sleep(50); // polling another process's log file, not an in-process actor
        }
    }
}
