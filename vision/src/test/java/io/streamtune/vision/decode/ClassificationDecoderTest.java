package io.streamtune.vision.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationDecoderTest {

    @Test
    void shouldApplySoftmaxToLogits() {
        float[] logits = {0f, (float) Math.log(3), (float) Math.log(6)};

        float[] p = ClassificationDecoder.softmax(logits);

        assertThat(p[0]).isCloseTo(0.1f, within(1e-6f));
        assertThat(p[1]).isCloseTo(0.3f, within(1e-6f));
        assertThat(p[2]).isCloseTo(0.6f, within(1e-6f));
    }

    @Test
    void shouldStayFiniteForHugeLogits() {
        float[] p = ClassificationDecoder.softmax(new float[] {1000f, 1000f, -1000f});

        assertThat(p).containsExactly(0.5f, 0.5f, 0f);
    }

    @Test
    void shouldReturnTopKOfTheRequestedImageBestFirst() {
        // Two images of 4 classes; image 1's logits favour class 3 then 0.
        float[] data = {9, 0, 0, 0, 2, 0, 1, 3};

        List<ClassScore> top =
                ClassificationDecoder.decode(
                        data, new long[] {2, 4}, 1, false, 2, List.of("cat", "dog", "fox", "owl"));

        assertThat(top).extracting(ClassScore::label).containsExactly("owl", "cat");
        double z = Math.exp(2) + 1 + Math.exp(1) + Math.exp(3);
        assertThat(top.get(0).score()).isCloseTo((float) (Math.exp(3) / z), within(1e-6f));
    }

    @Test
    void shouldNotApplySoftmaxToProbabilities() {
        float[] data = {0.2f, 0.5f, 0.3f};

        List<ClassScore> top =
                ClassificationDecoder.decode(data, new long[] {1, 3}, 0, true, 5, List.of());

        assertThat(top).extracting(ClassScore::classId).containsExactly(1, 2, 0);
        assertThat(top).extracting(ClassScore::score).containsExactly(0.5f, 0.3f, 0.2f);
        assertThat(top.get(0).label()).isEqualTo("1");
    }

    @Test
    void shouldSeeThatAnOutputAlreadyIsADistribution() {
        // a Keras model ending in softmax, with no metadata saying so
        float[] softmaxed = {0.1f, 0.7f, 0.2f};
        // logits that only look small: each within [0, 1] but not summing to 1
        float[] logits = {0.1f, 0.7f, 0.9f};

        assertThat(ClassificationDecoder.probabilities(softmaxed, new long[] {1, 3}, 0, false))
                .containsExactly(0.1f, 0.7f, 0.2f);
        float[] p = ClassificationDecoder.probabilities(logits, new long[] {1, 3}, 0, false);
        assertThat(p[2])
                .isCloseTo(
                        (float) (Math.exp(0.9) / (Math.exp(0.1) + Math.exp(0.7) + Math.exp(0.9))),
                        within(1e-6f));
        assertThat(ClassificationDecoder.distribution(new float[] {1f})).isFalse();
        assertThat(ClassificationDecoder.distribution(new float[] {-0.5f, 1.5f})).isFalse();
    }
}
