package io.streamtune.ingest.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.LabellingRequested;
import io.streamtune.contracts.Task;
import java.util.Base64;
import java.util.List;

/**
 * Labelling requests as Label Studio tasks (its JSON task import format, with {@code predictions}
 * as pre-annotations): the frame as a data URL in {@code data.image}, where it came from in the
 * other {@code data} fields, and the serving model's prediction as {@code choices} (classification,
 * the top class), {@code rectanglelabels} (detection, in percent of the image) or {@code
 * polygonlabels} (segmentation: each class region's outline, traced from the predicted mask and
 * simplified to about a pixel; holes are not cut out, regions under 0.05 % of the image are left
 * out, at most 20 per class; a class named background is not outlined). The control names must
 * match the project's labelling config; the defaults fit:
 *
 * <pre>{@code
 * <View>
 *   <Image name="image" value="$image"/>
 *   <Choices name="choice" toName="image">...</Choices>
 *   <RectangleLabels name="label" toName="image">...</RectangleLabels>
 *   <PolygonLabels name="polygon" toName="image">...</PolygonLabels>
 * </View>
 * }</pre>
 */
public final class LabelStudioTasks {

    /**
     * Names of the labelling config's tags the pre-annotations refer to.
     *
     * @param image the Image tag
     * @param choices the Choices tag
     * @param rectangles the RectangleLabels tag
     * @param polygons the PolygonLabels tag
     */
    public record ControlNames(String image, String choices, String rectangles, String polygons) {
        public static ControlNames defaults() {
            return new ControlNames("image", "choice", "label", "polygon");
        }
    }

    private LabelStudioTasks() {}

    /** The tasks for {@code requests}, in order. */
    public static ArrayNode of(List<LabellingRequested> requests, ControlNames names) {
        ArrayNode tasks = JsonSerde.MAPPER.createArrayNode();
        for (LabellingRequested r : requests) {
            tasks.add(task(r, names));
        }
        return tasks;
    }

    static ObjectNode task(LabellingRequested r, ControlNames names) {
        ObjectNode task = JsonSerde.MAPPER.createObjectNode();
        ObjectNode data = task.putObject("data");
        data.put(
                names.image(),
                "data:"
                        + mediaType(r.image())
                        + ";base64,"
                        + Base64.getEncoder().encodeToString(r.image()));
        data.put("streamtune_key", r.key());
        data.put("frame_id", r.frame().frameId());
        data.put("camera_id", r.frame().cameraId());
        data.put("model", r.frame().model());
        data.put("model_version", r.frame().modelVersion());
        data.put("reason", r.reason());
        data.put("captured_at", r.frame().capturedAt().toString());
        ArrayNode result = result(r, names);
        if (!result.isEmpty()) {
            ObjectNode prediction = task.putArray("predictions").addObject();
            prediction.put("model_version", r.frame().model() + " v" + r.frame().modelVersion());
            if (Double.isFinite(r.score())) {
                prediction.put("score", r.score());
            }
            prediction.set("result", result);
        }
        return task;
    }

    private static ArrayNode result(LabellingRequested r, ControlNames names) {
        ArrayNode out = JsonSerde.MAPPER.createArrayNode();
        JsonNode p = r.predictions();
        int w = r.frame().width();
        int h = r.frame().height();
        if (r.task() == Task.CLASSIFICATION && p.path("top").size() > 0) {
            ObjectNode c = region(out, "c0", "choices", names.choices(), names.image(), w, h);
            c.putObject("value")
                    .putArray("choices")
                    .add(p.path("top").get(0).path("label").asText());
        } else if (r.task() == Task.DETECTION) {
            int i = 0;
            for (JsonNode d : p.path("detections")) {
                JsonNode b = d.path("box");
                ObjectNode region =
                        region(
                                out,
                                "d" + i++,
                                "rectanglelabels",
                                names.rectangles(),
                                names.image(),
                                w,
                                h);
                region.put("score", d.path("score").asDouble());
                ObjectNode v = region.putObject("value");
                v.put("x", b.path("x").asDouble() * 100 / w);
                v.put("y", b.path("y").asDouble() * 100 / h);
                v.put("width", b.path("width").asDouble() * 100 / w);
                v.put("height", b.path("height").asDouble() * 100 / h);
                v.put("rotation", 0);
                v.putArray("rectanglelabels").add(d.path("label").asText());
            }
        } else if (r.task() == Task.SEGMENTATION && p.has("mask")) {
            polygons(out, p, names, w, h);
        }
        return out;
    }

    /** Each predicted class region's outline as a Label Studio polygon, in percent. */
    private static void polygons(ArrayNode out, JsonNode p, ControlNames names, int w, int h) {
        JsonNode mask = p.path("mask");
        int mw = mask.path("width").asInt(), mh = mask.path("height").asInt();
        if (mw <= 0 || mh <= 0 || (long) mw * mh > 64L << 20) {
            return;
        }
        int[] labels = new int[mw * mh];
        int at = 0;
        JsonNode values = mask.path("values"), counts = mask.path("counts");
        for (int i = 0; i < values.size() && i < counts.size(); i++) {
            int v = values.get(i).asInt();
            int n = counts.get(i).asInt();
            if (n < 0 || at + n > labels.length) {
                return; // not a mask of the frame's size: no pre-annotation rather than a wrong one
            }
            java.util.Arrays.fill(labels, at, at + n, v);
            at += n;
        }
        if (at != labels.length) {
            return;
        }
        int minPixels = Math.max(16, (int) (0.0005 * mw * mh));
        double tolerance = Math.max(1.0, 0.002 * Math.hypot(mw, mh));
        int region = 0;
        for (JsonNode area : p.path("classAreas")) {
            String label = area.path("label").asText();
            if (label.equalsIgnoreCase("background")
                    || label.equalsIgnoreCase("_background_")
                    || label.isEmpty()) {
                continue;
            }
            for (var outline :
                    io.streamtune.vision.mask.Contours.of(
                            labels,
                            mw,
                            mh,
                            area.path("classId").asInt(),
                            minPixels,
                            20,
                            tolerance)) {
                ObjectNode poly =
                        region(
                                out,
                                "s" + region++,
                                "polygonlabels",
                                names.polygons(),
                                names.image(),
                                w,
                                h);
                ObjectNode v = poly.putObject("value");
                ArrayNode points = v.putArray("points");
                double[] xy = outline.points();
                for (int k = 0; k + 1 < xy.length; k += 2) {
                    points.addArray().add(xy[k] * 100 / mw).add(xy[k + 1] * 100 / mh);
                }
                v.put("closed", true);
                v.putArray("polygonlabels").add(label);
            }
        }
    }

    private static ObjectNode region(
            ArrayNode out, String id, String type, String from, String to, int w, int h) {
        ObjectNode region = out.addObject();
        region.put("id", id);
        region.put("type", type);
        region.put("from_name", from);
        region.put("to_name", to);
        region.put("original_width", w);
        region.put("original_height", h);
        region.put("image_rotation", 0);
        return region;
    }

    static String mediaType(byte[] image) {
        return io.streamtune.vision.image.ImageFormat.mediaType(image);
    }
}
