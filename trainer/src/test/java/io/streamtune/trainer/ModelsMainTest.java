package io.streamtune.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsMainTest {

    @TempDir Path dir;

    @Test
    void shouldFailWithUsageWhenArgumentsAreMissingOrUnknown() throws Exception {
        assertThat(ModelsMain.run(new String[0])).isEqualTo(2);
        assertThat(ModelsMain.run(new String[] {"--help"})).isZero();
        assertThat(ModelsMain.run(new String[] {"list"})).isEqualTo(2);
        assertThat(ModelsMain.run(new String[] {"frobnicate", "--model=m", "--data.dir=" + dir}))
                .isEqualTo(2);
        assertThat(ModelsMain.run(new String[] {"export", "--model=m", "--data.dir=" + dir}))
                .isEqualTo(2);
    }

    @Test
    void shouldReportAMissingVersionAsAnError() throws Exception {
        int rc =
                ModelsMain.run(
                        new String[] {
                            "export",
                            "--model=m",
                            "--version=3",
                            "--out=" + dir.resolve("x.onnx"),
                            "--data.dir=" + dir
                        });

        assertThat(rc).isEqualTo(1);
        assertThat(ModelsMain.run(new String[] {"list", "--model=m", "--data.dir=" + dir}))
                .isZero();
    }
}
