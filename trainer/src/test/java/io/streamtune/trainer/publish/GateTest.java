package io.streamtune.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GateTest {

    private final Gate gate = new Gate(0.01, 0.6);

    @Test
    void shouldRejectACandidateThatDoesNotBeatProductionByTheMargin() {
        Gate.Decision d = gate.decide("accuracy", 0.905, 0.90);

        assertThat(d.publish()).isFalse();
        assertThat(d.reason()).contains("0.9050").contains("0.9000").contains("0.0100");
    }

    @Test
    void shouldPublishACandidateThatBeatsProductionByTheMargin() {
        assertThat(gate.decide("accuracy", 0.92, 0.90).publish()).isTrue();
    }

    @Test
    void shouldJudgeAFirstModelAgainstTheFloor() {
        assertThat(gate.decide("miou", 0.61, Double.NaN).publish()).isTrue();
        assertThat(gate.decide("miou", 0.59, Double.NaN).publish()).isFalse();
    }

    @Test
    void shouldNeverPublishANonFiniteCandidate() {
        assertThat(gate.decide("accuracy", Double.NaN, Double.NaN).publish()).isFalse();
        assertThat(gate.decide("accuracy", Double.POSITIVE_INFINITY, 0.5).publish()).isFalse();
    }
}
