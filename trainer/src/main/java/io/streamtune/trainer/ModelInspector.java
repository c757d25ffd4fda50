package io.streamtune.trainer;

import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.djl.graft.BlockPartition;
import io.streamtune.onnx.djl.graft.GraphCut;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxNode;
import io.streamtune.onnx.ir.OnnxReader;
import io.streamtune.onnx.ir.OnnxTensor;
import io.streamtune.onnx.ir.TensorInfo;
import io.streamtune.onnx.ir.UnsupportedOperatorException;
import io.streamtune.vision.model.InputShape;
import io.streamtune.vision.model.ModelLoadException;
import io.streamtune.vision.model.ModelSpec;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import io.streamtune.zoo.Zoo;
import io.streamtune.zoo.ZooException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code models inspect FILE|zoo:NAME}: what an ONNX model is and whether the trainer can fine-tune
 * it — opset, operators, inputs and outputs, metadata, whether inference serves it as it is (and as
 * what), the feature map a new head would attach to and the blocks fine-tuning would unfreeze. Exit
 * 0 when the bridge can fine-tune it, 3 when it cannot (with the reason; ONNX Runtime may still
 * serve it), 1 when the file cannot be read.
 */
public final class ModelInspector {

    private ModelInspector() {}

    /** Whether inference can serve the file as it is, and as what; or what it lacks. */
    private static void serving(Path file, PrintStream out) {
        try (OnnxModelRunner runner =
                OnnxModelRunner.load(file, RunnerOptions.defaults(), ModelSpecOverrides.NONE)) {
            ModelSpec spec = runner.spec();
            InputShape input = runner.inputShape();
            out.printf(
                    "serve      yes: task %s, input %s %dx%d (%s), %d classes, outputs %s%n",
                    spec.task(),
                    input.name(),
                    spec.inputWidth(),
                    spec.inputHeight(),
                    input.batching(),
                    spec.classNames().size(),
                    runner.outputNames());
        } catch (ModelLoadException e) {
            String prefix = "cannot load model " + file + ": ";
            String reason =
                    e.getMessage().startsWith(prefix)
                            ? e.getMessage().substring(prefix.length())
                            : e.getMessage();
            out.println(
                    "serve      not as it is: "
                            + reason
                            + " (the inference.model.* keys supply what its metadata lacks)");
        }
    }

    /** Prints the report; returns the exit code. */
    public static int inspect(String ref, int finetuneBlocks, PrintStream out, PrintStream err) {
        Path file;
        try {
            file = Zoo.standard().resolve(ref, s -> err.println("zoo: " + s));
        } catch (ZooException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (!Files.isRegularFile(file)) {
            err.println("inspect: " + file + ": no such file");
            return 1;
        }
        OnnxGraph g;
        try {
            g = OnnxReader.read(file);
        } catch (UnsupportedOperatorException e) {
            // beyond what the trainer reads (an If with subgraphs, a torchvision detector's NMS):
            // ONNX Runtime may still serve it
            out.printf("model      %s%n", file);
            serving(file, out);
            out.println("fine-tune  no: " + e.getMessage());
            return 3;
        } catch (IOException | RuntimeException e) {
            err.println("inspect: " + file + " is not a readable ONNX model: " + e.getMessage());
            return 1;
        }
        long params = g.initializers().values().stream().mapToLong(OnnxTensor::elementCount).sum();
        out.printf("model      %s%n", file);
        out.printf(
                "opset      %d (default domain), %d nodes, %d initializers, %.2f M parameters%n",
                g.opset(), g.nodes().size(), g.initializers().size(), params / 1e6);
        for (TensorInfo i : g.inputs()) {
            out.printf("input      %s%n", i);
        }
        for (TensorInfo o : g.outputs()) {
            out.printf("output     %s%n", o);
        }
        Map<String, Integer> ops = new TreeMap<>();
        for (OnnxNode n : g.nodes()) {
            ops.merge(n.opType(), 1, Integer::sum);
        }
        out.printf("operators  %s%n", ops);
        if (!g.metadata().isEmpty()) {
            out.println("metadata");
            g.metadata()
                    .forEach(
                            (k, v) ->
                                    out.printf(
                                            "  %-30s %s%n",
                                            k, v.length() > 100 ? v.substring(0, 100) + "…" : v));
        }
        serving(file, out);
        try {
            BridgeReader.check(g);
        } catch (UnsupportedOperatorException e) {
            out.println("fine-tune  no: " + e.getMessage());
            return 3;
        }
        String feature = g.metadata().get(ModelMetadataKeys.FEATURE_TENSOR);
        try {
            if (feature == null || !g.hasTensor(feature)) {
                feature = GraphCut.classifierInput(g);
            }
        } catch (RuntimeException e) {
            feature = null;
        }
        out.println("fine-tune  yes: every operator runs on the DJL bridge");
        if (feature != null) {
            OnnxGraph backbone = GraphCut.cutAt(g, feature);
            List<BlockPartition.Block> blocks = BlockPartition.of(backbone);
            out.printf("backbone   cut at %s: %d blocks%n", feature, blocks.size());
            int k = Math.min(finetuneBlocks, blocks.size());
            for (BlockPartition.Block b : blocks.subList(blocks.size() - k, blocks.size())) {
                long n =
                        b.initializers().stream()
                                .mapToLong(i -> backbone.initializers().get(i).elementCount())
                                .sum();
                out.printf(
                        "  unfreezes block %d: %s … %s (%d nodes, %d parameters)%n",
                        b.index(),
                        b.nodes().get(0),
                        b.nodes().get(b.nodes().size() - 1),
                        b.nodes().size(),
                        n);
            }
        } else {
            out.println(
                    "backbone   no classifier head and no "
                            + ModelMetadataKeys.FEATURE_TENSOR
                            + " metadata: no feature map to attach a head to");
        }
        return 0;
    }
}
