package io.streamtune.ingest.accept;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.ingest.validate.Digests;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelledRecordWriterTest {

    private static LabelledImageAccepted sample(String source) {
        byte[] image = new byte[1000];
        new Random(7).nextBytes(image);
        return new LabelledImageAccepted(
                Digests.sha256Hex(image),
                "pets",
                image,
                "image/jpeg",
                10,
                20,
                new Label.BoxesLabel(List.of(new Label.BoxedObject("cat", new Box(1, 2, 3, 4)))),
                source,
                Instant.parse("2026-01-02T03:04:05.123456Z"));
    }

    @Test
    void shouldWriteExactlyWhatTheContractSerdeWrites() {
        var value = sample("upload \"one\"");

        byte[] written = LabelledRecordWriter.write(value, null);

        assertThat(new String(written, StandardCharsets.UTF_8))
                .isEqualTo(
                        new String(
                                JsonSerde.of(LabelledImageAccepted.class).toBytes(value),
                                StandardCharsets.UTF_8));
    }

    @Test
    void shouldCopyReceivedBase64InsteadOfReencoding() {
        var value = sample(null);
        byte[] text =
                ("xx" + Base64.getEncoder().encodeToString(value.image()) + "yy")
                        .getBytes(StandardCharsets.US_ASCII);

        byte[] written =
                LabelledRecordWriter.write(value, new EncodedImage(text, 2, text.length - 4));

        assertThat(written).isEqualTo(JsonSerde.of(LabelledImageAccepted.class).toBytes(value));
        assertThat(JsonSerde.of(LabelledImageAccepted.class).fromBytes(written)).isEqualTo(value);
    }
}
