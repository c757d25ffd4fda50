package io.streamtune.trainer;

import io.streamtune.trainer.onnx.ir.OnnxGraph;
import io.streamtune.trainer.onnx.ir.OnnxReader;
import io.streamtune.trainer.pretrain.Pretrainer;
import io.streamtune.trainer.train.ProgressListener;
import java.nio.file.Path;
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
        return OnnxReader.read(backboneFile());
    }
}
