package io.streamtune.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.runtime.ConfigException;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.trainer.pretrain.Pretrainer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {

    @Test
    void shouldUseTheDocumentedDefaults() {
        TrainerConfig c = TrainerConfig.from(ConfigSource.of(Map.of()));

        assertThat(c.dataDir()).isEqualTo(Path.of(".streamtune"));
        assertThat(c.schedule().headEpochs()).isEqualTo(8);
        assertThat(c.schedule().unfreezeBlocks()).isEqualTo(2);
        assertThat(c.schedule().fineTuneFactor()).isEqualTo(0.1);
        assertThat(c.artifactStore()).isEqualTo(TrainerConfig.ArtifactStoreKind.KAFKA);
        assertThat(c.pretrain()).isEqualTo(Pretrainer.Options.defaults());
        assertThat(c.torchThreads()).isEqualTo(1);
        assertThat(c.baseModelFor("anything")).isNull();
        assertThat(c.gatePercent()).isEqualTo(20);
        assertThat(c.selectionPercent()).isEqualTo(15);
        assertThat(c.gate())
                .isEqualTo(
                        new io.streamtune.trainer.gate.Gate.Settings(
                                0.0, 0.5, 0.95, 2000, 20, 3, 0.2));
    }

    @Test
    void shouldRefuseSettingsThatWouldLetTheGateBeFooled() {
        assertThatThrownBy(
                        () ->
                                TrainerConfig.from(
                                        ConfigSource.of(Map.of("trainer.gate.min.delta", "-0.05"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.gate.min.delta");
        assertThatThrownBy(
                        () ->
                                TrainerConfig.from(
                                        ConfigSource.of(
                                                Map.of("trainer.validation.percent", "20"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.split.gate.percent");
        assertThatThrownBy(
                        () ->
                                TrainerConfig.from(
                                        ConfigSource.of(
                                                Map.of(
                                                        "trainer.split.gate.percent",
                                                        "60",
                                                        "trainer.split.selection.percent",
                                                        "40"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.split.selection.percent");
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertThatThrownBy(
                        () ->
                                TrainerConfig.from(
                                        ConfigSource.of(Map.of("trainer.finetune.lr.factor", "2"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.finetune.lr.factor");
        assertThatThrownBy(
                        () ->
                                TrainerConfig.from(
                                        ConfigSource.of(Map.of("trainer.input.size", "30"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.input.size");
        assertThatThrownBy(
                        () ->
                                TrainerConfig.from(
                                        ConfigSource.of(
                                                Map.of(
                                                        "trainer.model.cats.base",
                                                        "/no/such.onnx"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.model.cats.base");
        assertThatThrownBy(
                        () ->
                                TrainerConfig.from(
                                        ConfigSource.of(Map.of("trainer.artifact.store", "s3"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.artifact.store");
    }
}
