package io.streamtune.ingest.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamtune.contracts.Box;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.ingest.validate.Polygon;
import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.ingest.validate.SampleRejectedException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Label Studio's JSON export (a list of tasks, each with {@code data} and {@code annotations}):
 * {@code choices} become a class label, {@code rectanglelabels} boxes and {@code polygonlabels} a
 * mask, all in Label Studio's percent-of-image coordinates converted at the image's real size. A
 * task's image is a data URL, or a file found by name under the images folder (also without the
 * 8-hex-digit prefix Label Studio gives uploads, {@code 0f3c2a1b-cat.jpg}). The last annotation
 * that was not cancelled counts; a task without one, or with brush masks (Label Studio's own RLE,
 * not read), is reported with its reason and imports nothing.
 */
public final class LabelStudioReader {

    private static final Pattern UPLOAD_PREFIX = Pattern.compile("^[0-9a-f]{8}-(.+)$");

    private LabelStudioReader() {}

    /**
     * @param export the JSON export file
     * @param imagesDir folder holding the tasks' image files (unused for data URLs)
     * @param dataUrlDir where images that came as data URLs are written for the import
     */
    public static List<DatasetItem> read(
            Path export, Path imagesDir, TaskHint task, Path dataUrlDir)
            throws DatasetFormatException {
        JsonNode root;
        try {
            root = JsonSerde.MAPPER.readTree(export.toFile());
        } catch (IOException e) {
            throw new DatasetFormatException(
                    "cannot read Label Studio export " + export + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new DatasetFormatException(
                    export + " is not a Label Studio JSON export: expected a list of tasks");
        }
        // every polygon label of the export, so all masks share one class list
        TreeSet<String> regionClasses = new TreeSet<>();
        for (JsonNode t : root) {
            for (JsonNode r : results(t)) {
                if (r.path("type").asText().equals("polygonlabels")) {
                    r.path("value")
                            .path("polygonlabels")
                            .forEach(l -> regionClasses.add(l.asText()));
                }
            }
        }
        List<String> maskClasses = new ArrayList<>();
        maskClasses.add("background");
        maskClasses.addAll(regionClasses);

        List<DatasetItem> items = new ArrayList<>();
        int index = 0;
        for (JsonNode t : root) {
            index++;
            String source = "task " + t.path("id").asText(Integer.toString(index));
            JsonNode annotation = lastAnnotation(t);
            String ref = imageRef(t.path("data"));
            if (ref == null) {
                items.add(
                        DatasetItem.broken(
                                source, null, RejectReason.BAD_LABEL, source + " has no image"));
                continue;
            }
            Path file;
            try {
                file = resolve(ref, imagesDir, dataUrlDir, index);
            } catch (SampleRejectedException e) {
                items.add(DatasetItem.broken(source, null, e.reason(), e.getMessage()));
                continue;
            }
            if (file == null || !Files.isRegularFile(file)) {
                items.add(
                        DatasetItem.broken(
                                source,
                                file,
                                RejectReason.MISSING_FILE,
                                source + ": image '" + ref + "' not found in " + imagesDir));
                continue;
            }
            if (!ref.startsWith("data:")) {
                source = DatasetFiles.relative(imagesDir, file);
            }
            if (annotation == null) {
                items.add(
                        DatasetItem.broken(
                                source,
                                file,
                                RejectReason.BAD_LABEL,
                                source + " has no annotation that was not cancelled"));
                continue;
            }
            String name = source;
            JsonNode results = annotation.path("result");
            items.add(
                    DatasetItem.of(
                            source, file, (w, h) -> label(name, results, task, maskClasses, w, h)));
        }
        return items;
    }

    private static Iterable<JsonNode> results(JsonNode task) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode a : task.path("annotations")) {
            a.path("result").forEach(all::add);
        }
        return all;
    }

    private static JsonNode lastAnnotation(JsonNode task) {
        JsonNode last = null;
        for (JsonNode a : task.path("annotations")) {
            if (!a.path("was_cancelled").asBoolean(false)) {
                last = a;
            }
        }
        return last;
    }

    /** {@code data.image}, else the first string value of {@code data}. */
    private static String imageRef(JsonNode data) {
        if (data.path("image").isTextual()) {
            return data.get("image").asText();
        }
        for (JsonNode v : data) {
            if (v.isTextual()) {
                return v.asText();
            }
        }
        return null;
    }

    private static Path resolve(String ref, Path imagesDir, Path dataUrlDir, int index)
            throws SampleRejectedException {
        if (ref.startsWith("data:")) {
            int comma = ref.indexOf(',');
            if (comma < 0 || !ref.substring(0, comma).endsWith(";base64")) {
                throw new SampleRejectedException(
                        RejectReason.MALFORMED_RECORD, "data URL is not base64");
            }
            try {
                byte[] bytes = Base64.getDecoder().decode(ref.substring(comma + 1));
                Path f = dataUrlDir.resolve("task-" + index + ".img");
                Files.write(f, bytes);
                return f;
            } catch (IllegalArgumentException | IOException e) {
                throw new SampleRejectedException(
                        RejectReason.MALFORMED_RECORD, "data URL unreadable: " + e.getMessage());
            }
        }
        String path = ref;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        // "/data/upload/1/0f3c2a1b-cat.jpg", "/data/local-files/?d=dir/cat.jpg", "s3://b/cat.jpg"
        if (ref.contains("?d=")) {
            path = ref.substring(ref.indexOf("?d=") + 3);
        }
        path = URLDecoder.decode(path, StandardCharsets.UTF_8);
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            return null;
        }
        Path direct = DatasetFiles.inside(imagesDir, name);
        if (Files.isRegularFile(direct)) {
            return direct;
        }
        Matcher m = UPLOAD_PREFIX.matcher(name);
        return m.matches() ? DatasetFiles.inside(imagesDir, m.group(1)) : direct;
    }

    private static Label label(
            String source, JsonNode results, TaskHint task, List<String> maskClasses, int w, int h)
            throws SampleRejectedException {
        List<Label.BoxedObject> boxes = new ArrayList<>();
        List<JsonNode> polygons = new ArrayList<>();
        String choice = null;
        for (JsonNode r : results) {
            JsonNode v = r.path("value");
            switch (r.path("type").asText()) {
                case "choices" -> {
                    if (choice == null && v.path("choices").size() > 0) {
                        choice = v.path("choices").get(0).asText();
                    }
                }
                case "rectanglelabels" -> {
                    if (v.path("rotation").asDouble(0) != 0) {
                        throw new SampleRejectedException(
                                RejectReason.BAD_LABEL,
                                source + ": rotated rectangles are not supported");
                    }
                    String cls = v.path("rectanglelabels").path(0).asText("");
                    try {
                        boxes.add(
                                new Label.BoxedObject(
                                        cls,
                                        new Box(
                                                v.path("x").asDouble() * w / 100,
                                                v.path("y").asDouble() * h / 100,
                                                v.path("width").asDouble() * w / 100,
                                                v.path("height").asDouble() * h / 100)));
                    } catch (IllegalArgumentException e) {
                        throw new SampleRejectedException(
                                RejectReason.BAD_LABEL, source + ": " + e.getMessage());
                    }
                }
                case "polygonlabels" -> polygons.add(v);
                case "brushlabels" ->
                        throw new SampleRejectedException(
                                RejectReason.BAD_LABEL,
                                source
                                        + ": brush masks (Label Studio RLE) are not read; label"
                                        + " with polygons, or export masks and use --format masks");
                default -> {
                    // other control tags (text areas, ratings) carry no image label
                }
            }
        }
        boolean segment =
                task == TaskHint.SEGMENT || (task == TaskHint.AUTO && !polygons.isEmpty());
        if (segment) {
            if (maskClasses.size() > 255) {
                throw new SampleRejectedException(
                        RejectReason.BAD_LABEL, "more than 254 polygon labels do not fit a mask");
            }
            byte[] labels = new byte[w * h];
            for (JsonNode v : polygons) {
                int value = maskClasses.indexOf(v.path("polygonlabels").path(0).asText(""));
                JsonNode pts = v.path("points");
                double[] xy = new double[pts.size() * 2];
                for (int i = 0; i < pts.size(); i++) {
                    xy[2 * i] = pts.get(i).path(0).asDouble(Double.NaN) * w / 100;
                    xy[2 * i + 1] = pts.get(i).path(1).asDouble(Double.NaN) * h / 100;
                }
                Polygon polygon = new Polygon(xy);
                polygon.check(w, h);
                polygon.fill(labels, w, h, (byte) Math.max(1, value));
            }
            return new Label.MaskLabel(DatasetFiles.maskPng(labels, w, h), maskClasses);
        }
        if (!boxes.isEmpty() || task == TaskHint.DETECT) {
            return new Label.BoxesLabel(boxes);
        }
        if (choice != null) {
            return new Label.ClassLabel(choice);
        }
        throw new SampleRejectedException(
                RejectReason.BAD_LABEL,
                source + ": the annotation has no choice, rectangle or polygon");
    }
}
