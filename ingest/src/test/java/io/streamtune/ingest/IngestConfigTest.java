package io.streamtune.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.ingest.validate.ClassPolicy;
import io.streamtune.ingest.validate.ImageCheck;
import io.streamtune.runtime.ConfigException;
import io.streamtune.runtime.ConfigSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    private static IngestConfig config(Map<String, String> values) {
        Map<String, String> all =
                new HashMap<>(Map.of("http.auth.token", "a-token-of-sixteen-chars"));
        all.putAll(values);
        return IngestConfig.from(ConfigSource.of(all));
    }

    @Test
    void shouldDocumentSafeDefaults() {
        IngestConfig c = config(Map.of());

        assertThat(c.http().authEnabled()).isTrue();
        assertThat(c.validation().limits().maxBytes()).isEqualTo(8L << 20);
        assertThat(c.validation().check()).isEqualTo(ImageCheck.HEADER);
        assertThat(c.validation().classPolicy()).isEqualTo(ClassPolicy.AUTO_REGISTER);
        assertThat(c.trigger().threshold()).isEqualTo(100);
        assertThat(c.trigger().interval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.streams().stateDir().toString()).doesNotStartWith("/tmp");
        assertThat(c.streams().commitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.streams().processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(c.http().toString()).doesNotContain("a-token-of-sixteen-chars");
    }

    @Test
    void shouldRequireATokenUnlessAuthIsExplicitlyDisabled() {
        assertThatThrownBy(() -> IngestConfig.from(ConfigSource.of(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.auth.token");
        assertThatThrownBy(() -> config(Map.of("http.auth.token", "   ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.auth.token");
        for (String placeholder : java.util.List.of("CHANGE-ME", "short", "aaaaaaaaaaaaaaaaaaaa")) {
            assertThatThrownBy(() -> config(Map.of("http.auth.token", placeholder)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("http.auth.token")
                    .hasMessageNotContaining(placeholder);
        }

        assertThat(
                        IngestConfig.from(ConfigSource.of(Map.of("http.auth.enabled", "false")))
                                .http()
                                .authEnabled())
                .isFalse();
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertThatThrownBy(() -> config(Map.of("image.formats", "jpeg,heic")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("image.formats")
                .hasMessageContaining("heic");
        assertThatThrownBy(() -> config(Map.of("trigger.threshold", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trigger.threshold");
        assertThatThrownBy(() -> config(Map.of("image.check", "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("image.check");
        assertThatThrownBy(() -> config(Map.of("streams.processing.guarantee", "exactly_once")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.processing.guarantee");
    }

    @Test
    void shouldReadKnownClassesPerModel() {
        IngestConfig c =
                config(
                        Map.of(
                                "label.classes.policy",
                                "known_only",
                                "model.pets.classes",
                                "cat, dog ,bird"));

        assertThat(c.validation().classPolicy()).isEqualTo(ClassPolicy.KNOWN_ONLY);
        assertThat(c.validation().knownClasses())
                .containsEntry("pets", java.util.List.of("cat", "dog", "bird"));
    }
}
