package io.streamtune.trainer.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.trainer.dataset.Split.Part;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void shouldAssignEverySampleToOnePartOfAboutItsShare() {
        Map<Part, Integer> counts = new EnumMap<>(Part.class);
        for (int i = 0; i < 10_000; i++) {
            String id = String.format("%064x", i * 7919L);
            Part p = Split.of(id, 20, 15);
            assertThat(Split.of(id, 20, 15)).isEqualTo(p);
            counts.merge(p, 1, Integer::sum);
        }

        assertThat(counts.get(Part.GATE)).isBetween(1800, 2200);
        assertThat(counts.get(Part.SELECTION)).isBetween(1300, 1700);
        assertThat(counts.get(Part.TRAIN)).isBetween(6300, 6700);
    }

    @Test
    void shouldNeverMoveASampleWhenOtherSamplesArrive() {
        // The part depends on the id alone: the same ids keep their parts in a larger dataset.
        Map<String, Part> before = new java.util.HashMap<>();
        for (int i = 0; i < 500; i++) {
            String id = "sample-" + i;
            before.put(id, Split.of(id, 20, 15));
        }
        for (int i = 500; i < 5_000; i++) {
            Split.of("sample-" + i, 20, 15);
        }
        before.forEach((id, part) -> assertThat(Split.of(id, 20, 15)).isEqualTo(part));
    }

    @Test
    void shouldRejectSharesThatDoNotFit() {
        assertThatThrownBy(() -> Split.of("x", 60, 50)).hasMessageContaining("at most 100");
    }
}
