package io.streamtune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.testkit.FreshJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntryPointsTest {

    @AfterEach
    void restoreFlags() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "io.streamtune.deploy.StreamtuneCli",
                "io.streamtune.ingest.Main",
                "io.streamtune.trainer.Main",
                "io.streamtune.inference.Main"
            })
    void shouldSwitchDjlOfflineBeforeAnythingElseRuns(String mainClass) throws Exception {
        System.clearProperty("ai.djl.offline");
        System.clearProperty("OPT_OUT_TRACKING");
        FreshJvm.initialize(mainClass);

        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
        assertThat(System.getProperty("DJL_CACHE_DIR")).isNotBlank();
    }
}
