package io.streamtune.onnx.djl.graft;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.util.Set;

/**
 * Routes each parameter's update to one of two optimizers, so that layers unfrozen late can train
 * at a lower learning rate than the head.
 */
public final class ParameterGroupOptimizer extends Optimizer {

    private final Optimizer main;
    private final Optimizer slow;
    private final Set<String> slowParameterIds;

    /** {@code slow} updates the parameters whose DJL ids are listed; {@code main} all others. */
    public ParameterGroupOptimizer(Optimizer main, Optimizer slow, Set<String> slowParameterIds) {
        super(new Builder());
        this.main = main;
        this.slow = slow;
        this.slowParameterIds = Set.copyOf(slowParameterIds);
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        (slowParameterIds.contains(parameterId) ? slow : main).update(parameterId, weight, grad);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
