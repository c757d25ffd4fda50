package io.streamtune.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class BinaryIntakeTest {

    private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    @Test
    void shouldCarryTheImageAsValueAndReadBackEveryLabelKind() {
        for (Label label :
                List.of(
                        new Label.ClassLabel("cat"),
                        new Label.BoxesLabel(
                                List.of(new Label.BoxedObject("car", new Box(1, 2, 30, 40)))),
                        new Label.MaskLabel(new byte[] {9, 8, 7}, List.of("background", "road")))) {
            LabelledImageSubmitted sent = new LabelledImageSubmitted("pets", IMAGE, label, "kcat");
            ProducerRecord<byte[], byte[]> r =
                    BinaryIntake.record("images.intake", "k".getBytes(), sent);
            assertThat(r.value()).isSameAs(IMAGE);
            assertThat(BinaryIntake.isBinary(r.headers())).isTrue();
            assertThat(BinaryIntake.read(r.value(), r.headers())).isEqualTo(sent);
        }
    }

    @Test
    void shouldReadTheHeadersAKcatUserTypes() {
        RecordHeaders h = new RecordHeaders();
        h.add("label", utf8("{\"type\":\"class\",\"className\":\"cat\"}"));
        h.add("model", utf8("pets"));
        LabelledImageSubmitted s = BinaryIntake.read(IMAGE, h);
        assertThat(s.model()).isEqualTo("pets");
        assertThat(s.label()).isEqualTo(new Label.ClassLabel("cat"));
        assertThat(s.source()).isNull();
        assertThat(BinaryIntake.isBinary(new RecordHeaders())).isFalse();
        assertThat(BinaryIntake.isBinary(null)).isFalse();
    }

    @Test
    void shouldNameTheHeaderAtFault() {
        RecordHeaders noModel = new RecordHeaders();
        noModel.add("label", utf8("{\"type\":\"class\",\"className\":\"cat\"}"));
        assertThatThrownBy(() -> BinaryIntake.read(IMAGE, noModel))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'model' header");

        RecordHeaders badLabel = new RecordHeaders();
        badLabel.add("label", utf8("{\"type\":\"cls\""));
        badLabel.add("model", utf8("pets"));
        assertThatThrownBy(() -> BinaryIntake.read(IMAGE, badLabel))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid 'label' header");

        RecordHeaders ok = new RecordHeaders();
        ok.add("label", utf8("{\"type\":\"class\",\"className\":\"cat\"}"));
        ok.add("model", utf8("pets"));
        assertThatThrownBy(() -> BinaryIntake.read(new byte[0], ok))
                .hasMessageContaining("empty value");

        RecordHeaders badModel = new RecordHeaders();
        badModel.add("label", utf8("{\"type\":\"class\",\"className\":\"cat\"}"));
        badModel.add("model", utf8("no spaces allowed"));
        assertThatThrownBy(() -> BinaryIntake.read(IMAGE, badModel))
                .hasMessageStartingWith("invalid binary intake record: ");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
