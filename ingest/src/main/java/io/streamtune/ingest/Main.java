package io.streamtune.ingest;

import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.DjlOffline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the ingest service from environment variables and {@code --key=value} arguments. */
public final class Main {

    static {
        DjlOffline.enforce();
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger(Main.class);
        IngestService service;
        try {
            service = IngestService.start(IngestConfig.from(ConfigSource.fromMainArgs(args)));
        } catch (RuntimeException e) {
            log.error("ingest failed to start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        service.shell().closeOnShutdown();
        log.info("ingest ready: {}", service.shell().http().url());
        service.shell().awaitStop();
    }
}
