package io.streamtune.ingest.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.contracts.Label;
import io.streamtune.ingest.fixtures.TestImages;
import io.streamtune.ingest.validate.ClassPolicy;
import io.streamtune.ingest.validate.ClassRegistry;
import io.streamtune.ingest.validate.ImageCheck;
import io.streamtune.ingest.validate.SampleRejectedException;
import io.streamtune.ingest.validate.SampleValidator;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReadersTest {

    @TempDir Path root;

    private final SampleValidator validator =
            new SampleValidator(
                    new ImageDecoder(ImageLimits.defaults()),
                    ImageCheck.DECODE,
                    new ClassRegistry(ClassPolicy.AUTO_REGISTER, 100, Map.of()),
                    100);

    /** Runs an item through probe, label building and validation: "ok" or the reject reason. */
    private String outcome(DatasetItem item) throws IOException {
        if (item.problem() != null) {
            return item.problem().tag();
        }
        byte[] bytes = Files.readAllBytes(item.image());
        try {
            var info = validator.probe(bytes);
            Label label = item.labels().make(info.width(), info.height());
            validator.validate("m", bytes, label);
            return "ok";
        } catch (SampleRejectedException e) {
            return e.reason().tag();
        }
    }

    private Map<String, String> outcomes(List<DatasetItem> items) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (DatasetItem item : items) {
            out.put(item.source(), outcome(item));
        }
        return out;
    }

    private Label label(DatasetItem item) throws Exception {
        var info = validator.probe(Files.readAllBytes(item.image()));
        return item.labels().make(info.width(), info.height());
    }

    private void write(String path, byte[] bytes) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    private void write(String path, String text) throws IOException {
        write(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadAnImageFolderWithOneClassPerFolder() throws Exception {
        write("cat/a.jpg", TestImages.jpeg(16, 16, 1));
        write("cat/b.PNG", TestImages.png(16, 16, 2));
        write("dog/c.jpeg", TestImages.jpeg(16, 16, 3));
        write("dog/notes.txt", "ignored");
        write("dog/fake.jpg", "not an image");

        List<DatasetItem> items = ImageFolderReader.read(root);

        assertThat(items)
                .extracting(DatasetItem::source)
                .containsExactly("cat/a.jpg", "cat/b.PNG", "dog/c.jpeg", "dog/fake.jpg");
        assertThat(label(items.get(0))).isEqualTo(new Label.ClassLabel("cat"));
        assertThat(label(items.get(2))).isEqualTo(new Label.ClassLabel("dog"));
        assertThat(outcomes(items))
                .containsEntry("dog/fake.jpg", "unsupported_format")
                .containsEntry("cat/a.jpg", "ok");
    }

    @Test
    void shouldRefuseAnImageFolderWithoutClassFolders() {
        assertThatThrownBy(() -> ImageFolderReader.read(root.resolve("missing")))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> ImageFolderReader.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("no class folders");
    }

    @Test
    void shouldReadCocoBoxesAndFlagMissingFilesAndOutOfRangeBoxes() throws Exception {
        write("img/a.jpg", TestImages.jpeg(40, 30, 4));
        write("img/b.jpg", TestImages.jpeg(40, 30, 5));
        write(
                "annotations.json",
                """
                {"images":[{"id":1,"file_name":"img/a.jpg","width":40,"height":30},
                           {"id":2,"file_name":"img/b.jpg","width":40,"height":30},
                           {"id":3,"file_name":"img/missing.jpg","width":40,"height":30},
                           {"id":4,"file_name":"../../etc/passwd","width":40,"height":30}],
                 "categories":[{"id":7,"name":"cat"},{"id":9,"name":"dog"}],
                 "annotations":[{"id":1,"image_id":1,"category_id":7,"bbox":[1,2,10,12],"iscrowd":0},
                                {"id":2,"image_id":1,"category_id":9,"bbox":[20,5,20,25],"iscrowd":0},
                                {"id":3,"image_id":2,"category_id":9,"bbox":[35,5,10,10],"iscrowd":0}]}
                """);

        List<DatasetItem> items =
                CocoReader.read(root.resolve("annotations.json"), root, TaskHint.AUTO);

        Label a = label(items.get(0));
        assertThat(a).isInstanceOf(Label.BoxesLabel.class);
        assertThat(((Label.BoxesLabel) a).objects()).hasSize(2);
        assertThat(((Label.BoxesLabel) a).objects().get(1).className()).isEqualTo("dog");
        assertThat(outcomes(items))
                .containsExactly(
                        Map.entry("img/a.jpg", "ok"),
                        Map.entry("img/b.jpg", "box_out_of_bounds"),
                        Map.entry("img/missing.jpg", "missing_file"),
                        Map.entry("../../etc/passwd", "malformed_record"));
    }

    @Test
    void shouldRefuseCocoFilesThatAreNotJson() throws Exception {
        write("annotations.json", "{\"images\": [ {\"id\": 1,");

        assertThatThrownBy(
                        () ->
                                CocoReader.read(
                                        root.resolve("annotations.json"), root, TaskHint.AUTO))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("cannot read COCO file");
        assertThatThrownBy(() -> CocoReader.read(root.resolve("nope.json"), root, TaskHint.AUTO))
                .isInstanceOf(DatasetFormatException.class);
    }

    @Test
    void shouldRasterizeCocoPolygonsAndRleIntoOneSemanticMask() throws Exception {
        write("a.png", TestImages.png(10, 8, 6));
        // RLE over 8 rows x 10 columns, column-major: column 0 rows 0-7 background, column 1 rows
        // 0-3 foreground.
        write(
                "annotations.json",
                """
                {"images":[{"id":1,"file_name":"a.png","width":10,"height":8}],
                 "categories":[{"id":1,"name":"cat"},{"id":2,"name":"dog"}],
                 "annotations":[
                   {"id":1,"image_id":1,"category_id":1,"segmentation":[[5,1,9,1,9,5,5,5]],"iscrowd":0},
                   {"id":2,"image_id":1,"category_id":2,"segmentation":{"size":[8,10],"counts":[8,4,68]},"iscrowd":0},
                   {"id":3,"image_id":1,"category_id":2,"segmentation":{"size":[8,10],"counts":[72,8]},"iscrowd":1}]}
                """);

        List<DatasetItem> items =
                CocoReader.read(root.resolve("annotations.json"), root, TaskHint.AUTO);
        Label.MaskLabel mask = (Label.MaskLabel) label(items.get(0));
        var raster =
                javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(mask.png()))
                        .getRaster();

        assertThat(mask.classes()).containsExactly("background", "cat", "dog");
        assertThat(raster.getSample(6, 2, 0)).isEqualTo(1);
        assertThat(raster.getSample(1, 0, 0)).isEqualTo(2);
        assertThat(raster.getSample(1, 3, 0)).isEqualTo(2);
        assertThat(raster.getSample(1, 4, 0)).isZero();
        assertThat(raster.getSample(9, 7, 0)).isEqualTo(255);
        assertThat(raster.getSample(0, 0, 0)).isZero();
        assertThat(outcome(items.get(0))).isEqualTo("ok");
    }

    /** COCO's compact RLE string, written from its definition for the test. */
    private static String compress(int[] counts) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            long x = i > 2 ? counts[i] - counts[i - 2] : counts[i];
            boolean more = true;
            while (more) {
                int group = (int) (x & 0x1F);
                x >>= 5;
                more = (group & 0x10) != 0 ? x != -1 : x != 0;
                out.append((char) ((more ? group | 0x20 : group) + 48));
            }
        }
        return out.toString();
    }

    @Test
    void shouldDecodeCompressedCocoRleStringsLikeTheirListForm() {
        int[] counts = {0, 7, 3, 1000, 2, 5, 40000, 1, 1};

        assertThat(CocoRle.parseCompressed(compress(counts))).containsExactly(counts);
        assertThat(CocoRle.decode(new int[] {8, 4, 68}, 8, 10)[1]).isEqualTo((byte) 1);
        assertThat(CocoRle.decode(CocoRle.parseCompressed(compress(new int[] {8, 4, 68})), 8, 10))
                .isEqualTo(CocoRle.decode(new int[] {8, 4, 68}, 8, 10));
        assertThatThrownBy(() -> CocoRle.decode(new int[] {8, 4}, 8, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFlagACocoRleOfTheWrongSize() throws Exception {
        write("a.png", TestImages.png(10, 8, 7));
        write(
                "annotations.json",
                """
                {"images":[{"id":1,"file_name":"a.png","width":10,"height":8}],
                 "categories":[{"id":1,"name":"cat"}],
                 "annotations":[{"id":1,"image_id":1,"category_id":1,"segmentation":{"size":[4,5],"counts":[20]}}]}
                """);

        List<DatasetItem> items =
                CocoReader.read(root.resolve("annotations.json"), root, TaskHint.SEGMENT);

        assertThat(outcome(items.get(0))).isEqualTo("mask_size_mismatch");
    }

    @Test
    void shouldReadYoloDetectionLinesRelativeToTheImageSize() throws Exception {
        write("classes.txt", "cat\ndog\n");
        write("images/train/a.jpg", TestImages.jpeg(100, 50, 8));
        write("labels/train/a.txt", "1 0.5 0.5 0.2 0.4\n");
        write("images/train/b.jpg", TestImages.jpeg(100, 50, 9));
        write("labels/train/b.txt", "0 0.95 0.5 0.3 0.2\n");
        write("images/train/c.jpg", TestImages.jpeg(100, 50, 10));
        write("labels/train/c.txt", "5 0.5 0.5 0.1 0.1\n");
        write("images/train/d.jpg", TestImages.jpeg(100, 50, 11));

        List<DatasetItem> items = YoloReader.read(root, TaskHint.AUTO);
        var a = (Label.BoxesLabel) label(items.get(0));

        assertThat(a.objects().get(0).className()).isEqualTo("dog");
        assertThat(a.objects().get(0).box().x()).isEqualTo(40.0);
        assertThat(a.objects().get(0).box().height()).isEqualTo(20.0);
        assertThat(outcomes(items))
                .containsExactly(
                        Map.entry("images/train/a.jpg", "ok"),
                        Map.entry("images/train/b.jpg", "box_out_of_bounds"),
                        Map.entry("images/train/c.jpg", "bad_label"),
                        Map.entry("images/train/d.jpg", "ok"));
    }

    @Test
    void shouldReadYoloSegmentPolygonsAsMasksWithNamesFromDataYaml() throws Exception {
        write("data.yaml", "path: .\nnames:\n  0: cat\n  1: dog\n");
        write("images/a.png", TestImages.png(20, 10, 12));
        write("labels/a.txt", "1 0.1 0.1 0.5 0.1 0.5 0.9 0.1 0.9\n");
        write("images/b.png", TestImages.png(20, 10, 13));
        write("labels/b.txt", "0 0.1 0.1 0.2 0.2 0.3\n");

        List<DatasetItem> items = YoloReader.read(root, TaskHint.AUTO);
        var mask = (Label.MaskLabel) label(items.get(0));
        var raster =
                javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(mask.png()))
                        .getRaster();

        assertThat(mask.classes()).containsExactly("background", "cat", "dog");
        assertThat(raster.getSample(5, 5, 0)).isEqualTo(2);
        assertThat(raster.getSample(15, 5, 0)).isZero();
        assertThat(outcomes(items))
                .containsEntry("images/a.png", "ok")
                .containsEntry("images/b.png", "bad_label");
    }

    @Test
    void shouldParseYoloNamesFromAnInlineList() throws Exception {
        write("data.yaml", "names: ['cat', \"dog\", bird]\n");

        assertThat(YoloReader.names(root)).containsExactly("cat", "dog", "bird");
    }

    @Test
    void shouldReadPascalVocAndRefuseEntitiesAndBrokenXml() throws Exception {
        write("JPEGImages/a.jpg", TestImages.jpeg(50, 40, 14));
        write(
                "Annotations/a.xml",
                """
                <annotation><filename>a.jpg</filename><size><width>50</width><height>40</height></size>
                  <object><name>cat</name><bndbox><xmin>5</xmin><ymin>6</ymin><xmax>25</xmax><ymax>30</ymax></bndbox></object>
                  <object><name>dog</name><bndbox><xmin>30</xmin><ymin>10</ymin><xmax>60</xmax><ymax>20</ymax></bndbox></object>
                </annotation>""");
        write("Annotations/b.xml", "<annotation><filename>b.jpg</filename></annotation>");
        write("Annotations/c.xml", "<annotation><filename>a.jpg</fil");
        write(
                "Annotations/d.xml",
                """
                <?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <annotation><filename>&x;</filename></annotation>""");
        write(
                "Annotations/e.xml",
                """
                <annotation><filename>a.jpg</filename>
                  <object><name>cat</name><bndbox><xmin>5</xmin><ymin>6</ymin><xmax>25</xmax><ymax>30</ymax></bndbox></object>
                </annotation>""");

        List<DatasetItem> items = VocReader.read(root);
        var first = (Label.BoxesLabel) label(items.get(0));

        assertThat(first.objects().get(0).box())
                .isEqualTo(new io.streamtune.contracts.Box(5, 6, 20, 24));
        assertThat(outcomes(items).values())
                .containsExactly(
                        "box_out_of_bounds",
                        "missing_file",
                        "malformed_record",
                        "malformed_record",
                        "ok");
    }

    @Test
    void shouldReadMaskFoldersAndFlagMissingAndMisSizedMasks() throws Exception {
        write("classes.txt", "background\ncat\n");
        write("images/a.png", TestImages.png(4, 2, 15));
        write(
                "masks/a.png",
                TestImages.palettePng(4, 2, new byte[] {0, 1, 1, (byte) 255, 0, 0, 1, 1}));
        write("images/b.jpg", TestImages.jpeg(4, 2, 16));
        write("masks/b.png", TestImages.greyPng(3, 2, new byte[6]));
        write("images/c.png", TestImages.png(4, 2, 17));
        write("images/d.png", TestImages.png(4, 2, 18));
        write("masks/d.png", TestImages.greyPng(4, 2, new byte[] {0, 1, 7, 0, 0, 0, 0, 0}));

        List<DatasetItem> items = MaskFolderReader.read(root);

        assertThat(outcomes(items))
                .containsExactly(
                        Map.entry("images/a.png", "ok"),
                        Map.entry("images/b.jpg", "mask_size_mismatch"),
                        Map.entry("images/c.png", "missing_file"),
                        Map.entry("images/d.png", "bad_mask"));
    }

    @Test
    void shouldRequireAClassListForMaskFolders() throws Exception {
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("masks"));

        assertThatThrownBy(() -> MaskFolderReader.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("classes.txt");
    }
}
