package io.streamtune.trainer;

import io.streamtune.contracts.Task;
import io.streamtune.onnx.djl.BridgeReader;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.trainer.evaluate.EvalSample;
import io.streamtune.trainer.evaluate.Evaluation;
import io.streamtune.trainer.evaluate.Evaluator;
import io.streamtune.trainer.pretrain.Pretrainer;
import io.streamtune.trainer.publish.ModelExport;
import io.streamtune.trainer.task.TaskHead;
import io.streamtune.trainer.train.ProgressListener;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Shared test fixtures: a small pre-trained backbone, cached under target/ across test classes. */
public final class TrainerFixtures {

    /** Input size of the test backbone. */
    public static final int SIZE = 32;

    private static final Path CACHE = Path.of("target", "test-backbones");

    private TrainerFixtures() {}

    /** Pretrain options of the shared test backbone: 4000 synthetic one-shape scenes, 6 epochs. */
    public static Pretrainer.Options options() {
        return new Pretrainer.Options(Pretrainer.Source.SYNTHETIC, SIZE, 4000, 6, Set.of(), 1L);
    }

    public static synchronized Path backboneFile() throws Exception {
        return Pretrainer.ensure(CACHE, options(), ProgressListener.NONE, 1);
    }

    public static OnnxGraph backbone() throws Exception {
        return BridgeReader.read(backboneFile());
    }

    /**
     * Exports a fine-tuned graph with its metadata and evaluates the ONNX bytes through the same
     * runner inference uses.
     */
    public static Evaluation exportAndEvaluate(
            TaskHead head,
            OnnxGraph trained,
            Task task,
            List<String> classNames,
            int size,
            List<EvalSample> eval)
            throws Exception {
        OnnxGraph exported =
                ModelExport.withMetadata(
                        head.export(trained, classNames.size()),
                        task,
                        classNames,
                        Pretrainer.preprocess(size),
                        "scenes",
                        1,
                        null,
                        Map.of(),
                        Instant.EPOCH);
        return new Evaluator(1)
                .evaluate(ModelExport.bytes(exported), "scenes", task, classNames.size(), eval);
    }
}
