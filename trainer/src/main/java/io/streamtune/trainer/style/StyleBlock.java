package io.streamtune.trainer.style;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.vision.preprocess.Normalization;

/**
 * Training wiring: the transformation network, then the frozen perceptual network over its output
 * and the content image together (one batch of {@code 2N}, outputs first). Outputs: the stylized
 * batch, then the perceptual taps in layer order.
 */
final class StyleBlock extends AbstractBlock {

    private final OnnxBlock net;
    private final OnnxBlock taps;
    private final float[] mean = new float[3];
    private final float[] std = new float[3];

    StyleBlock(OnnxBlock net, OnnxBlock taps, Normalization norm) {
        this.net = addChildBlock("net", net);
        this.taps = addChildBlock("taps", taps);
        for (int c = 0; c < 3; c++) {
            mean[c] = norm.mean().get(c).floatValue();
            std[c] = norm.std().get(c).floatValue();
        }
    }

    OnnxBlock net() {
        return net;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDManager m = x.getManager();
        NDArray y = net.forward(ps, new NDList(x), training).head();
        NDArray both = NDArrays.concat(new NDList(y, x), 0);
        NDArray mu = m.create(mean, new Shape(1, 3, 1, 1));
        NDArray sigma = m.create(std, new Shape(1, 3, 1, 1));
        NDList features = taps.forward(ps, new NDList(both.sub(mu).div(sigma)), training);
        NDList out = new NDList(y);
        out.addAll(features);
        return out;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        net.initialize(manager, dataType, inputShapes);
        Shape s = inputShapes[0];
        taps.initialize(manager, dataType, new Shape(2 * s.get(0), s.get(1), s.get(2), s.get(3)));
        taps.freezeParameters(true);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        Shape[] t =
                taps.getOutputShapes(
                        new Shape[] {new Shape(2 * s.get(0), s.get(1), s.get(2), s.get(3))});
        Shape[] out = new Shape[1 + t.length];
        out[0] = s;
        System.arraycopy(t, 0, out, 1, t.length);
        return out;
    }
}
