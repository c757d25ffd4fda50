package io.streamtune.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The root README's table of shared keys is the declaration in {@link ServiceConfig#DEF}. */
class SharedConfigDocsTest {

    @Test
    void shouldDocumentEverySharedKeyAsDeclared() throws Exception {
        assertThat(
                        ServiceConfig.DEF.check(
                                java.nio.file.Path.of("../README.md"), ConfigDef.writeRequested()))
                .isEmpty();
    }

    @Test
    void shouldReadEveryDeclaredKey() {
        ConfigSource c = ConfigSource.of(Map.of());
        ServiceConfig.from(c, "test", 8080);
        ServiceConfig.DATA_DIR.get(c);
        AnnouncementSigner.from(c);

        assertThat(ServiceConfig.DEF.notReadBy(c)).isEmpty();
    }
}
