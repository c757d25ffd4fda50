package io.streamtune.inference;

import io.streamtune.runtime.DjlOffline;
import io.streamtune.runtime.ServiceMain;

/** Starts the inference service from environment variables and {@code --key=value} arguments. */
public final class Main {

    static {
        DjlOffline.enforce();
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        ServiceMain.run(
                "inference",
                args,
                config -> InferenceService.start(InferenceConfig.all(config)),
                InferenceService::shell,
                InferenceConfig.OWNED_PREFIXES);
    }
}
