package io.streamtune.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.ingest.accept.Origin;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntakeParserTest {

    private static final Origin ORIGIN = Origin.of("kafka");

    private static byte[] image() {
        byte[] b = new byte[3000];
        new Random(3).nextBytes(b);
        return b;
    }

    @Test
    void shouldParseWhatTheContractSerdeWritesAndKeepTheBase64Text() {
        var submitted =
                new LabelledImageSubmitted("pets", image(), new Label.ClassLabel("cat"), "kcat");
        byte[] json = JsonSerde.of(LabelledImageSubmitted.class).toBytes(submitted);

        var s = IntakeParser.parse(json, ORIGIN);

        assertThat(s.model()).isEqualTo("pets");
        assertThat(s.image()).isEqualTo(submitted.image());
        assertThat(s.label()).isEqualTo(new Label.ClassLabel("cat"));
        assertThat(s.source()).isEqualTo("kcat");
        assertThat(
                        new String(
                                json,
                                s.imageBase64().offset(),
                                s.imageBase64().length(),
                                StandardCharsets.US_ASCII))
                .isEqualTo(Base64.getEncoder().encodeToString(submitted.image()));
    }

    @Test
    void shouldIgnoreUnknownFieldsAndFallBackOnEscapedBase64() {
        String b64 = Base64.getEncoder().encodeToString(image()).replace("/", "\\/");
        String json =
                "{\"extra\":{\"a\":[1,2]},\"label\":{\"type\":\"class\",\"className\":\"dog\"},"
                        + "\"image\":\""
                        + b64
                        + "\",\"model\":\"pets\"}";

        var s = IntakeParser.parse(json.getBytes(StandardCharsets.UTF_8), ORIGIN);

        assertThat(s.image()).isEqualTo(image());
        assertThat(s.imageBase64()).isNull();
        assertThat(s.source()).isNull();
    }

    @Test
    void shouldReadFieldsAfterTheImageAndTakeTheLastImageOfTwo() {
        String first = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        String b64 = Base64.getEncoder().encodeToString(image());
        String json =
                "{ \"image\" : \""
                        + first
                        + "\" , \"model\":\"pets\",\"image\":\""
                        + b64
                        + "\"\n, \"label\":{\"type\":\"class\",\"className\":\"dog\"},"
                        + "\"extra\":[{\"image\":\"x\"}],\"source\":\"cam\"}";

        var s = IntakeParser.parse(json.getBytes(StandardCharsets.UTF_8), ORIGIN);

        assertThat(s.image()).isEqualTo(image());
        assertThat(s.model()).isEqualTo("pets");
        assertThat(s.label()).isEqualTo(new Label.ClassLabel("dog"));
        assertThat(s.source()).isEqualTo("cam");
        assertThatThrownBy(
                        () ->
                                IntakeParser.parse(
                                        ("{\"image\":\"" + b64 + "\",\"model\":")
                                                .getBytes(StandardCharsets.UTF_8),
                                        ORIGIN))
                .hasMessageContaining("invalid LabelledImageSubmitted JSON");
    }

    @Test
    void shouldFindTheFirstQuoteOrBackslashAtEveryPositionOfAWord() {
        for (int len = 0; len < 40; len++) {
            for (int at = 0; at <= len; at++) {
                byte[] b = new byte[len + 1];
                java.util.Arrays.fill(b, (byte) 'A');
                b[at] = (byte) (at % 2 == 0 ? '"' : '\\');
                for (int from = 0; from <= at; from++) {
                    assertThat(IntakeParser.quoteOrBackslash(b, from)).isEqualTo(at);
                }
            }
            byte[] none = new byte[len];
            java.util.Arrays.fill(none, (byte) 0xA2);
            assertThat(IntakeParser.quoteOrBackslash(none, 0)).isEqualTo(-1);
        }
    }

    @Test
    void shouldNameWhatIsWrong() {
        assertThatThrownBy(
                        () ->
                                IntakeParser.parse(
                                        "{\"model\":\"pets\",\"image\":".getBytes(), ORIGIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid LabelledImageSubmitted JSON");
        assertThatThrownBy(() -> IntakeParser.parse("[1]".getBytes(), ORIGIN))
                .hasMessageContaining("expected an object");
        assertThatThrownBy(
                        () ->
                                IntakeParser.parse(
                                        "{\"model\":\"Bad Name\",\"image\":\"AAAA\",\"label\":{\"type\":\"class\",\"className\":\"c\"}}"
                                                .getBytes(),
                                        ORIGIN))
                .hasMessageContaining("invalid model name");
        assertThatThrownBy(
                        () ->
                                IntakeParser.parse(
                                        "{\"model\":\"pets\",\"image\":\"AAAA\"}".getBytes(),
                                        ORIGIN))
                .hasMessageContaining("label");
        assertThatThrownBy(
                        () ->
                                IntakeParser.parse(
                                        "{\"model\":\"pets\",\"image\":\"!!!!\",\"label\":{\"type\":\"class\",\"className\":\"c\"}}"
                                                .getBytes(),
                                        ORIGIN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IntakeParser.parse(null, ORIGIN)).hasMessageContaining("null");
    }
}
