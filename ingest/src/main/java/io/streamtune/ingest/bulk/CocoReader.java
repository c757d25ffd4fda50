package io.streamtune.ingest.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamtune.contracts.Box;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.ingest.validate.Polygon;
import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.ingest.validate.SampleRejectedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * COCO JSON ({@code images}, {@code annotations}, {@code categories}). Detection: each non-crowd
 * annotation's {@code bbox [x, y, w, h]}. Segmentation: one semantic mask per image, value 0 =
 * background and category {@code k}-th (by id) = {@code k + 1}; polygons are filled, RLE (list or
 * compressed string) decoded, crowd regions set to 255 (ignore); later annotations paint over
 * earlier ones.
 */
public final class CocoReader {

    private CocoReader() {}

    /**
     * @param annotations the COCO JSON file
     * @param imagesDir folder the {@code file_name}s are relative to
     */
    public static List<DatasetItem> read(Path annotations, Path imagesDir, TaskHint task)
            throws DatasetFormatException {
        JsonNode root;
        try {
            root = JsonSerde.MAPPER.readTree(annotations.toFile());
        } catch (IOException e) {
            throw new DatasetFormatException(
                    "cannot read COCO file " + annotations + ": " + e.getMessage(), e);
        }
        if (root == null || !root.path("images").isArray() || !root.path("categories").isArray()) {
            throw new DatasetFormatException(
                    annotations + " is not COCO JSON: needs 'images' and 'categories' arrays");
        }
        Map<Long, String> categories = new TreeMap<>();
        for (JsonNode c : root.get("categories")) {
            categories.put(c.path("id").asLong(), c.path("name").asText());
        }
        List<String> classNames = new ArrayList<>(categories.values());
        Map<Long, Integer> maskValue = new HashMap<>();
        int k = 1;
        for (Long id : categories.keySet()) {
            maskValue.put(id, k++);
        }
        Map<Long, List<JsonNode>> byImage = new HashMap<>();
        boolean hasSegmentation = false;
        for (JsonNode a : root.path("annotations")) {
            byImage.computeIfAbsent(a.path("image_id").asLong(), i -> new ArrayList<>()).add(a);
            JsonNode seg = a.get("segmentation");
            hasSegmentation |= seg != null && (seg.isObject() || (seg.isArray() && !seg.isEmpty()));
        }
        boolean segment = task == TaskHint.SEGMENT || (task == TaskHint.AUTO && hasSegmentation);
        List<String> maskClasses = new ArrayList<>();
        maskClasses.add("background");
        maskClasses.addAll(classNames);

        Map<String, DatasetItem> items = new LinkedHashMap<>();
        for (JsonNode img : root.get("images")) {
            String fileName = img.path("file_name").asText("");
            String source = fileName.isEmpty() ? "image#" + img.path("id").asText() : fileName;
            Path file;
            try {
                file = DatasetFiles.inside(imagesDir, fileName);
            } catch (SampleRejectedException e) {
                items.put(source, DatasetItem.broken(source, null, e.reason(), e.getMessage()));
                continue;
            }
            if (fileName.isEmpty() || !java.nio.file.Files.isRegularFile(file)) {
                items.put(
                        source,
                        DatasetItem.broken(
                                source,
                                file,
                                RejectReason.MISSING_FILE,
                                "image file '" + fileName + "' not found in " + imagesDir));
                continue;
            }
            List<JsonNode> anns = byImage.getOrDefault(img.path("id").asLong(), List.of());
            DatasetItem.LabelMaker maker =
                    segment
                            ? (w, h) -> mask(anns, maskValue, maskClasses, w, h)
                            : (w, h) -> boxes(anns, categories);
            items.put(source, DatasetItem.of(source, file, maker));
        }
        return new ArrayList<>(items.values());
    }

    private static Label boxes(List<JsonNode> anns, Map<Long, String> categories)
            throws SampleRejectedException {
        List<Label.BoxedObject> objects = new ArrayList<>();
        for (JsonNode a : anns) {
            if (a.path("iscrowd").asInt(0) == 1) {
                continue;
            }
            String name = category(a, categories);
            JsonNode b = a.get("bbox");
            if (b == null || !b.isArray() || b.size() != 4) {
                throw new SampleRejectedException(
                        RejectReason.BAD_LABEL,
                        "annotation " + a.path("id").asText() + " has no bbox [x, y, w, h]");
            }
            try {
                objects.add(
                        new Label.BoxedObject(
                                name,
                                new Box(
                                        b.get(0).asDouble(),
                                        b.get(1).asDouble(),
                                        b.get(2).asDouble(),
                                        b.get(3).asDouble())));
            } catch (IllegalArgumentException e) {
                throw new SampleRejectedException(
                        RejectReason.BAD_LABEL,
                        "annotation " + a.path("id").asText() + ": " + e.getMessage());
            }
        }
        return new Label.BoxesLabel(objects);
    }

