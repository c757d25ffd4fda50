package io.streamtune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

    @Test
    void shouldMapEnvironmentVariablesToDottedKeysWithOverridesWinning(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("s.properties");
        Files.writeString(file, "http.port=1000\nbatch.size=3\n");

        var config =
                ConfigSource.fromEnvironment(
                        Map.of(
                                "STREAMTUNE_CONFIG_FILE",
                                file.toString(),
                                "STREAMTUNE_HTTP_PORT",
                                "2000",
                                "STREAMTUNE_KAFKA_SASL_JAAS_CONFIG",
                                "x",
                                "HOME",
                                "/root"),
                        Map.of("batch.size", "4"));

        assertThat(config.integer("http.port", 1, 0, 65535)).isEqualTo(2000);
        assertThat(config.integer("batch.size", 1, 1, 64)).isEqualTo(4);
        assertThat(config.withPrefix("kafka.")).containsEntry("sasl.jaas.config", "x");
        assertThat(config.asMap()).doesNotContainKey("home");
    }

    @Test
    void shouldNameTheKeyAndItsEnvVariableWhenAValueIsInvalid() {
        var config =
                ConfigSource.of(
                        Map.of("http.port", "eighty", "max.wait", "soon", "enabled", "maybe"));

        assertThatThrownBy(() -> config.integer("http.port", 1, 0, 65535))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'http.port'")
                .hasMessageContaining("STREAMTUNE_HTTP_PORT")
                .hasMessageContaining("eighty");
        assertThatThrownBy(() -> config.duration("max.wait", Duration.ZERO))
                .hasMessageContaining("'max.wait'");
        assertThatThrownBy(() -> config.bool("enabled", true)).hasMessageContaining("'enabled'");
        assertThatThrownBy(() -> config.required("missing.key"))
                .hasMessageContaining("'missing.key'");
    }

    @Test
    void shouldParseDurationsSizesAndRanges() {
        var config = ConfigSource.of(Map.of("a", "250ms", "b", "PT2M", "c", "8MiB", "d", "70000"));

        assertThat(config.duration("a", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(config.duration("b", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.size("c", 0, 0, Long.MAX_VALUE)).isEqualTo(8L << 20);
        assertThatThrownBy(() -> config.integer("d", 1, 0, 65535)).hasMessageContaining("0..65535");
    }

    @Test
    void shouldPassKafkaClientPropertiesThroughAndCheckBootstrapServers() {
        var config =
                ConfigSource.of(
                        Map.of(
                                "kafka.bootstrap.servers",
                                "b1:9092,b2:9093",
                                "kafka.security.protocol",
                                "SASL_SSL",
                                "topic.prefix",
                                "site1."));

        var kafka = KafkaSettings.from(config);

        assertThat(kafka.producer("p"))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("bootstrap.servers", "b1:9092,b2:9093")
                .containsEntry("send.buffer.bytes", "-1");
        assertThat(
                        KafkaSettings.from(
                                        ConfigSource.of(
                                                Map.of(
                                                        "kafka.bootstrap.servers",
                                                        "b1:9092",
                                                        "kafka.send.buffer.bytes",
                                                        "131072")))
                                .producer("p"))
                .as("an explicit kafka.send.buffer.bytes wins")
                .containsEntry("send.buffer.bytes", "131072");
        assertThat(kafka.topic("frames")).isEqualTo("site1.frames");
        assertThatThrownBy(
                        () ->
                                KafkaSettings.from(
                                        ConfigSource.of(
                                                Map.of("kafka.bootstrap.servers", "nohostport"))))
                .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void shouldReportOwnedKeysNothingReadWithTheClosestKnownOne() {
        ConfigSource base =
                ConfigSource.of(
                        java.util.Map.of(
                                "trainer.epoch.head", "5",
                                "trainer.lr", "0.01",
                                "trainer.model.cats.base", "x.onnx",
                                "kafka.acks", "all",
                                "inference.threads", "2"));
        ConfigSource derived = base.with(java.util.Map.of("http.port", "1"));
        derived.integer("trainer.epochs.head", 12, 1, 100);
        derived.decimal("trainer.lr", 0.003, 0, 1);
        derived.withPrefix("trainer.model.");

        assertThat(base.unknownKeys(java.util.List.of("trainer.")))
                .containsExactly("trainer.epoch.head");
        assertThat(base.closestKnown("trainer.epoch.head")).isEqualTo("trainer.epochs.head");
        assertThat(base.closestKnown("completely.else")).isNull();
        // keys of prefixes nobody claims are not judged
        assertThat(base.unknownKeys(java.util.List.of("trainer."))).doesNotContain("kafka.acks");
        assertThat(base.unknownKeys(java.util.List.of("inference.")))
                .containsExactly("inference.threads");
    }

    @Test
    void shouldReadAFamilyOfKeysByNameAndLeaveAMistypedSuffixUnknown() {
        ConfigSource c =
                ConfigSource.of(
                        java.util.Map.of(
                                "model.pets.classes", "cat, dog",
                                "model.cars.clases", "car",
                                "model..classes", "empty name",
                                "models.signing.key", "not this family"));

        assertThat(c.family("model.", ".classes")).containsExactly(entry("pets", "cat, dog"));
        assertThat(c.unknownKeys(java.util.List.of("model.")))
                .containsExactlyInAnyOrder("model.cars.clases", "model..classes");
        assertThat(c.closestKnown("model.cars.clases")).isEqualTo("model.pets.classes");
    }
}
