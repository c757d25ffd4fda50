package io.streamtune.trainer.task;

import io.streamtune.onnx.ir.OnnxTensor;
import java.util.List;

/**
 * Examples of one size, in a stable order.
 *
 * @param height input height
 * @param width input width
 * @param examples the samples
 */
public record ExampleSet(int height, int width, List<Example> examples) {

    public ExampleSet {
        examples = List.copyOf(examples);
        for (Example e : examples) {
            if (e.input().length != 3 * height * width) {
                throw new IllegalArgumentException(
                        "example of "
                                + e.input().length
                                + " values, expected 3x"
                                + height
                                + "x"
                                + width);
            }
        }
    }

    public int size() {
        return examples.size();
    }

    /** Inputs {@code [from, to)} stacked into one {@code [n, 3, H, W]} tensor named "input". */
    public OnnxTensor inputs(int from, int to) {
        int per = 3 * height * width;
        float[] all = new float[(to - from) * per];
        for (int i = from; i < to; i++) {
            System.arraycopy(examples.get(i).input(), 0, all, (i - from) * per, per);
        }
        return OnnxTensor.ofFloats("input", new long[] {to - from, 3, height, width}, all);
    }
}
