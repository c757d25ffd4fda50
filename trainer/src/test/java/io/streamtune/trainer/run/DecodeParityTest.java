package io.streamtune.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.trainer.dataset.DatasetStore;
import io.streamtune.vision.artifact.Sha256;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.PreprocessConfig;
import io.streamtune.vision.preprocess.Preprocessor;
import io.streamtune.vision.preprocess.ResizeMode;
import io.streamtune.vision.synth.SyntheticScenes;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is measured is what is served: one JPEG through the trainer's dataset preparation and
 * through the decode + preprocess path inference runs (BatchPredictor calls the same {@link
 * Preprocessor#decode}) gives the same model input, bit for bit — at a reduced DCT scale when
 * libjpeg-turbo is installed.
 */
class DecodeParityTest {

    @TempDir Path dir;

    private static byte[] jpeg(int width, int height) throws Exception {
        return jpeg(5, width, height);
    }

    private static byte[] jpeg(long seed, int width, int height) throws Exception {
        var image = SyntheticScenes.generate(seed, width, height, 3).image().toBufferedImage();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static Preprocessor preprocessor(int size) {
        return new Preprocessor(
                new PreprocessConfig(
                        size,
                        size,
                        ResizeMode.STRETCH,
                        0,
                        ChannelOrder.RGB,
                        Normalization.IMAGENET));
    }

    private static Preprocessor letterbox(int size) {
        return new Preprocessor(
                new PreprocessConfig(
                        size,
                        size,
                        ResizeMode.LETTERBOX,
                        PreprocessConfig.ULTRALYTICS_PAD,
                        ChannelOrder.RGB,
                        Normalization.IMAGENET));
    }

    private static float[] servedInput(Preprocessor pre, byte[] jpeg) throws Exception {
        ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());
        float[] input = new float[pre.inputSize()];
        pre.apply(pre.decode(decoder, jpeg), input, 0);
        return input;
    }

    private PreparedData prepare(Preprocessor pre, byte[] jpeg, Label label) {
        return prepare(pre, jpeg, label, 1);
    }

    private PreparedData prepare(Preprocessor pre, byte[] jpeg, Label label, int gatePercent) {
        DatasetStore store =
                DatasetStore.open(dir.resolve("ds-" + Sha256.hex(jpeg).substring(0, 8)), "m");
        store.put(
                new LabelledImageAccepted(
                        Sha256.hex(jpeg),
                        "m",
                        jpeg,
                        "image/jpeg",
                        640,
                        480,
                        label,
                        "test",
                        Instant.now()));
        store.commit();
        return PreparedData.load(store, task -> pre, gatePercent, 1, List.of(), null);
    }

    @Test
    void shouldFeedTheModelTheSameInputInTrainingAndServing() throws Exception {
        byte[] jpeg = jpeg(640, 480);
        Preprocessor pre = preprocessor(224);

        PreparedData data = prepare(pre, jpeg, new Label.ClassLabel("thing"));

        float[] trained =
                data.train().examples().isEmpty()
                        ? data.selection().examples().get(0).input()
                        : data.train().examples().get(0).input();
        assertThat(trained).containsExactly(servedInput(pre, jpeg));
        if (ImageDecoder.turboJpeg()) {
            // 640x480 -> at least 224x224 decodes at half scale in the DCT domain
            assertThat(pre.decode(new ImageDecoder(ImageLimits.defaults()), jpeg).image().width())
                    .isEqualTo(320);
        }
    }

    @Test
    void shouldLetterboxBoxesAndPixelsTheSameWayInTrainingAndServing() throws Exception {
        byte[] jpeg = jpeg(640, 480);
        Preprocessor pre = letterbox(224);
        var box = new Box(100, 80, 200, 120);

        PreparedData data =
                prepare(
                        pre,
                        jpeg,
                        new Label.BoxesLabel(List.of(new Label.BoxedObject("thing", box))));

        var example =
                data.train().examples().isEmpty()
                        ? data.selection().examples().get(0)
                        : data.train().examples().get(0);
        float[] served = servedInput(pre, jpeg);
        assertThat(example.input()).containsExactly(served);
        // 640x480 into 224x224 keeping the aspect: scale 0.35, content 224x168, 28 rows of
        // padding above and below; the box moves with the content
        float[] b = example.boxes().get(0);
        assertThat(b[0]).isCloseTo(35f, org.assertj.core.api.Assertions.within(1e-3f));
        assertThat(b[1]).isCloseTo(80 * 0.35f + 28, org.assertj.core.api.Assertions.within(1e-3f));
        assertThat(b[2]).isCloseTo(300 * 0.35f, org.assertj.core.api.Assertions.within(1e-3f));
        assertThat(b[3]).isCloseTo(200 * 0.35f + 28, org.assertj.core.api.Assertions.within(1e-3f));
        // the padding is grey 114 in both paths: red plane, first pixel, normalised
        float grey = (114 / 255f - 0.485f) / 0.229f;
        assertThat(served[0]).isCloseTo(grey, org.assertj.core.api.Assertions.within(1e-4f));
        assertThat(served[27 * 224]).isCloseTo(grey, org.assertj.core.api.Assertions.within(1e-4f));
        long content = 0;
        for (int x = 0; x < 224; x++) {
            content += Math.abs(served[100 * 224 + x] - grey) > 1e-3 ? 1 : 0;
        }
        assertThat(content).as("pixels of the photo in a content row").isGreaterThan(100);
    }

    @Test
    void shouldScaleBoxesWithTheDecodedImage() throws Exception {
        Preprocessor pre = preprocessor(160);
        var box = new Box(100, 80, 200, 120);
        // the first image whose id hashes into the gate split (the evaluation samples)
        byte[] jpeg = null;
        PreparedData data = null;
        for (long seed = 1; data == null || data.gate().isEmpty(); seed++) {
            jpeg = jpeg(seed, 640, 480);
            data =
                    prepare(
                            pre,
                            jpeg,
                            new Label.BoxesLabel(List.of(new Label.BoxedObject("thing", box))),
                            50);
        }

        var decoded = pre.decode(new ImageDecoder(ImageLimits.defaults()), jpeg);
        var truth = data.gate().get(0).boxes().get(0).box();
        assertThat(data.gate().get(0).image().width()).isEqualTo(decoded.image().width());
        assertThat(truth.x()).isEqualTo(100 * decoded.scaleX());
        assertThat(truth.width()).isEqualTo(200 * decoded.scaleX());
        assertThat(truth.height()).isEqualTo(120 * decoded.scaleY());
    }
}
