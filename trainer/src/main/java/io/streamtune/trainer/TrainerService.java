package io.streamtune.trainer;

import io.streamtune.contracts.Topics;
import io.streamtune.runtime.ServiceShell;
import java.util.List;

/** The running trainer service: everything it holds, closed in one place. */
public final class TrainerService implements AutoCloseable {

    private final ServiceShell shell;

    private TrainerService(ServiceShell shell) {
        this.shell = shell;
    }

    /** Starts the service: topics provisioned, HTTP up. */
    public static TrainerService start(TrainerConfig config) {
        ServiceShell shell = ServiceShell.start(config.service(), List.of(Topics.TRAINING_PROGRESS, Topics.MODELS_PUBLISHED, Topics.MODELS_REJECTED, Topics.MODELS_ARTIFACTS));
        try {
            return new TrainerService(shell);
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
