package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopDispatcherTest {

    private static final String LOOP_THREAD = "bacnet-sc-nio-selector-";

    @Test
    void workFromOutsideGoesToALoopAndWorkFromALoopStaysOnIt() throws Exception {
        ExecutorService executor = LoopDispatcher.forTests();
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        executor.execute(() -> {
            first.complete(Thread.currentThread().getName());
            executor.execute(() -> second.complete(Thread.currentThread().getName()));
        });
        String loop = first.get(10, TimeUnit.SECONDS);
        assertTrue(loop.startsWith(LOOP_THREAD), loop);
        assertEquals(loop, second.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFailingTaskDoesNotStopTheLoop() throws Exception {
        ExecutorService executor = LoopDispatcher.forTests();
        CompletableFuture<String> after = new CompletableFuture<>();
        executor.execute(() -> {
            String here = Thread.currentThread().getName();
            executor.execute(() -> {
                throw new IllegalStateException("one task's trouble (expected in this test)");
            });
            executor.execute(() -> after.complete(here.equals(Thread.currentThread().getName()) ? "same loop" : "moved"));
        });
        assertEquals("same loop", after.get(10, TimeUnit.SECONDS));
    }
}
