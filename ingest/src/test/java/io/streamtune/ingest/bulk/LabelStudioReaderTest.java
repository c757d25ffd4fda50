package io.streamtune.ingest.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.Label;
import io.streamtune.ingest.fixtures.TestImages;
import io.streamtune.ingest.validate.RejectReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Label Studio JSON exports, written as its documentation shows them. */
class LabelStudioReaderTest {

    @TempDir Path dir;

    @Test
    void shouldReadChoicesRectanglesAndPolygonsInPercentOfTheImage() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.write(images.resolve("cat.jpg"), TestImages.jpeg(40, 20, 1));
        Files.write(images.resolve("street.jpg"), TestImages.jpeg(200, 100, 2));
        Files.write(images.resolve("road.png"), TestImages.png(50, 50, 3));
        String dataUrl =
                "data:image/jpeg;base64,"
                        + Base64.getEncoder().encodeToString(TestImages.jpeg(30, 30, 4));
        Path export =
                Files.writeString(
                        dir.resolve("export.json"),
                        """
                        [
                          {"id": 1, "data": {"image": "/data/upload/1/0f3c2a1b-cat.jpg"},
                           "annotations": [
                             {"id": 10, "was_cancelled": false, "result": [
                               {"id": "a", "type": "choices", "from_name": "choice", "to_name": "image",
                                "value": {"choices": ["dog"]}}]},
                             {"id": 11, "was_cancelled": false, "result": [
                               {"id": "b", "type": "choices", "from_name": "choice", "to_name": "image",
                                "value": {"choices": ["cat"]}}]},
                             {"id": 12, "was_cancelled": true, "result": []}]},
                          {"id": 2, "data": {"image": "/data/local-files/?d=photos%2Fstreet.jpg"},
                           "annotations": [{"id": 20, "result": [
                             {"id": "c", "type": "rectanglelabels", "from_name": "label", "to_name": "image",
                              "original_width": 200, "original_height": 100, "image_rotation": 0,
                              "value": {"x": 10, "y": 20, "width": 25, "height": 50, "rotation": 0,
                                        "rectanglelabels": ["car"]}}]}]},
                          {"id": 3, "data": {"image": "road.png"},
                           "annotations": [{"id": 30, "result": [
                             {"id": "d", "type": "polygonlabels", "from_name": "poly", "to_name": "image",
                              "original_width": 50, "original_height": 50,
                              "value": {"points": [[0, 50], [100, 50], [100, 100], [0, 100]],
                                        "polygonlabels": ["road"]}}]}]},
                          {"id": 4, "data": {"image": "DATA_URL"},
                           "annotations": [{"id": 40, "result": [
                             {"type": "choices", "value": {"choices": ["bird"]}}]}]},
                          {"id": 5, "data": {"image": "cat.jpg"},
                           "annotations": [{"id": 50, "was_cancelled": true, "result": []}]},
                          {"id": 6, "data": {"image": "cat.jpg"},
                           "annotations": [{"id": 60, "result": [
                             {"type": "brushlabels", "value": {"format": "rle", "rle": [1, 2],
                              "brushlabels": ["road"]}}]}]},
                          {"id": 7, "data": {"image": "../../etc/passwd"},
                           "annotations": [{"id": 70, "result": [
                             {"type": "choices", "value": {"choices": ["cat"]}}]}]}
                        ]
                        """
                                .replace("DATA_URL", dataUrl));

        List<DatasetItem> items =
                LabelStudioReader.read(
                        export, images, TaskHint.AUTO, Files.createTempDirectory(dir, "urls"));

        assertThat(items).hasSize(7);
        // the last annotation not cancelled, the upload prefix stripped from the file name
        assertThat(items.get(0).image()).isEqualTo(images.resolve("cat.jpg").toAbsolutePath());
        assertThat(items.get(0).labels().make(40, 20)).isEqualTo(new Label.ClassLabel("cat"));
        // percent of the image, at its real size
        assertThat(items.get(1).labels().make(200, 100))
                .isEqualTo(
                        new Label.BoxesLabel(
                                List.of(new Label.BoxedObject("car", new Box(20, 20, 50, 50)))));
        Label mask = items.get(2).labels().make(50, 50);
        assertThat(mask).isInstanceOf(Label.MaskLabel.class);
        assertThat(((Label.MaskLabel) mask).classes()).containsExactly("background", "road");
        // a data URL becomes a file of its bytes
        assertThat(Files.readAllBytes(items.get(3).image())).isEqualTo(TestImages.jpeg(30, 30, 4));
        assertThat(items.get(3).labels().make(30, 30)).isEqualTo(new Label.ClassLabel("bird"));
        // reported, not imported: only a cancelled annotation; a brush mask; a path out of the
        // folder
        assertThat(items.get(4).problem()).isEqualTo(RejectReason.BAD_LABEL);
        assertThat(items.get(4).detail()).contains("no annotation");
        var brush =
                org.assertj.core.api.Assertions.catchThrowable(
                        () -> items.get(5).labels().make(40, 20));
        assertThat(brush).hasMessageContaining("brush masks");
        assertThat(items.get(6).problem()).isNotNull();
    }
}
