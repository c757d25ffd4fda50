package io.streamtune.testkit;

import static io.streamtune.testkit.Eventually.eventually;
import static io.streamtune.testkit.Eventually.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

    @Test
    void retriesAnAssertionUntilItPasses() {
        AtomicInteger calls = new AtomicInteger();
        eventually(Duration.ofSeconds(5), () -> assertEquals(3, calls.incrementAndGet()));
        assertEquals(3, calls.get());
    }

    @Test
    void failsAtTheDeadlineWithTheLastFailureAsCause() {
        long start = System.nanoTime();
        AssertionError e =
                assertThrows(
                        AssertionError.class,
                        () -> eventually(Duration.ofMillis(200), () -> assertEquals(1, 2, "ones")));
        assertTrue(System.nanoTime() - start >= 200_000_000L, "waited the whole timeout");
        assertTrue(e.getMessage().contains("within 200 ms"), e.getMessage());
        assertTrue(e.getMessage().contains("ones"), e.getMessage());
        assertTrue(e.getCause() instanceof AssertionError);
    }

    @Test
    void returnsTheFirstAcceptedValueAndTreatsExceptionsAsNotYet() {
        AtomicInteger calls = new AtomicInteger();
        int got =
                eventually(
                        Duration.ofSeconds(5),
                        () -> {
                            int n = calls.incrementAndGet();
                            if (n == 1) {
                                throw new IllegalStateException("not ready");
                            }
                            return n;
                        },
                        n -> n >= 4);
        assertEquals(4, got);
    }

    @Test
    void untilNamesWhatWasAwaited() {
        AssertionError e =
                assertThrows(
                        AssertionError.class,
                        () -> until(Duration.ofMillis(50), "the broker to start", () -> false));
        assertTrue(e.getMessage().contains("the broker to start"), e.getMessage());
        until(Duration.ofSeconds(1), "true", () -> true);
    }
}
