package io.streamtune.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.runtime.ConfigDef;
import io.streamtune.runtime.ConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ingest's README table of keys is the declaration in {@link IngestConfig#DEF}. */
class IngestConfigDocsTest {

    @Test
    void shouldDocumentEveryKeyAsDeclared() throws Exception {
        assertThat(
                        IngestConfig.DEF.check(
                                java.nio.file.Path.of("README.md"), ConfigDef.writeRequested()))
                .isEmpty();
    }

    @Test
    void shouldReadEveryDeclaredKeyAndOwnEveryPrefixItDeclares() {
        ConfigSource c = ConfigSource.of(Map.of("http.auth.token", "a-token-of-sixteen-chars"));
        IngestConfig.from(c);

        assertThat(IngestConfig.DEF.notReadBy(c)).isEmpty();
        assertThat(IngestConfig.DEF.outside(IngestConfig.OWNED_PREFIXES)).isEmpty();
    }

    @Test
    void shouldReportAMistypedKeyOfAModelsClassListAtStartUp() {
        ConfigSource c =
                ConfigSource.of(
                        Map.of(
                                "http.auth.token", "a-token-of-sixteen-chars",
                                "model.pets.classes", "cat, dog",
                                "model.cars.clases", "car"));

        IngestConfig config = IngestConfig.from(c);

        assertThat(config.validation().knownClasses()).containsOnlyKeys("pets");
        assertThat(c.unknownKeys(IngestConfig.OWNED_PREFIXES)).containsExactly("model.cars.clases");
    }
}
