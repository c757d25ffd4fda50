package io.streamtune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void shouldParseFamiliesLabelsAndSpecialValues() {
        String text =
                """
                # HELP frames_total Frames in.
                # TYPE frames_total counter
                frames_total{camera="a",reason="x\\"y"} 3.0
                frames_total{camera="b"} 4 1700000000000
                # TYPE up gauge
                up NaN
                lat_bucket{le="+Inf"} +Inf
                """;

        var parsed = PrometheusText.parse(text);

        assertThat(parsed.sum("frames_total", Map.of())).isEqualTo(7.0);
        assertThat(parsed.named("frames_total").get(0).labels()).containsEntry("reason", "x\"y");
        assertThat(parsed.type("frames_total")).contains("counter");
        assertThat(parsed.named("up").get(0).value()).isNaN();
    }

    @Test
    void shouldRejectMalformedLinesWithTheLineNumber() {
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbad-name 2\n"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("a{b=\"c} 1\n"))
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("a 1 2 3\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("a one\n")).hasMessageContaining("line 1");
    }
}
