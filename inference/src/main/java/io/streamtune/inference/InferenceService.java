package io.streamtune.inference;

import io.streamtune.contracts.Topics;
import io.streamtune.runtime.ServiceShell;
import java.util.List;

/** The running inference service: everything it holds, closed in one place. */
public final class InferenceService implements AutoCloseable {

    private final ServiceShell shell;

    private InferenceService(ServiceShell shell) {
        this.shell = shell;
    }

    /** Starts the service: topics provisioned, HTTP up. */
    public static InferenceService start(InferenceConfig config) {
        ServiceShell shell = ServiceShell.start(config.service(), List.of(Topics.FRAMES, Topics.FRAMES.deadLetters(), Topics.PREDICTIONS_DETECTIONS, Topics.PREDICTIONS_SEGMENTATIONS, Topics.PREDICTIONS_CLASSIFICATIONS, Topics.INFERENCE_EVENTS));
        try {
            return new InferenceService(shell);
        } catch (RuntimeException e) {
            shell.close();
            throw e;
        }
    }

    /** Health, metrics, HTTP and lifecycle of this service. */
    public ServiceShell shell() {
        return shell;
    }

    @Override
    public void close() {
        shell.close();
    }
}
