package io.streamtune.onnx.djl.graft;

import ai.djl.nn.Parameter;
import io.streamtune.onnx.djl.OnnxBlock;
import io.streamtune.onnx.ir.OnnxGraph;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which initializers stay frozen during fine-tuning. Apply it <em>after</em> {@code
 * model.newTrainer(...)} and {@code trainer.initialize(...)}: DJL re-enables gradients on
 * parameters frozen earlier. BatchNorm running statistics are never made trainable, and a frozen
 * BatchNorm normalises with its running statistics (and leaves them alone) even in training.
 *
 * <p>To unfreeze later at a lower learning rate, create the trainer from the start with a {@link
 * ParameterGroupOptimizer} whose slow group is {@link #parameterIds}, then call {@link #unfreeze}.
 */
public record FreezePlan(Set<String> frozenInitializers) {

    public FreezePlan {
        frozenInitializers = Set.copyOf(frozenInitializers);
    }

    /** Freezes every block of {@code backbone} except the last {@code trainableBlocks}. */
    public static FreezePlan allButLastBlocks(OnnxGraph backbone, int trainableBlocks) {
        if (trainableBlocks < 0) {
            throw new IllegalArgumentException("trainableBlocks must be >= 0: " + trainableBlocks);
        }
        List<BlockPartition.Block> blocks = BlockPartition.of(backbone);
        Set<String> frozen = new LinkedHashSet<>();
        for (int i = 0; i < blocks.size() - trainableBlocks; i++) {
            frozen.addAll(blocks.get(i).initializers());
        }
        return new FreezePlan(frozen);
    }

    /**
     * Freezes the planned parameters and makes every other parameter trainable (running statistics
     * excepted).
     */
    public void apply(OnnxBlock block) {
        for (Map.Entry<String, Parameter> e : block.parametersByTensor().entrySet()) {
            Parameter p = e.getValue();
            if (!OnnxBlock.isRunningStatistic(p)) {
                p.freeze(frozenInitializers.contains(e.getKey()));
            }
        }
    }

    /** Makes the planned parameters trainable again (running statistics excepted). */
    public void unfreeze(OnnxBlock block) {
        for (Map.Entry<String, Parameter> e : block.parametersByTensor().entrySet()) {
            if (frozenInitializers.contains(e.getKey())
                    && !OnnxBlock.isRunningStatistic(e.getValue())) {
                e.getValue().freeze(false);
            }
        }
    }

    /** DJL parameter ids of the planned parameters (for a lower learning rate after unfreezing). */
    public Set<String> parameterIds(OnnxBlock block) {
        Set<String> ids = new LinkedHashSet<>();
        block.parametersByTensor()
                .forEach(
                        (name, p) -> {
                            if (frozenInitializers.contains(name)) {
                                ids.add(p.getId());
                            }
                        });
        return ids;
    }
}
