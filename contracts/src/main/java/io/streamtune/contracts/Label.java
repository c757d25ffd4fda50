package io.streamtune.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/**
 * The annotation of one image: a class, a set of boxes, a segmentation mask, or for style transfer
 * the image's role (a style to learn, or content to learn it on). On the wire a JSON object whose
 * {@code type} field is {@code class}, {@code boxes}, {@code mask}, {@code style} or {@code
 * content}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Label.ClassLabel.class, name = "class"),
    @JsonSubTypes.Type(value = Label.BoxesLabel.class, name = "boxes"),
    @JsonSubTypes.Type(value = Label.MaskLabel.class, name = "mask"),
    @JsonSubTypes.Type(value = Label.StyleLabel.class, name = "style"),
    @JsonSubTypes.Type(value = Label.ContentLabel.class, name = "content")
})
public sealed interface Label
        permits Label.ClassLabel,
                Label.BoxesLabel,
                Label.MaskLabel,
                Label.StyleLabel,
                Label.ContentLabel {

    /** The task this kind of label trains. */
    Task task();

    /** The class names this label mentions. */
    List<String> classNames();

    /** Image-level class for classification. */
    record ClassLabel(String className) implements Label {
        public ClassLabel {
            className = requireClassName(className);
        }

        @Override
        public Task task() {
            return Task.CLASSIFICATION;
        }

        @Override
        public List<String> classNames() {
            return List.of(className);
        }
    }

    /** One labelled object for detection. */
    record BoxedObject(String className, Box box) {
        public BoxedObject {
            className = requireClassName(className);
            Objects.requireNonNull(box, "box");
        }
    }

    /** Objects in boxes for detection; an empty list is a valid "nothing here" image. */
    record BoxesLabel(List<BoxedObject> objects) implements Label {
        public BoxesLabel {
            objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
        }

        @Override
        public Task task() {
            return Task.DETECTION;
        }

        @Override
        public List<String> classNames() {
            return objects.stream().map(BoxedObject::className).distinct().toList();
        }
    }

    /**
     * A semantic mask for segmentation: a single-channel PNG the size of the image whose pixel
     * values index {@code classes}; 255 means "ignore".
     */
    record MaskLabel(byte[] png, List<String> classes) implements Label {
        public MaskLabel {
            Objects.requireNonNull(png, "png");
            if (png.length == 0) {
                throw new IllegalArgumentException("mask png must not be empty");
            }
            classes = List.copyOf(Objects.requireNonNull(classes, "classes"));
            if (classes.isEmpty() || classes.size() > 255) {
                throw new IllegalArgumentException(
                        "mask classes must have 1..255 names, had " + classes.size());
            }
            classes.forEach(Label::requireClassName);
        }

        @Override
        public Task task() {
            return Task.SEGMENTATION;
        }

        @Override
        public List<String> classNames() {
            return classes;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MaskLabel m
                    && java.util.Arrays.equals(png, m.png)
                    && classes.equals(m.classes);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(png) + classes.hashCode();
        }

        @Override
        public String toString() {
            return "MaskLabel[png=" + png.length + " bytes, classes=" + classes + "]";
        }
    }

    /**
     * The image is a style (e.g. a painting) the model named with it learns to render; a model with
     * at least one style image is a stylization model, and every other image accepted for it is
     * content.
     */
    record StyleLabel() implements Label {
        @Override
        public Task task() {
            return Task.STYLIZATION;
        }

        @Override
        public List<String> classNames() {
            return List.of();
        }
    }

    /** The image is content for a stylization model: a photograph like those it will stylize. */
    record ContentLabel() implements Label {
        @Override
        public Task task() {
            return Task.STYLIZATION;
        }

        @Override
        public List<String> classNames() {
            return List.of();
        }
    }

    /** Checks a class name: non-blank, at most 128 characters, no control characters. */
    static String requireClassName(String name) {
        Objects.requireNonNull(name, "className");
        String trimmed = name.strip();
        if (trimmed.isEmpty()
                || trimmed.length() > 128
                || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("invalid class name '" + name + "'");
        }
        return trimmed;
    }
}
