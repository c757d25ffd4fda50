package io.streamtune.vision.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaArtifactLocationTest {

    @Test
    void shouldParseTopicModelVersionAndOffsetHints() throws Exception {
        var location =
                KafkaArtifactStore.Location.parse(
                        "kafka:prod.models.artifacts/cars/12?offsets=0:40,2:7");

        assertThat(location.topic()).isEqualTo("prod.models.artifacts");
        assertThat(location.model()).isEqualTo("cars");
        assertThat(location.version()).isEqualTo(12);
        assertThat(location.offsets()).isEqualTo(Map.of(0, 40L, 2, 7L));
    }

    @Test
    void shouldAcceptAUriWithoutHints() throws Exception {
        var location = KafkaArtifactStore.Location.parse("kafka:models.artifacts/cars/1");

        assertThat(location.offsets()).isEmpty();
    }

    @Test
    void shouldRejectAMalformedUri() {
        assertThatThrownBy(() -> KafkaArtifactStore.Location.parse("kafka:models.artifacts/cars"))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("kafka:<topic>/<model>/<version>");
        assertThatThrownBy(
                        () -> KafkaArtifactStore.Location.parse("kafka:models.artifacts/Cars!/1"))
                .isInstanceOf(ArtifactException.class);
    }
}
