package io.streamtune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.Task;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnouncementSignerTest {

    private static final String KEY = "6b2f8e1d4a9c7035e2f1b8d6a4c09e7f";

    private static AnnouncementSigner signer(String key) {
        return AnnouncementSigner.from(ConfigSource.of(Map.of(AnnouncementSigner.KEY, key)))
                .orElseThrow();
    }

    private static ModelPublished announcement(String uri) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String m : List.of("accuracy", "top5", "macro_f1", "a", "b", "c", "d", "e")) {
            metrics.put(m, 0.5);
        }
        return new ModelPublished(
                "cars",
                3,
                2,
                Task.CLASSIFICATION,
                List.of("a", "b"),
                "accuracy",
                0.9,
                metrics,
                new ArtifactRef(uri, "a".repeat(64), 100, 1),
                Map.of(0, 1L, 1, 2L, 2, 3L, 3, 4L, 4, 5L),
                Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void shouldVerifyItsOwnSignatureAfterAJsonRoundTripAndNothingElse() {
        AnnouncementSigner signer = signer(KEY);
        ModelPublished signed = signer.sign(announcement("kafka:models.artifacts/cars/3"));
        var serde = JsonSerde.of(ModelPublished.class);

        ModelPublished read = serde.fromBytes(serde.toBytes(signed));

        assertThat(signer.verify(read)).isTrue();
        assertThat(signer.verify(announcement("kafka:models.artifacts/cars/3"))).isFalse();
        ModelPublished redirected =
                announcement("file:///dev/zero").withSignature(signed.signature());
        assertThat(signer.verify(redirected)).as("the artifact is covered").isFalse();
        assertThat(signer(KEY.replace('6', '7')).verify(read)).isFalse();
    }

    @Test
    void shouldRefuseAPlaceholderOrShortKeyAndAllowNone() {
        assertThat(AnnouncementSigner.from(ConfigSource.of(Map.of()))).isEmpty();
        for (String bad :
                List.of(
                        "CHANGE-ME",
                        "CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME",
                        "abc123",
                        "a".repeat(40))) {
            assertThatThrownBy(
                            () ->
                                    AnnouncementSigner.from(
                                            ConfigSource.of(Map.of(AnnouncementSigner.KEY, bad))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(AnnouncementSigner.KEY)
                    .hasMessageNotContaining(bad);
        }
    }
}
