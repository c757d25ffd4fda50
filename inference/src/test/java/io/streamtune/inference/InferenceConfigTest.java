package io.streamtune.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.runtime.ConfigException;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.vision.model.Task;
import io.streamtune.vision.preprocess.ResizeMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceConfigTest {

    @Test
    void shouldDefaultToAtLeastOnceSmallBatchesAndWaitingForAModel() {
        var config = InferenceConfig.from(ConfigSource.of(Map.of()));

        assertThat(config.model()).isEqualTo("default");
        assertThat(config.groupId()).isEqualTo("inference-default");
        assertThat(config.maxBatch()).isEqualTo(8);
        assertThat(config.maxWait()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.delivery()).isEqualTo(InferenceConfig.Delivery.AT_LEAST_ONCE);
        assertThat(config.noModelPolicy()).isEqualTo(InferenceConfig.NoModelPolicy.WAIT);
        assertThat(config.followPublished()).isTrue();
        assertThat(config.modelFile()).isEmpty();
    }

    @Test
    void shouldReadDeliveryPolicyAndOverridesForAModelWithoutMetadata() {
        var config =
                InferenceConfig.from(
                        ConfigSource.of(
                                Map.of(
                                        "inference.model", "cars",
                                        "inference.delivery", "exactly-once",
                                        "inference.no.model.policy", "dlq",
                                        "inference.model.task", "detection",
                                        "inference.model.classes", "car, truck",
                                        "inference.model.input.width", "640",
                                        "inference.model.resize", "letterbox")));

        assertThat(config.delivery()).isEqualTo(InferenceConfig.Delivery.EXACTLY_ONCE);
        assertThat(config.noModelPolicy()).isEqualTo(InferenceConfig.NoModelPolicy.DLQ);
        assertThat(config.overrides().task()).contains(Task.DETECTION);
        assertThat(config.overrides().classNames()).contains(List.of("car", "truck"));
        assertThat(config.overrides().inputWidth()).contains(640);
        assertThat(config.overrides().inputHeight()).contains(640);
        assertThat(config.overrides().resize()).contains(ResizeMode.LETTERBOX);
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertThatThrownBy(
                        () ->
                                InferenceConfig.from(
                                        ConfigSource.of(Map.of("inference.batch.max.size", "0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inference.batch.max.size");
        assertThatThrownBy(
                        () ->
                                InferenceConfig.from(
                                        ConfigSource.of(Map.of("inference.delivery", "twice"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inference.delivery");
        assertThatThrownBy(
                        () ->
                                InferenceConfig.from(
                                        ConfigSource.of(Map.of("inference.model", "Bad Name"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inference.model");
        assertThatThrownBy(
                        () ->
                                InferenceConfig.from(
                                        ConfigSource.of(
                                                Map.of("inference.model.task", "tracking"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inference.model.task");
        assertThatThrownBy(
                        () ->
                                InferenceConfig.from(
                                        ConfigSource.of(
                                                Map.of("inference.model.file", "/nope.onnx"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inference.model.file");
    }
}
