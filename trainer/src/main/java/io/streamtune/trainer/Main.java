package io.streamtune.trainer;

import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.DjlOffline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the trainer service from environment variables and {@code --key=value} arguments. */
public final class Main {

    static {
        DjlOffline.enforce();
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger(Main.class);
        TrainerService service;
        try {
            TrainerConfig config = TrainerConfig.from(ConfigSource.fromMainArgs(args));
            config.applyTorchThreads();
            service = TrainerService.start(config);
        } catch (RuntimeException e) {
            log.error("trainer failed to start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        service.shell().closeOnShutdown();
        log.info("trainer ready: {}", service.shell().http().url());
        service.shell().awaitStop();
    }
}
