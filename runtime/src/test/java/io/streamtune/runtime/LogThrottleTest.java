package io.streamtune.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private final AtomicLong now = new AtomicLong();
    private final LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10), 3, now::get);

    @Test
    void shouldLetABurstThroughPerWindowAndCountTheRest() {
        assertThat(throttle.admit("corrupt")).isZero();
        assertThat(throttle.admit("corrupt")).isZero();
        assertThat(throttle.admit("corrupt")).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(throttle.admit("corrupt")).isEqualTo(-1);
        }
        // another reason has its own budget
        assertThat(throttle.admit("too_large")).isZero();

        now.addAndGet(Duration.ofSeconds(10).toNanos());

        // the first line of the next window says how many were left out
        assertThat(throttle.admit("corrupt")).isEqualTo(1000);
        assertThat(throttle.admit("corrupt")).isZero();
        assertThat(LogThrottle.note(1000)).isEqualTo(" (1000 more like it not logged)");
        assertThat(LogThrottle.note(0)).isEmpty();
    }
}