    private static String category(JsonNode a, Map<Long, String> categories)
            throws SampleRejectedException {
        String name = categories.get(a.path("category_id").asLong(-1));
        if (name == null) {
            throw new SampleRejectedException(
                    RejectReason.BAD_LABEL,
                    "annotation "
                            + a.path("id").asText()
                            + " names category "
                            + a.path("category_id").asText()
                            + ", which 'categories' does not define");
        }
        return name;
    }

    private static void paintRle(JsonNode a, JsonNode seg, byte[] labels, int w, int h, byte value)
            throws SampleRejectedException {
        JsonNode size = seg.path("size");
        if (!size.isArray() || size.size() != 2) {
            throw new SampleRejectedException(
                    RejectReason.BAD_LABEL,
                    "annotation " + a.path("id").asText() + ": RLE without size [height, width]");
        }
        int rh = size.get(0).asInt();
        int rw = size.get(1).asInt();
        if (rh != h || rw != w) {
            throw new SampleRejectedException(
                    RejectReason.MASK_SIZE_MISMATCH,
                    "annotation "
                            + a.path("id").asText()
                            + ": RLE is "
                            + rw
                            + "x"
                            + rh
                            + ", image is "
                            + w
                            + "x"
                            + h);
        }
        byte[] bits;
        try {
            JsonNode counts = seg.path("counts");
            if (counts.isTextual()) {
                bits = CocoRle.decode(CocoRle.parseCompressed(counts.asText()), h, w);
            } else if (counts.isArray()) {
                int[] runs = new int[counts.size()];
                for (int i = 0; i < runs.length; i++) {
                    runs[i] = counts.get(i).asInt(-1);
                }
                bits = CocoRle.decode(runs, h, w);
            } else {
                throw new IllegalArgumentException("RLE counts must be a list or a string");
            }
        } catch (IllegalArgumentException e) {
            throw new SampleRejectedException(
                    RejectReason.BAD_LABEL,
                    "annotation " + a.path("id").asText() + ": " + e.getMessage());
        }
        for (int i = 0; i < bits.length; i++) {
            if (bits[i] != 0) {
                labels[i] = value;
            }
        }
    }

    private static Label mask(
            List<JsonNode> anns, Map<Long, Integer> maskValue, List<String> classes, int w, int h)
            throws SampleRejectedException {
        if (classes.size() > 255) {
            throw new SampleRejectedException(
                    RejectReason.BAD_LABEL, "more than 254 categories do not fit a mask");
        }
        byte[] labels = new byte[w * h];
        for (JsonNode a : anns) {
            Integer index = maskValue.get(a.path("category_id").asLong(-1));
            if (index == null) {
                throw new SampleRejectedException(
                        RejectReason.BAD_LABEL,
                        "annotation "
                                + a.path("id").asText()
                                + " names category "
                                + a.path("category_id").asText()
                                + ", which 'categories' does not define");
            }
            byte value = a.path("iscrowd").asInt(0) == 1 ? (byte) 255 : (byte) (int) index;
            JsonNode seg = a.get("segmentation");
            if (seg != null && seg.isArray() && !seg.isEmpty()) {
                for (JsonNode poly : seg) {
                    double[] xy = new double[poly.size()];
                    for (int i = 0; i < xy.length; i++) {
                        xy[i] = poly.get(i).asDouble(Double.NaN);
                    }
                    Polygon polygon = new Polygon(xy);
                    polygon.check(w, h);
                    polygon.fill(labels, w, h, value);
                }
            } else if (seg != null && seg.isObject()) {
                paintRle(a, seg, labels, w, h, value);
            } else {
                throw new SampleRejectedException(
                        RejectReason.BAD_LABEL,
                        "annotation "
                                + a.path("id").asText()
                                + " has no segmentation for a segmentation import");
            }
        }
        return new Label.MaskLabel(DatasetFiles.maskPng(labels, w, h), classes);
    }
}
