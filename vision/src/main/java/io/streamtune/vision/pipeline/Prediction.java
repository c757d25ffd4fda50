package io.streamtune.vision.pipeline;

import io.streamtune.vision.decode.ClassScore;
import io.streamtune.vision.decode.Detection;
import io.streamtune.vision.decode.InstanceMask;
import io.streamtune.vision.decode.SemanticSegmentation;
import io.streamtune.vision.image.RgbImage;
import java.util.List;
import java.util.Objects;

/** What a model said about one image, by task; coordinates and masks are in source-image pixels. */
public sealed interface Prediction {

    /** Classification: the top-k classes and the full probability vector (for evaluation). */
    record Classified(List<ClassScore> top, float[] probabilities) implements Prediction {
        public Classified {
            top = List.copyOf(top);
            Objects.requireNonNull(probabilities, "probabilities");
        }
    }

    /** Detection: boxes after NMS, best first. */
    record Detected(List<Detection> detections) implements Prediction {
        public Detected {
            detections = List.copyOf(detections);
        }
    }

    /** Semantic segmentation: label map, per-class RLE masks and areas. */
    record Segmented(SemanticSegmentation segmentation) implements Prediction {
        public Segmented {
            Objects.requireNonNull(segmentation, "segmentation");
        }
    }

    /** Style transfer: the stylized frame, in the source's aspect ratio. */
    record Stylized(RgbImage image) implements Prediction {
        public Stylized {
            Objects.requireNonNull(image, "image");
        }
    }

    /** Instance segmentation: detections with their masks. */
    record InstancesSegmented(List<InstanceMask> instances) implements Prediction {
        public InstancesSegmented {
            instances = List.copyOf(instances);
        }
    }
}
