package io.streamtune.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.runtime.ConfigDef;
import io.streamtune.runtime.ConfigSource;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The inference README's table of keys is the declaration in {@link InferenceConfig#DEF}. */
class InferenceConfigDocsTest {

    @Test
    void shouldDocumentEveryKeyAsDeclared() throws Exception {
        assertThat(InferenceConfig.DEF.check(Path.of("README.md"), ConfigDef.writeRequested()))
                .isEmpty();
    }

    @Test
    void shouldReadEveryDeclaredKeyUnderTheInferencePrefix() {
        // every override set, so that each is read (they are read only when present)
        ConfigSource c =
                ConfigSource.of(
                        Map.ofEntries(
                                Map.entry("inference.model.task", "classification"),
                                Map.entry("inference.model.classes", "a,b"),
                                Map.entry("inference.model.input.width", "32"),
                                Map.entry("inference.model.input.height", "32"),
                                Map.entry("inference.model.resize", "stretch"),
                                Map.entry("inference.model.pad", "0"),
                                Map.entry("inference.model.mean", "0,0,0"),
                                Map.entry("inference.model.std", "1,1,1"),
                                Map.entry("inference.model.channels", "rgb"),
                                Map.entry("inference.model.probabilities", "true"),
                                Map.entry("inference.model.file.version", "3")));
        InferenceConfig.all(c);

        assertThat(InferenceConfig.DEF.notReadBy(c)).isEmpty();
        assertThat(InferenceConfig.DEF.outside(InferenceConfig.OWNED_PREFIXES)).isEmpty();
    }
}
