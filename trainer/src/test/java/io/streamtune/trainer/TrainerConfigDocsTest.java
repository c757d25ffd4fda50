package io.streamtune.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.runtime.ConfigDef;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.trainer.style.StyleSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer README's tables of keys are the declarations in {@link TrainerConfig#DEF}. */
class TrainerConfigDocsTest {

    @Test
    void shouldDocumentEveryKeyAsDeclared() throws Exception {
        Path readme = Path.of("README.md");
        assertThat(TrainerConfig.DEF.check(readme, ConfigDef.writeRequested())).isEmpty();
        assertThat(StyleSettings.DEF.check(readme, ConfigDef.writeRequested())).isEmpty();
    }

    @Test
    void shouldReadEveryDeclaredKeyUnderTheTrainerPrefix() {
        ConfigSource c = ConfigSource.of(Map.of("trainer.base.default", "synthetic"));
        TrainerConfig.from(c);

        for (ConfigDef def : new ConfigDef[] {TrainerConfig.DEF, StyleSettings.DEF}) {
            assertThat(def.notReadBy(c)).as(def.title()).isEmpty();
            assertThat(def.outside(TrainerConfig.OWNED_PREFIXES)).as(def.title()).isEmpty();
        }
    }
}
