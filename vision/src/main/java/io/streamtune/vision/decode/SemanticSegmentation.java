package io.streamtune.vision.decode;

import io.streamtune.vision.mask.LabelMap;
import java.util.List;
import java.util.Objects;

/**
 * A decoded semantic segmentation in source-image pixels: the label map and one {@link ClassMask}
 * per class present, by ascending class id.
 */
public record SemanticSegmentation(LabelMap labelMap, List<ClassMask> classes) {

    public SemanticSegmentation {
        Objects.requireNonNull(labelMap, "labelMap");
        classes = List.copyOf(classes);
    }

    public int width() {
        return labelMap.width();
    }

    public int height() {
        return labelMap.height();
    }
}
