package io.streamtune.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.trainer.dataset.DatasetStore;
import io.streamtune.trainer.dataset.Split;
import io.streamtune.vision.artifact.Sha256;
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

class PreparedDataTest {

    @TempDir Path dir;

    @Test
    void shouldHoldAtMostTheCapOfTrainingSamplesAndEverySelectionAndGateSample() throws Exception {
        DatasetStore store = DatasetStore.open(dir, "m");
        Instant published = Instant.parse("2026-12-01T12:00:00Z");
        int train = 0;
        for (int i = 0; i < 60; i++) {
            var image = SyntheticScenes.generate(i, 48, 32, 2).image().toBufferedImage();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            byte[] png = out.toByteArray();
            String id = Sha256.hex(png);
            train += Split.of(id, 20, 15) == Split.Part.TRAIN ? 1 : 0;
            store.put(
                    new LabelledImageAccepted(
                            id,
                            "m",
                            png,
                            "image/png",
                            48,
                            32,
                            new Label.ClassLabel(i % 3 == 0 ? "cat" : "dog"),
                            "test",
                            published.plusSeconds(i < 50 ? -100 : 100)));
        }
        store.commit();
        Preprocessor pre =
                new Preprocessor(
                        new PreprocessConfig(
                                32,
                                32,
                                ResizeMode.STRETCH,
                                0,
                                ChannelOrder.RGB,
                                Normalization.IMAGENET));

        PreparedData all = PreparedData.load(store, t -> pre, 20, 15, List.of(), null);
        PreparedData capped =
                PreparedData.load(
                        store,
                        t -> pre,
                        20,
                        15,
                        List.of(),
                        null,
                        new PreparedData.Limit(10, published, 7));

        assertThat(all.train().size()).isEqualTo(train).isGreaterThan(10);
        assertThat(capped.train().size()).isEqualTo(10);
        assertThat(capped.selection().size()).isEqualTo(all.selection().size());
        assertThat(capped.gate()).hasSameSizeAs(all.gate());
        assertThat(capped.fingerprint()).isEqualTo(all.fingerprint());
        assertThat(capped.classes()).containsExactly("cat", "dog");
    }
}
