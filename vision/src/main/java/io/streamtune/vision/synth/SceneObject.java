package io.streamtune.vision.synth;

import io.streamtune.contracts.Box;
import java.util.Objects;

/**
 * One shape in a synthetic scene.
 *
 * @param shape what was drawn
 * @param box its tight bounding box in image pixels (top-left origin)
 */
public record SceneObject(ShapeKind shape, Box box) {

    public SceneObject {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(box, "box");
    }

    /** Class id of the shape. */
    public int classId() {
        return shape.classId();
    }
}
