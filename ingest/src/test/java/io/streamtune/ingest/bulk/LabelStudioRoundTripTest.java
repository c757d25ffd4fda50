package io.streamtune.ingest.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamtune.contracts.Box;
import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.FrameRef;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabellingRequested;
import io.streamtune.contracts.Task;
import io.streamtune.ingest.fixtures.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests out as Label Studio tasks, a labeller accepting the pre-annotations (Label Studio's
 * export then holds them as annotations), and the export back in as labels: what comes back is what
 * the model predicted, at the image's size.
 */
class LabelStudioRoundTripTest {

    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    @TempDir Path dir;

    @Test
    void shouldBringAcceptedPreAnnotationsBackAsTheSameLabels() throws Exception {
        byte[] cat = TestImages.jpeg(64, 48, 1);
        byte[] street = TestImages.jpeg(200, 100, 2);
        var classified =
                new ClassificationsEmitted(
                        new FrameRef("f-1", "cam-1", T, 64, 48, "pets", 3),
                        List.of(
                                new ClassificationsEmitted.ClassScore("cat", 0, 0.55),
                                new ClassificationsEmitted.ClassScore("dog", 1, 0.45)),
                        T);
        var detected =
                new DetectionsEmitted(
                        new FrameRef("f-2", "cam-2", T, 200, 100, "cars", 5),
                        List.of(
                                new DetectionsEmitted.Detection(
                                        "car", 0, 0.41, new Box(20, 10, 50, 40)),
                                new DetectionsEmitted.Detection(
                                        "bus", 1, 0.9, new Box(100, 30, 80, 60))),
                        T);
        List<LabellingRequested> requests =
                List.of(
                        new LabellingRequested(
                                classified.frame(),
                                Task.CLASSIFICATION,
                                cat,
                                "small_margin",
                                0.1,
                                JsonSerde.MAPPER.valueToTree(classified),
                                T),
                        new LabellingRequested(
                                detected.frame(),
                                Task.DETECTION,
                                street,
                                "low_confidence",
                                0.41,
                                JsonSerde.MAPPER.valueToTree(detected),
                                T));

        ArrayNode tasks = LabelStudioTasks.of(requests, LabelStudioTasks.ControlNames.defaults());

        assertThat(tasks).hasSize(2);
        JsonNode first = tasks.get(0);
        assertThat(first.path("data").path("image").asText()).startsWith("data:image/jpeg;base64,");
        assertThat(first.path("data").path("streamtune_key").asText()).isEqualTo("pets/f-1");
        assertThat(first.path("predictions").get(0).path("model_version").asText())
                .isEqualTo("pets v3");
        JsonNode rect = tasks.get(1).path("predictions").get(0).path("result").get(0);
        assertThat(rect.path("type").asText()).isEqualTo("rectanglelabels");
        assertThat(rect.path("value").path("x").asDouble()).isEqualTo(10.0);
        assertThat(rect.path("value").path("width").asDouble()).isEqualTo(25.0);

        // the labeller accepts every pre-annotation: Label Studio exports them as annotations
        for (JsonNode t : tasks) {
            ObjectNode task = (ObjectNode) t;
            ObjectNode annotation = task.putArray("annotations").addObject();
            annotation.put("id", 1);
            annotation.put("was_cancelled", false);
            annotation.set("result", task.path("predictions").get(0).path("result"));
        }
        Path export = dir.resolve("export.json");
        JsonSerde.MAPPER.writeValue(export.toFile(), tasks);
        List<DatasetItem> back =
                LabelStudioReader.read(
                        export,
                        Files.createDirectories(dir.resolve("images")),
                        TaskHint.AUTO,
                        Files.createDirectories(dir.resolve("urls")));

        assertThat(back).hasSize(2);
        assertThat(Files.readAllBytes(back.get(0).image())).isEqualTo(cat);
        assertThat(back.get(0).labels().make(64, 48)).isEqualTo(new Label.ClassLabel("cat"));
        Label.BoxesLabel boxes = (Label.BoxesLabel) back.get(1).labels().make(200, 100);
        assertThat(boxes.objects()).hasSize(2);
        assertThat(boxes.objects().get(0).className()).isEqualTo("car");
        Box b = boxes.objects().get(0).box();
        assertThat(new double[] {b.x(), b.y(), b.width(), b.height()})
                .containsExactly(
                        new double[] {20, 10, 50, 40}, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(boxes.objects().get(1).className()).isEqualTo("bus");
    }

    @Test
    void shouldNameEachFrameFormatInItsDataUrl() {
        byte[] webp = {'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'E', 'B', 'P'};
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0};

        assertThat(LabelStudioTasks.mediaType(webp)).isEqualTo("image/webp");
        assertThat(LabelStudioTasks.mediaType(png)).isEqualTo("image/png");
        assertThat(LabelStudioTasks.mediaType(jpeg)).isEqualTo("image/jpeg");
    }

    @Test
    void shouldBringAnAcceptedSegmentationBackAsTheSameMask() throws Exception {
        int w = 60, h = 40;
        int[] labels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean cat = (x - 20) * (x - 20) + (y - 20) * (y - 20) <= 12 * 12;
                boolean box = x >= 40 && x < 56 && y >= 8 && y < 30;
                labels[y * w + x] = cat ? 1 : box ? 2 : 0;
            }
        }
        List<Integer> values = new java.util.ArrayList<>();
        List<Integer> counts = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (values.isEmpty() || values.get(values.size() - 1) != labels[i]) {
                values.add(labels[i]);
                counts.add(0);
            }
            counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
        }
        long[] area = new long[3];
        for (int v : labels) {
            area[v]++;
        }
        var seg =
                new io.streamtune.contracts.SegmentationsEmitted(
                        new FrameRef("f-3", "cam-3", T, w, h, "rooms", 2),
                        new io.streamtune.contracts.SegmentationsEmitted.RleMask(
                                h, w, values, counts),
                        List.of(
                                new io.streamtune.contracts.SegmentationsEmitted.ClassArea(
                                        0, "background", area[0]),
                                new io.streamtune.contracts.SegmentationsEmitted.ClassArea(
                                        1, "cat", area[1]),
                                new io.streamtune.contracts.SegmentationsEmitted.ClassArea(
                                        2, "box", area[2])),
                        T);
        var request =
                new LabellingRequested(
                        seg.frame(),
                        Task.SEGMENTATION,
                        TestImages.jpeg(w, h, 3),
                        "random",
                        Double.NaN,
                        JsonSerde.MAPPER.valueToTree(seg),
                        T);

        ArrayNode tasks =
                LabelStudioTasks.of(List.of(request), LabelStudioTasks.ControlNames.defaults());

        JsonNode result = tasks.get(0).path("predictions").get(0).path("result");
        assertThat(result).hasSize(2);
        assertThat(result.get(0).path("type").asText()).isEqualTo("polygonlabels");
        assertThat(result.get(0).path("from_name").asText()).isEqualTo("polygon");
        List<String> classes = new java.util.ArrayList<>();
        result.forEach(r -> classes.add(r.path("value").path("polygonlabels").get(0).asText()));
        assertThat(classes).containsExactly("cat", "box");

        ObjectNode task = (ObjectNode) tasks.get(0);
        ObjectNode annotation = task.putArray("annotations").addObject();
        annotation.put("id", 1);
        annotation.put("was_cancelled", false);
        annotation.set("result", result);
        Path export = dir.resolve("seg-export.json");
        JsonSerde.MAPPER.writeValue(export.toFile(), tasks);
        List<DatasetItem> back =
                LabelStudioReader.read(
                        export,
                        Files.createDirectories(dir.resolve("seg-images")),
                        TaskHint.AUTO,
                        Files.createDirectories(dir.resolve("seg-urls")));

        Label.MaskLabel mask = (Label.MaskLabel) back.get(0).labels().make(w, h);
        var map =
                new io.streamtune.vision.image.ImageDecoder(
                                io.streamtune.vision.image.ImageLimits.defaults())
                        .decodeLabels(mask.png());
        for (String name : List.of("cat", "box")) {
            int original = name.equals("cat") ? 1 : 2;
            int now = mask.classes().indexOf(name);
            int inter = 0, union = 0;
            for (int i = 0; i < labels.length; i++) {
                boolean a = labels[i] == original, b = map.labels()[i] == now;
                inter += a && b ? 1 : 0;
                union += a || b ? 1 : 0;
            }
            assertThat((double) inter / union).as("IoU of %s", name).isGreaterThan(0.9);
        }
    }
}
