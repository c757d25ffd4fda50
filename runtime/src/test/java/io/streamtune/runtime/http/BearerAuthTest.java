package io.streamtune.runtime.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerAuthTest {

    private final BearerAuth auth = BearerAuth.of("a-token-of-sixteen-chars", "test");

    @Test
    void shouldPassTheRightTokenInAnyCaseOfTheScheme() {
        assertThatCode(() -> auth.check("Bearer a-token-of-sixteen-chars"))
                .doesNotThrowAnyException();
        assertThatCode(() -> auth.check("bearer  a-token-of-sixteen-chars "))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAMissingOrWrongToken() {
        assertThatThrownBy(() -> auth.check((String) null))
                .hasMessageContaining("missing bearer token");
        assertThatThrownBy(() -> auth.check("Basic dXNlcjpwdw=="))
                .hasMessageContaining("missing bearer token");
        assertThatThrownBy(() -> auth.check("Bearer a-token-of-sixteen-chart"))
                .isInstanceOf(HttpProblem.class)
                .hasMessage("invalid bearer token");
    }

    @Test
    void shouldPassEverythingWhenDisabledAndRefuseAnEmptyToken() {
        assertThatCode(() -> BearerAuth.disabled("test").check((String) null))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> BearerAuth.of("", "test"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
