package io.streamtune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDefTest {

    enum Mode {
        FAST,
        CAREFUL
    }

    private final ConfigDef def = new ConfigDef("demo");
    private final ConfigDef.Setting<Integer> threads =
            def.integer("demo.threads", 4, 1, 64, "worker threads");
    private final ConfigDef.Setting<Long> bytes =
            def.size("demo.max.bytes", 8L << 20, 1024, 1L << 30, "largest body");
    private final ConfigDef.Setting<Duration> every =
            def.duration("demo.interval", Duration.ofSeconds(30), "how often");
    private final ConfigDef.Setting<Mode> mode = def.choice("demo.mode", Mode.FAST, "how");
    private final ConfigDef.Setting<String> token = def.secret("demo.token", "the token");
    private final ConfigDef.Setting<String> guarantee =
            def.oneOf("demo.guarantee", "a", List.of("a", "b"), "which");

    @Test
    void shouldReadEachKeyWithItsDefaultAndValidator() {
        ConfigSource c =
                ConfigSource.of(
                        Map.of(
                                "demo.threads", "8",
                                "demo.max.bytes", "2MiB",
                                "demo.mode", "careful",
                                "demo.token", "s3cret"));

        assertThat(threads.get(c)).isEqualTo(8);
        assertThat(bytes.get(c)).isEqualTo(2L << 20);
        assertThat(every.get(c)).isEqualTo(Duration.ofSeconds(30));
        assertThat(mode.get(c)).isEqualTo(Mode.CAREFUL);
        assertThat(token.get(c)).isEqualTo("s3cret");
        assertThat(threads.get(ConfigSource.of(Map.of()), 2))
                .as("a service's own default")
                .isEqualTo(2);
    }

    @Test
    void shouldNameTheKeyAtFault() {
        assertThatThrownBy(() -> threads.get(ConfigSource.of(Map.of("demo.threads", "100"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("demo.threads")
                .hasMessageContaining("1..64");
        assertThatThrownBy(() -> every.get(ConfigSource.of(Map.of("demo.interval", "0s"))))
                .hasMessageContaining("demo.interval")
                .hasMessageContaining("positive");
        ConfigDef.Setting<Duration> pause =
                new ConfigDef("other").durationOrZero("demo.pause", Duration.ofSeconds(5), "wait");
        assertThat(pause.get(ConfigSource.of(Map.of("demo.pause", "0s")))).isZero();
        assertThatThrownBy(() -> pause.get(ConfigSource.of(Map.of("demo.pause", "PT-1S"))))
                .hasMessageContaining("demo.pause")
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> guarantee.get(ConfigSource.of(Map.of("demo.guarantee", "c"))))
                .hasMessageContaining("must be one of a, b, was 'c'");
    }

    @Test
    void shouldMarkWhatItReadAsKnownSoATypoIsWarnedAbout() {
        ConfigSource c = ConfigSource.of(Map.of("demo.thread", "8"));
        threads.get(c);

        assertThat(c.unknownKeys(List.of("demo."))).containsExactly("demo.thread");
        assertThat(c.closestKnown("demo.thread")).isEqualTo("demo.threads");
    }

    @Test
    void shouldListDeclaredKeysNothingReadAndKeysOutsideTheWarnedPrefixes() {
        ConfigSource c = ConfigSource.of(Map.of());
        threads.get(c);

        assertThat(def.notReadBy(c)).contains("demo.interval").doesNotContain("demo.threads");
        assertThat(def.outside(List.of("demo."))).isEmpty();
        assertThat(def.outside(List.of("other."))).contains("demo.threads");
    }

    @Test
    void shouldTellAnUnsetKeyFromItsDefault() {
        assertThat(threads.ifSet(ConfigSource.of(Map.of()))).isEmpty();
        assertThat(threads.ifSet(ConfigSource.of(Map.of("demo.threads", "3")))).contains(3);
        assertThatThrownBy(() -> threads.ifSet(ConfigSource.of(Map.of("demo.threads", "x"))))
                .hasMessageContaining("demo.threads");
    }

    @Test
    void shouldRefuseAKeyDeclaredTwice() {
        assertThatThrownBy(() -> def.bool("demo.threads", true, "again"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("demo.threads is declared twice");
    }

    @Test
    void shouldRenderOneTableRowPerKey() {
        assertThat(def.markdown())
                .startsWith("| key | type | default | meaning |\n|---|---|---|---|\n")
                .contains("| `demo.threads` | int 1..64 | `4` | worker threads |")
                .contains("| `demo.max.bytes` | size 1KiB..1GiB | `8MiB` | largest body |")
                .contains("| `demo.interval` | duration | `30s` | how often |")
                .contains("| `demo.mode` | fast \\| careful | `fast` | how |")
                .contains("| `demo.token` | secret | — | the token |");
    }

    @Test
    void shouldFindADifferingReadmeAndRewriteItOnRequest(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        String stale =
                "# demo\n\n"
                        + def.beginMarker()
                        + "\n| key | type | default | meaning |\n|---|---|---|---|\n"
                        + "| `demo.threads` | int 1..64 | `2` | worker threads |\n"
                        + def.endMarker()
                        + "\n\nmore text\n";
        Files.writeString(readme, stale);

        assertThat(def.check(readme, false))
                .contains("table line 3")
                .contains("README has '| `demo.threads` | int 1..64 | `2` | worker threads |'");
        assertThat(def.check(readme, true)).isEmpty();
        assertThat(def.check(readme, false)).isEmpty();
        assertThat(Files.readString(readme)).startsWith("# demo\n\n").endsWith("\n\nmore text\n");
    }
}
