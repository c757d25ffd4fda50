package io.streamtune.vision.model;

import io.streamtune.contracts.Task;
import io.streamtune.vision.preprocess.ChannelOrder;
import io.streamtune.vision.preprocess.Normalization;
import io.streamtune.vision.preprocess.ResizeMode;
import java.util.List;
import java.util.Optional;

/**
 * Explicit settings that win over a model's metadata, for models that carry none or carry it wrong;
 * every field is optional.
 */
public record ModelSpecOverrides(
        Optional<Task> task,
        Optional<List<String>> classNames,
        Optional<Integer> inputWidth,
        Optional<Integer> inputHeight,
        Optional<ResizeMode> resize,
        Optional<Integer> padValue,
        Optional<Normalization> normalization,
        Optional<ChannelOrder> channels,
        Optional<Boolean> outputProbabilities,
        Optional<String> name,
        Optional<Long> version) {

    /** No overrides. */
    public static final ModelSpecOverrides NONE = builder().build();

    public ModelSpecOverrides {
        classNames = classNames.map(List::copyOf);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ModelSpecOverrides}; unset fields stay empty. */
    public static final class Builder {
        private Task task;
        private List<String> classNames;
        private Integer inputWidth;
        private Integer inputHeight;
        private ResizeMode resize;
        private Integer padValue;
        private Normalization normalization;
        private ChannelOrder channels;
        private Boolean outputProbabilities;
        private String name;
        private Long version;

        private Builder() {}

        public Builder task(Task value) {
            task = value;
            return this;
        }

        public Builder classNames(List<String> value) {
            classNames = List.copyOf(value);
            return this;
        }

        public Builder inputSize(int width, int height) {
            inputWidth = width;
            inputHeight = height;
            return this;
        }

        public Builder resize(ResizeMode value) {
            resize = value;
            return this;
        }

        public Builder padValue(int value) {
            padValue = value;
            return this;
        }

        public Builder normalization(Normalization value) {
            normalization = value;
            return this;
        }

        public Builder channels(ChannelOrder value) {
            channels = value;
            return this;
        }

        public Builder outputProbabilities(boolean value) {
            outputProbabilities = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder version(long value) {
            version = value;
            return this;
        }

        public ModelSpecOverrides build() {
            return new ModelSpecOverrides(
                    Optional.ofNullable(task),
                    Optional.ofNullable(classNames),
                    Optional.ofNullable(inputWidth),
                    Optional.ofNullable(inputHeight),
                    Optional.ofNullable(resize),
                    Optional.ofNullable(padValue),
                    Optional.ofNullable(normalization),
                    Optional.ofNullable(channels),
                    Optional.ofNullable(outputProbabilities),
                    Optional.ofNullable(name),
                    Optional.ofNullable(version));
        }
    }
}
