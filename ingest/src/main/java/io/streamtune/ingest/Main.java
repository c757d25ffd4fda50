package io.streamtune.ingest;

import io.streamtune.runtime.DjlOffline;
import io.streamtune.runtime.ServiceMain;

/** Starts the ingest service from environment variables and {@code --key=value} arguments. */
public final class Main {

    static {
        DjlOffline.enforce();
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        ServiceMain.run(
                "ingest",
                args,
                config -> IngestService.start(IngestConfig.from(config)),
                IngestService::shell,
                IngestConfig.OWNED_PREFIXES);
    }
}
