package io.streamtune.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.testkit.FreshJvm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BenchEntryPointsTest {

    @AfterEach
    void restoreFlags() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    @Test
    void shouldSwitchDjlOfflineInEveryBenchmarkBeforeAnythingElseRuns() throws Exception {
        List<String> mains = new ArrayList<>(List.of(BenchMain.class.getName()));
        BenchMain.BENCHES.values().stream().filter(BenchMain::available).forEach(mains::add);
        assertThat(mains).hasSizeGreaterThanOrEqualTo(4);
        for (String main : mains) {
            System.clearProperty("ai.djl.offline");
            System.clearProperty("OPT_OUT_TRACKING");
            FreshJvm.initialize(main);
            assertThat(System.getProperty("ai.djl.offline")).as(main).isEqualTo("true");
            assertThat(System.getProperty("OPT_OUT_TRACKING")).as(main).isEqualTo("true");
        }
    }
}
