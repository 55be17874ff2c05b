package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main code of any module uses another library's internal packages (Pekko HTTP's {@code impl} WebSocket framing
 * above all): they carry no stability promise and no limits we control.
 */
class NoInternalApiTest {

    /** A qualified name through an {@code impl} or {@code internal} package of someone else's. */
    private static final Pattern INTERNAL = Pattern.compile(
            "\\b(?:org|com|io|net|scala|akka)\\.[\\w.]*?\\.(?:impl|internal)\\.[\\w.$]+");

    static List<String> internalUses(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")
                    && p.toString().contains("src" + java.io.File.separator + "main"))::iterator) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = INTERNAL.matcher(lines.get(i));
                    if (m.find()) {
                        found.add(root.relativize(f) + ":" + (i + 1) + " " + m.group());
                    }
                }
            }
        }
        return found;
    }

    @Test
    void noMainClassOfAnyModuleUsesAnotherLibrarysInternalPackages() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isDirectory(root.resolve("node-runtime/src/main/java")), "repository root at " + root);
        assertTrue(Files.isDirectory(root.resolve("hub-actor/src/main/java")), "repository root at " + root);
        assertEquals(List.of(), internalUses(root));
    }

    @Test
    void theCheckFindsAnInternalImportAndAFullyQualifiedUse(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path main = Files.createDirectories(dir.resolve("m/src/main/java/x"));
        Files.writeString(main.resolve("A.java"), "package x;\nimport org.apache.pekko.http.impl.engine.ws.FrameEvent;"
                + "\nclass A { Object o = org.apache.pekko.stream.impl.fusing.Map.class; }\n");
        Files.writeString(main.resolve("B.java"), "package x;\nimport org.apache.pekko.http.javadsl.Http;\n");
        List<String> found = internalUses(dir);
        assertEquals(2, found.size(), found.toString());
        assertTrue(found.get(0).contains("org.apache.pekko.http.impl.engine.ws.FrameEvent"), found.toString());
    }
}
