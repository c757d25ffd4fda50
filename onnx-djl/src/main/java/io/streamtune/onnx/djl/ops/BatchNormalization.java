package io.streamtune.onnx.djl.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import io.streamtune.onnx.ir.OnnxNode;
import java.util.List;

/**
 * ONNX {@code BatchNormalization}: Batch normalisation: running statistics in inference, batch
 * statistics (and running updates) in training.
 */
final class BatchNormalization implements Operator {

    @Override
    public String opType() {
        return "BatchNormalization";
    }

    @Override
    public List<ParameterRole> parameterRoles() {
        return List.of(
                new ParameterRole(1, Parameter.Type.GAMMA),
                new ParameterRole(2, Parameter.Type.BETA),
                new ParameterRole(3, Parameter.Type.RUNNING_MEAN),
                new ParameterRole(4, Parameter.Type.RUNNING_VAR));
    }

    @Override
    public NDList run(OpContext c, OnnxNode n, NDArray[] in) {
        NDArray x = in[0];
        float eps = n.attrFloat("epsilon", 1e-5f);
        float momentum = n.attrFloat("momentum", 0.9f);
        boolean onnxTraining = n.attrInt("training_mode", 0) != 0 || n.outputs().size() > 1;
        if (onnxTraining) {
            return batchNormOnnxTraining(x, in, eps, momentum, n.outputs().size());
        }
        boolean batchStats = c.training() && c.batchStatistics().test(n);
        // DJL's momentum, like ONNX's, weights the running value (it hands 1 - momentum to
        // PyTorch);
        // in training PyTorch updates the running statistics in place, with the unbiased variance.
        return x.getNDArrayInternal()
                .batchNorm(x, in[3], in[4], in[1], in[2], 1, momentum, eps, batchStats);
    }

    /** ONNX's own training-mode semantics: batch statistics with population variance. */
    private static NDList batchNormOnnxTraining(
            NDArray x, NDArray[] in, float eps, float momentum, int outputs) {
        int rank = x.getShape().dimension();
        NDArray mean = Nd.channelMean(x);
        NDArray centered = x.sub(Nd.alongAxis(mean, 1, rank));
        NDArray var = Nd.channelMean(centered.square());
        NDArray y =
                centered.div(Nd.alongAxis(var.add(eps).sqrt(), 1, rank))
                        .mul(Nd.alongAxis(in[1], 1, rank))
                        .add(Nd.alongAxis(in[2], 1, rank));
        NDList out = new NDList(y);
        if (outputs > 1) {
            out.add(in[3].mul(momentum).add(mean.mul(1 - momentum)));
        }
        if (outputs > 2) {
            out.add(in[4].mul(momentum).add(var.mul(1 - momentum)));
        }
        return out;
    }
}
