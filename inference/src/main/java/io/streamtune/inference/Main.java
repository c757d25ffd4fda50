package io.streamtune.inference;

import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.DjlOffline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the inference service from environment variables and {@code --key=value} arguments. */
public final class Main {

    static {
        DjlOffline.enforce();
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger(Main.class);
        InferenceService service;
        try {
            service = InferenceService.start(InferenceConfig.from(ConfigSource.fromMainArgs(args)));
        } catch (RuntimeException e) {
            log.error("inference failed to start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        service.shell().closeOnShutdown();
        log.info("inference ready: {}", service.shell().http().url());
        service.shell().awaitStop();
    }
}
