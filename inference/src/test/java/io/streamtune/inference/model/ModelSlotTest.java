package io.streamtune.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamtune.inference.TestModels;
import io.streamtune.vision.model.ModelSpecOverrides;
import io.streamtune.vision.model.OnnxModelRunner;
import io.streamtune.vision.model.RunnerOptions;
import org.junit.jupiter.api.Test;

class ModelSlotTest {

    @Test
    void shouldHandOutNothingBeforeAModelIsInstalled() {
        try (var slot = new ModelSlot()) {
            assertThat(slot.acquire()).isNull();
            assertThat(slot.servingVersion()).isZero();
        }
    }

    @Test
    void shouldCloseTheOldSessionOnlyAfterItsInFlightBatchReleasesIt() throws Exception {
        try (var slot = new ModelSlot()) {
            ServingModel v1 = serving(1);
            ServingModel v2 = serving(2);
            slot.install(v1);
            ServingModel inFlight = slot.acquire();

            slot.install(v2);

            assertThat(inFlight).isSameAs(v1);
            assertThat(v1.isClosed()).isFalse();
            assertThat(
                            inFlight.runner()
                                    .run(
                                            new float[][] {
                                                new float[3 * TestModels.SIZE * TestModels.SIZE]
                                            }))
                    .containsKey("output0");
            ServingModel next = slot.acquire();
            assertThat(next).isSameAs(v2);
            next.release();
            inFlight.release();
            assertThat(v1.isClosed()).isTrue();
            assertThat(v2.isClosed()).isFalse();
            assertThatThrownBy(
                            () ->
                                    v1.runner()
                                            .run(
                                                    new float[][] {
                                                        new float
                                                                [3
                                                                        * TestModels.SIZE
                                                                        * TestModels.SIZE]
                                                    }))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void shouldCloseTheServingSessionWithTheSlot() throws Exception {
        ServingModel v1 = serving(1);
        var slot = new ModelSlot();
        slot.install(v1);

        slot.close();

        assertThat(v1.isClosed()).isTrue();
        assertThat(slot.acquire()).isNull();
    }

    @Test
    void shouldRefuseAReleaseWithoutAcquire() throws Exception {
        ServingModel v1 = serving(1);
        v1.release();

        assertThatThrownBy(v1::release).isInstanceOf(IllegalStateException.class);
    }

    static ServingModel serving(int version) throws Exception {
        return new ServingModel(
                "cars",
                version,
                OnnxModelRunner.load(
                        TestModels.detector("cars", version, ""),
                        "cars",
                        RunnerOptions.defaults(),
                        ModelSpecOverrides.NONE));
    }
}
