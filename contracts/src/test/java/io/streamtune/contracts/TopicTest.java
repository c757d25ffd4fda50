package io.streamtune.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TopicTest {

    private final Topic<String, TrainingRequested> requests =
            Topics.TRAINING_REQUESTS.withPrefix("site-a.");

    @Test
    void shouldWriteARecordByTheTopicsSerdesUnderItsPrefixedName() {
        TrainingRequested value =
                new TrainingRequested("cams", "labeller", Instant.parse("2026-12-03T10:00:00Z"));

        var record = requests.record("cams", value);

        assertThat(record.topic()).isEqualTo("site-a.training.requests");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("cams");
        assertThat(requests.value(record.value())).isEqualTo(value);
        assertThat(record.value()).isEqualTo(requests.bytes(value));
    }

    @Test
    void shouldWriteANullValueAsATombstone() {
        var record = Topics.MODELS_CANDIDATES.record("cams", null);

        assertThat(record.value()).isNull();
        assertThat(Topics.MODELS_CANDIDATES.value(null)).isNull();
    }

    @Test
    void shouldRefuseBytesThatAreNotTheTopicsValue() {
        assertThatThrownBy(() -> requests.value("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RuntimeException.class);
    }
}
