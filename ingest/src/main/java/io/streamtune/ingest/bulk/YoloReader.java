package io.streamtune.ingest.bulk;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.Label;
import io.streamtune.ingest.validate.Polygon;
import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.ingest.validate.SampleRejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * YOLO txt: {@code images/**} with {@code labels/**} mirroring it ({@code images/train/a.jpg} →
 * {@code labels/train/a.txt}); class names from {@code classes.txt} or the {@code names} of {@code
 * data.yaml}. Lines are {@code class cx cy w h} (detection) or {@code class x1 y1 x2 y2 x3 y3 ...}
 * (segmentation polygon), coordinates relative to the image size. An image without a label file has
 * no objects.
 */
public final class YoloReader {

    private static final Pattern INLINE_NAMES = Pattern.compile("(?m)^names:\\s*\\[(.*)]\\s*$");
    private static final Pattern MAPPED_NAME = Pattern.compile("^\\s+(\\d+)\\s*:\\s*(.+?)\\s*$");
    private static final Pattern LISTED_NAME = Pattern.compile("^\\s*-\\s*(.+?)\\s*$");

    private YoloReader() {}

    /**
     * One line of a label file, parsed; {@code xy} holds a box (4 values) or a polygon (>= 6
     * values).
     */
    record Line(int classId, double[] xy) {
        boolean isPolygon() {
            return xy.length != 4;
        }
    }

    public static List<DatasetItem> read(Path root, TaskHint task) throws DatasetFormatException {
        Path images = DatasetFiles.requireDirectory(root.resolve("images"), "YOLO images folder");
        Path labelsDir = root.resolve("labels");
        List<String> names = names(root);
        List<Path> files = DatasetFiles.images(images);
        Map<Path, Object> parsed = new TreeMap<>();
        boolean anyPolygon = false;
        for (Path image : files) {
            Path rel = images.relativize(image);
            Path txt = labelsDir.resolve(rel).resolveSibling(DatasetFiles.stem(image) + ".txt");
            try {
                List<Line> lines = Files.isRegularFile(txt) ? parse(txt, names.size()) : List.of();
                anyPolygon |= lines.stream().anyMatch(Line::isPolygon);
                parsed.put(image, lines);
            } catch (SampleRejectedException e) {
                parsed.put(image, e);
            }
        }
        boolean segment = task == TaskHint.SEGMENT || (task == TaskHint.AUTO && anyPolygon);
        List<String> maskClasses = new ArrayList<>();
        maskClasses.add("background");
        maskClasses.addAll(names);
        List<DatasetItem> items = new ArrayList<>();
        for (var e : parsed.entrySet()) {
            Path image = e.getKey();
            String source = DatasetFiles.relative(root, image);
            if (e.getValue() instanceof SampleRejectedException problem) {
                items.add(
                        DatasetItem.broken(source, image, problem.reason(), problem.getMessage()));
                continue;
            }
            @SuppressWarnings("unchecked")
            List<Line> lines = (List<Line>) e.getValue();
            items.add(
                    DatasetItem.of(
                            source,
                            image,
                            segment
                                    ? (w, h) -> mask(lines, maskClasses, w, h)
                                    : (w, h) -> boxes(lines, names, w, h)));
        }
        return items;
    }

    static List<Line> parse(Path txt, int classCount) throws SampleRejectedException {
        List<String> raw;
        try {
            raw = Files.readAllLines(txt, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SampleRejectedException(
                    RejectReason.MALFORMED_RECORD,
                    "cannot read " + txt.getFileName() + ": " + e.getMessage());
        }
        List<Line> lines = new ArrayList<>();
        for (int n = 0; n < raw.size(); n++) {
            String s = raw.get(n).strip();
            if (s.isEmpty()) {
                continue;
            }
            String[] t = s.split("\\s+");
            String where = txt.getFileName() + " line " + (n + 1);
            if (t.length != 5 && (t.length < 7 || t.length % 2 == 0)) {
                throw new SampleRejectedException(
                        RejectReason.BAD_LABEL,
                        where
                                + ": expected 'class cx cy w h' or 'class x1 y1 x2 y2 x3 y3 ...', got "
                                + t.length
                                + " fields");
            }
            int classId;
            double[] xy = new double[t.length - 1];
            try {
                classId = Integer.parseInt(t[0]);
                for (int i = 1; i < t.length; i++) {
                    xy[i - 1] = Double.parseDouble(t[i]);
                }
            } catch (NumberFormatException e) {
                throw new SampleRejectedException(
                        RejectReason.BAD_LABEL, where + ": not a number: " + e.getMessage());
            }
            if (classId < 0 || classId >= classCount) {
                throw new SampleRejectedException(
                        RejectReason.BAD_LABEL,
                        where
                                + ": class "
                                + classId
                                + " is not in the class list (0.."
                                + (classCount - 1)
                                + ")");
            }
            lines.add(new Line(classId, xy));
        }
        return lines;
    }

    private static Label boxes(List<Line> lines, List<String> names, int w, int h)
            throws SampleRejectedException {
        List<Label.BoxedObject> objects = new ArrayList<>();
        for (Line l : lines) {
            Box box;
            if (l.isPolygon()) {
                Polygon p = polygon(l, w, h);
                p.check(w, h);
                double[] b = p.bounds();
                box =
                        new Box(
                                Math.max(0, b[0]),
                                Math.max(0, b[1]),
                                Math.min(w, b[2]) - Math.max(0, b[0]),
                                Math.min(h, b[3]) - Math.max(0, b[1]));
            } else {
                double[] v = l.xy();
                try {
                    box = new Box((v[0] - v[2] / 2) * w, (v[1] - v[3] / 2) * h, v[2] * w, v[3] * h);
                } catch (IllegalArgumentException e) {
                    throw new SampleRejectedException(RejectReason.BAD_LABEL, e.getMessage());
                }
            }
            objects.add(new Label.BoxedObject(names.get(l.classId()), box));
        }
        return new Label.BoxesLabel(objects);
    }

    private static Label mask(List<Line> lines, List<String> classes, int w, int h)
            throws SampleRejectedException {
        byte[] labels = new byte[w * h];
        for (Line l : lines) {
            Polygon p;
            if (l.isPolygon()) {
                p = polygon(l, w, h);
            } else {
                double[] v = l.xy();
                double x0 = (v[0] - v[2] / 2) * w;
                double y0 = (v[1] - v[3] / 2) * h;
                double x1 = x0 + v[2] * w;
                double y1 = y0 + v[3] * h;
                p = new Polygon(new double[] {x0, y0, x1, y0, x1, y1, x0, y1});
            }
            p.check(w, h);
            p.fill(labels, w, h, (byte) (l.classId() + 1));
        }
        return new Label.MaskLabel(DatasetFiles.maskPng(labels, w, h), classes);
    }

    private static Polygon polygon(Line l, int w, int h) {
        double[] xy = l.xy().clone();
        for (int i = 0; i < xy.length; i++) {
            xy[i] *= i % 2 == 0 ? w : h;
        }
        return new Polygon(xy);
    }

    /**
     * Class names from classes.txt, else data.yaml ({@code names: [a, b]}, a mapping or a list).
     */
    static List<String> names(Path root) throws DatasetFormatException {
        Path classes = root.resolve("classes.txt");
        if (Files.isRegularFile(classes)) {
            return DatasetFiles.classList(classes);
        }
        Path yaml =
                Files.isRegularFile(root.resolve("data.yaml"))
                        ? root.resolve("data.yaml")
                        : root.resolve("dataset.yaml");
        if (!Files.isRegularFile(yaml)) {
            throw new DatasetFormatException("no classes.txt or data.yaml in " + root);
        }
        String text;
        try {
            text = Files.readString(yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatasetFormatException("cannot read " + yaml + ": " + e.getMessage(), e);
        }
        Matcher inline = INLINE_NAMES.matcher(text);
        if (inline.find()) {
            List<String> out = new ArrayList<>();
            for (String n : inline.group(1).split(",")) {
                out.add(unquote(n.strip()));
            }
            return out;
        }
        Map<Integer, String> mapped = new TreeMap<>();
        List<String> listed = new ArrayList<>();
        boolean inNames = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("names:")) {
                inNames = true;
                continue;
            }
            if (inNames) {
                Matcher m = MAPPED_NAME.matcher(line);
                Matcher l = LISTED_NAME.matcher(line);
                if (m.matches()) {
                    mapped.put(Integer.parseInt(m.group(1)), unquote(m.group(2)));
                } else if (l.matches()) {
                    listed.add(unquote(l.group(1)));
                } else if (!line.isBlank()) {
                    break;
                }
            }
        }
        List<String> out = mapped.isEmpty() ? listed : new ArrayList<>(mapped.values());
        if (out.isEmpty()) {
            throw new DatasetFormatException(yaml + " has no 'names'");
        }
        return out;
    }

    private static String unquote(String s) {
        if (s.length() >= 2
                && (s.startsWith("'") && s.endsWith("'")
                        || s.startsWith("\"") && s.endsWith("\""))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
