package io.streamtune.inference.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MicroBatcherTest {

    private static final long MS = 1_000_000;

    @Test
    void shouldRunAFullBatchAtOnceAndKeepTheRestInOrder() {
        var batcher = new MicroBatcher<Integer>(3, 20 * MS);
        for (int i = 0; i < 5; i++) {
            batcher.add(i, 0);
        }

        boolean due = batcher.due(0);
        var first = batcher.take();

        assertThat(due).isTrue();
        assertThat(first).containsExactly(0, 1, 2);
        assertThat(batcher.due(0)).isFalse();
        assertThat(batcher.take()).containsExactly(3, 4);
    }

    @Test
    void shouldHoldAPartialBatchUntilItsOldestItemHasWaitedMaxWait() {
        var batcher = new MicroBatcher<String>(8, 20 * MS);
        batcher.add("a", 100 * MS);
        batcher.add("b", 110 * MS);

        assertThat(batcher.due(119 * MS)).isFalse();
        assertThat(batcher.nanosUntilDue(115 * MS)).isEqualTo(5 * MS);
        assertThat(batcher.due(120 * MS)).isTrue();
        assertThat(batcher.nanosUntilDue(130 * MS)).isZero();
    }

    @Test
    void shouldNeverBeDueWhenEmpty() {
        var batcher = new MicroBatcher<String>(1, 0);

        assertThat(batcher.due(Long.MAX_VALUE)).isFalse();
        assertThat(batcher.nanosUntilDue(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(batcher.oldestAgeNanos(5)).isZero();
    }

    @Test
    void shouldDropOnlyTheItemsOfRevokedPartitions() {
        var batcher = new MicroBatcher<String>(8, MS);
        batcher.add("p0-1", 0);
        batcher.add("p1-1", 0);
        batcher.add("p0-2", 0);

        int dropped = batcher.removeIf(s -> s.startsWith("p0"));

        assertThat(dropped).isEqualTo(2);
        assertThat(batcher.drain()).containsExactly("p1-1");
        assertThat(batcher.isEmpty()).isTrue();
    }
}
