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
 * the top class) or {@code rectanglelabels} (detection, in percent of the image). Segmentation
 * requests are exported without a pre-annotation (Label Studio's brush RLE is not written). The
 * control names must match the project's labelling config; the defaults fit:
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
     */
    public record ControlNames(String image, String choices, String rectangles) {
        public static ControlNames defaults() {
            return new ControlNames("image", "choice", "label");
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
        }
        return out;
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

    private static String mediaType(byte[] image) {
        return image.length > 3 && (image[0] & 0xFF) == 0x89 && image[1] == 'P'
                ? "image/png"
                : "image/jpeg";
    }
}
