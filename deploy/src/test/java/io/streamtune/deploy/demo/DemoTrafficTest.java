package io.streamtune.deploy.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.contracts.Task;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.IngestService;
import io.streamtune.ingest.validate.SampleValidator;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.vision.image.RgbImage;
import io.streamtune.vision.synth.PastedObjects;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the demo's labelling tool sends is what ingest accepts. */
class DemoTrafficTest {

    private final SampleValidator validator =
            IngestService.validator(
                    IngestConfig.from(
                            ConfigSource.of(
                                    Map.of("http.auth.token", "a-token-of-sixteen-chars"))));

    @Test
    void shouldLabelPastedProductsThatIngestAccepts() throws Exception {
        int[] square = new int[28 * 28];
        for (int y = 6; y < 22; y++) {
            for (int x = 6; x < 22; x++) {
                square[y * 28 + x] = 230;
            }
        }
        List<List<PastedObjects.Item>> items =
                List.of(
                        List.of(new PastedObjects.Item("bag", square, 28, 28)),
                        List.of(new PastedObjects.Item("sneaker", square, 28, 28)));
        List<RgbImage> photos = List.of(RgbImage.filled(400, 300, 120, 90, 60));

        for (long seed = 0; seed < 10; seed++) {
            LabelledImageSubmitted s = DemoTraffic.productSample("coco", photos, items, 320, seed);

            var boxes = (Label.BoxesLabel) s.label();
            assertThat(boxes.objects()).isNotEmpty();
            assertThat(boxes.objects())
                    .extracting(Label.BoxedObject::className)
                    .allMatch(c -> c.equals("bag") || c.equals("sneaker"));
            var accepted = validator.validate(s.model(), s.image(), s.label());
            assertThat(accepted.width()).isEqualTo(320);
        }
    }

    @Test
    void shouldSendCropsOfThePhotographsAsContentThatIngestAccepts() throws Exception {
        List<RgbImage> photos =
                List.of(RgbImage.filled(400, 300, 120, 90, 60), RgbImage.filled(200, 500, 1, 2, 3));
        for (long seed = 0; seed < 6; seed++) {
            LabelledImageSubmitted s = DemoTraffic.contentSample("paint", photos, 128, seed);

            assertThat(s.label()).isInstanceOf(Label.ContentLabel.class);
            var accepted = validator.validate(s.model(), s.image(), s.label());
            assertThat(accepted.width()).isEqualTo(128);
            assertThat(accepted.height()).isEqualTo(128);
        }
    }

    @Test
    void shouldMakeShapeSamplesOfEveryTaskThatIngestAccepts() throws Exception {
        for (Task task : Task.values()) {
            if (task == Task.INSTANCE_SEGMENTATION) {
                continue; // served from imported models only; refused below
            }
            LabelledImageSubmitted s = DemoTraffic.sample("shapes", task, 64, 7);

            assertThat(validator.validate(s.model(), s.image(), s.label()).height()).isEqualTo(64);
        }
    }

    @Test
    void shouldRefuseToLabelATaskThatIsNotTrainedHere() {
        assertThatThrownBy(() -> DemoTraffic.sample("shapes", Task.INSTANCE_SEGMENTATION, 64, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("instance segmentation");
    }
}
