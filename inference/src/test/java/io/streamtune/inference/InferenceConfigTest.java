package io.streamtune.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.Task;
import io.streamtune.runtime.ConfigException;
import io.streamtune.runtime.ConfigSource;
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

    @Test
    void shouldWarnOnceNamingTheClosestKeyForAMistypedPerModelSetting() {
        var logger =
                (ch.qos.logback.classic.Logger)
                        org.slf4j.LoggerFactory.getLogger(InferenceConfig.class);
        var appender =
                new ch.qos.logback.core.read.ListAppender<
                        ch.qos.logback.classic.spi.ILoggingEvent>();
        appender.start();
        logger.addAppender(appender);
        try {
            List<InferenceConfig> all =
                    InferenceConfig.all(
                            ConfigSource.of(
                                    Map.of(
                                            "inference.models", "cars,scenes",
                                            "inference.models.cars.batch.max.sise", "4",
                                            "inference.models.scenes.batch.max.size", "2")));

            assertThat(all).extracting(InferenceConfig::maxBatch).containsExactly(8, 2);
            assertThat(appender.list)
                    .filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e.getFormattedMessage())
                                            .contains("'inference.models.cars.batch.max.sise'")
                                            .contains(
                                                    "did you mean"
                                                            + " 'inference.models.cars.batch.max.size'"));
        } finally {
            logger.detachAppender(appender);
        }
    }
}
