package io.streamtune.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesTest {

    private final Routes.Handler images = r -> {};
    private final Routes.Handler stats = r -> {};
    private final Routes.Handler models = r -> {};
    private final Routes routes =
            new Routes()
                    .get("/v1/models", models)
                    .post("/v1/models/{model}/images", images)
                    .get("/v1/models/{model}/stats", stats);

    @Test
    void shouldMatchAPatternAndBindItsDecodedParameters() throws Exception {
        Routes.Match m = routes.match("POST", "/v1/models/front%2Ddoor/images");

        assertThat(m.handler()).isSameAs(images);
        assertThat(m.params()).isEqualTo(Map.of("model", "front-door"));
        assertThat(routes.match("get", "/v1/models/").handler()).isSameAs(models);
    }

    @Test
    void shouldAnswer404ForAPathNoRouteHas() {
        assertThatThrownBy(() -> routes.match("GET", "/v1/models/cams/images/extra"))
                .isInstanceOfSatisfying(
                        HttpProblem.class,
                        p -> {
                            assertThat(p.status()).isEqualTo(404);
                            assertThat(p.error()).isEqualTo("not_found");
                            assertThat(p)
                                    .hasMessage("no such resource: /v1/models/cams/images/extra");
                        });
        assertThatThrownBy(() -> routes.match("GET", "/v1/models//stats"))
                .as("a parameter matches a non-empty segment only")
                .isInstanceOfSatisfying(
                        HttpProblem.class, p -> assertThat(p.status()).isEqualTo(404));
    }

    @Test
    void shouldAnswer405NamingTheMethodsAPathTakes() {
        assertThatThrownBy(() -> routes.match("GET", "/v1/models/cams/images"))
                .isInstanceOfSatisfying(
                        Routes.MethodNotAllowed.class,
                        p -> {
                            assertThat(p.status()).isEqualTo(405);
                            assertThat(p.allow()).isEqualTo("POST");
                        });
    }

    @Test
    void shouldRefuseAPatternWithoutALeadingSlash() {
        assertThatThrownBy(() -> new Routes().get("v1/x", models))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDecodeQueryParameters() {
        assertThat(HttpRequest.query("class=tabby%20cat&source=a%2Fb&flag"))
                .isEqualTo(Map.of("class", "tabby cat", "source", "a/b"));
        assertThat(HttpRequest.query(null)).isEmpty();
    }
}
