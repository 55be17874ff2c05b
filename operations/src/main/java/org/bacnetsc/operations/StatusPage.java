package org.bacnetsc.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The operations endpoint's {@code GET /}: one HTML page with its script inline, no external resources, that renders
 * a hub's, a node's or a router's {@code /status} by its {@code kind}.
 */
final class StatusPage {

    /** The page, read once from the class path. */
    static final String HTML = read();

    private StatusPage() {
    }

    private static String read() {
        try (InputStream in = StatusPage.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
