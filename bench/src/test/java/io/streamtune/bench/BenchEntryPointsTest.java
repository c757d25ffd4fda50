package io.streamtune.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
        URL[] classpath =
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .map(
                                p -> {
                                    try {
                                        return Path.of(p).toUri().toURL();
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                })
                        .toArray(URL[]::new);

        assertThat(mains).hasSizeGreaterThanOrEqualTo(4);
        for (String main : mains) {
            System.clearProperty("ai.djl.offline");
            System.clearProperty("OPT_OUT_TRACKING");
            try (var fresh = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
                Class.forName(main, true, fresh);
            }
            assertThat(System.getProperty("ai.djl.offline")).as(main).isEqualTo("true");
            assertThat(System.getProperty("OPT_OUT_TRACKING")).as(main).isEqualTo("true");
        }
    }
}
