package io.streamtune.trainer.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void shouldAssignTheSameSampleToTheSameSideAndHoldOutAboutThePercent() {
        int held = 0;
        for (int i = 0; i < 10_000; i++) {
            String id = String.format("%064x", i * 7919L);
            boolean v = Split.isValidation(id, 20);
            assertThat(Split.isValidation(id, 20)).isEqualTo(v);
            held += v ? 1 : 0;
        }

        assertThat(held).isBetween(1800, 2200);
    }
}
