package io.streamtune.ingest;

import io.streamtune.contracts.Topics;
import io.streamtune.runtime.ServiceShell;
import java.util.List;

/** The running ingest service: everything it holds, closed in one place. */
public final class IngestService implements AutoCloseable {

    private final ServiceShell shell;

    private IngestService(ServiceShell shell) {
        this.shell = shell;
    }

    /** Starts the service: topics provisioned, HTTP up. */
    public static IngestService start(IngestConfig config) {
        ServiceShell shell = ServiceShell.start(config.service(), List.of(Topics.IMAGES_INTAKE, Topics.IMAGES_INTAKE.deadLetters(), Topics.IMAGES_LABELLED, Topics.TRAINING_REQUESTS, Topics.TRAINING_TRIGGERS));
        try {
            return new IngestService(shell);
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
