package io.streamtune.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.Lineage;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelRejected.Verdict;
import io.streamtune.contracts.Task;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunChecksTest {

    private static ModelPublished production(Lineage lineage) {
        return new ModelPublished(
                "cams",
                3,
                2,
                Task.CLASSIFICATION,
                List.of("a", "b"),
                "accuracy",
                0.9,
                Map.of(),
                new ArtifactRef("file:///models/cams/3.onnx", "0".repeat(64), 10, 1),
                Map.of(),
                Instant.parse("2026-12-03T10:00:00Z"),
                null,
                lineage,
                null);
    }

    private static Lineage lineage(String data, String settings) {
        return new Lineage("zoo", data, 10, 2, 4, settings);
    }

    @Test
    void shouldStartARunWithEnoughSamplesToTrainAndSelect() {
        assertThat(RunChecks.tooFew("samples", new RunChecks.Counts(6, 2, 4, 0), 12)).isEmpty();
    }

    @Test
    void shouldNameEverySplitWhenThereAreTooFewSamples() {
        assertThat(RunChecks.tooFew("samples", new RunChecks.Counts(6, 2, 3, 5), 12))
                .hasValue(
                        "not enough usable samples: 6 train / 2 selection / 3 gate (5 skipped),"
                                + " need 12");
    }

    @Test
    void shouldRefuseARunWithNothingToTrainOrSelectOnWhateverTheTotal() {
        assertThat(RunChecks.tooFew("content images", new RunChecks.Counts(1, 5, 50, 0), 10))
                .hasValueSatisfying(m -> assertThat(m).startsWith("not enough usable content"));
        assertThat(RunChecks.tooFew("samples", new RunChecks.Counts(40, 0, 50, 0), 10)).isPresent();
    }

    @Test
    void shouldRefuseToRetrainOnTheDataAndSettingsProductionWasTrainedOn() {
        Optional<RunChecks.Refusal> r =
                RunChecks.unchanged(
                        Optional.of(production(lineage("d1", "s1"))), "d1", "s1", "16 samples");

        assertThat(r)
                .hasValueSatisfying(
                        refusal -> {
                            assertThat(refusal.verdict()).isEqualTo(Verdict.UNCHANGED);
                            assertThat(refusal.reason())
                                    .startsWith("production v3 was trained on the same 16 samples");
                        });
    }

    @Test
    void shouldRetrainWhenDataOrSettingsChangedOrProductionHasNoLineage() {
        var prod = Optional.of(production(lineage("d1", "s1")));
        assertThat(RunChecks.unchanged(prod, "d2", "s1", "x")).isEmpty();
        assertThat(RunChecks.unchanged(prod, "d1", "s2", "x")).isEmpty();
        assertThat(RunChecks.unchanged(Optional.of(production(null)), "d1", "s1", "x")).isEmpty();
        assertThat(RunChecks.unchanged(Optional.empty(), "d1", "s1", "x")).isEmpty();
    }

    @Test
    void shouldRefuseWithoutEnoughGateEvidence() {
        assertThat(RunChecks.notEnoughEvidence(Optional.of("4 gate samples, need 20")))
                .hasValue(
                        new RunChecks.Refusal(
                                Verdict.NOT_ENOUGH_EVIDENCE,
                                "not enough evidence to judge: 4 gate samples, need 20; not"
                                        + " trained"));
        assertThat(RunChecks.notEnoughEvidence(Optional.empty())).isEmpty();
    }
}
