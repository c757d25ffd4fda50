package io.streamtune.inference.labelling;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.inference.labelling.LabellingSampler.Prediction;
import io.streamtune.inference.labelling.LabellingSampler.Reason;
import io.streamtune.inference.labelling.LabellingSampler.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LabellingSamplerTest {

    /** Only the strategy under test on; caps out of the way unless a test sets them. */
    private static Settings only(
            double confMin, double confMax, double margin, double rare, double random) {
        return new Settings(
                confMin, confMax, margin, rare, 10, random, 1000, 1000, 1000, 1000, 100, 0.5, 0, 0,
                0);
    }

    private static Prediction classified(double... probabilities) {
        List<Double> p = java.util.Arrays.stream(probabilities).boxed().toList();
        return new Prediction(p, true, List.of("cat"));
    }

    @Test
    void shouldPickUnsureClassificationsAndDetectionsButNotConfidentOnes() {
        LabellingSampler s = new LabellingSampler(only(0.3, 0.6, 0, 0, 0), new TestClock(), 1);

        assertThat(s.decide("f1", "cam", classified(0.5, 0.3, 0.2)))
                .map(LabellingSampler.Pick::reason)
                .contains(Reason.LOW_CONFIDENCE);
        assertThat(s.decide("f2", "cam", classified(0.95, 0.05))).isEmpty();
        // a detection: any object in the band counts; confident and background ones do not
        assertThat(s.decide("f3", "cam", new Prediction(List.of(0.9, 0.45), false, List.of("car"))))
                .map(LabellingSampler.Pick::score)
                .contains(0.45);
        assertThat(s.decide("f4", "cam", new Prediction(List.of(0.9, 0.1), false, List.of("car"))))
                .isEmpty();
        // the second-best class probability of a classification is not its confidence
        assertThat(s.decide("f5", "cam", classified(0.7, 0.4))).isEmpty();
    }

    @Test
    void shouldPickAConfidentFrameUnlikeTheGateImagesAsNovel() {
        Settings novel =
                new Settings(0, 0, 0, 0, 10, 0, 1000, 1000, 1000, 1000, 100, 0, 0.75, 0, 0);
        LabellingSampler s = new LabellingSampler(novel, new TestClock(), 1);

        // 6 of 8 dimensions in an outer tenth of the reference: picked, however confident
        assertThat(
                        s.decide(
                                "f1",
                                "cam",
                                new Prediction(List.of(0.99), true, List.of("cat"), 0.75, null)))
                .map(LabellingSampler.Pick::reason)
                .contains(Reason.NOVEL);
        // as often as the reference's own images are (0.2 a dimension on average): not
        assertThat(
                        s.decide(
                                "f2",
                                "cam",
                                new Prediction(List.of(0.99), true, List.of("cat"), 0.25, null)))
                .isEmpty();
        // no embedding, or the strategy off
        assertThat(s.decide("f3", "cam", classified(0.99))).isEmpty();
        LabellingSampler off = new LabellingSampler(only(0, 0, 0, 0, 0), new TestClock(), 1);
        assertThat(
                        off.decide(
                                "f4",
                                "cam",
                                new Prediction(List.of(0.99), true, List.of("cat"), 1.0, null)))
                .isEmpty();
    }

    @Test
    void shouldPassOverNearDuplicatesOfACamerasLastRequests() {
        Settings dedupe =
                new Settings(0, 0, 0, 0, 10, 0, 1000, 1000, 1000, 1000, 100, 0, 0.75, 0.05, 0);
        LabellingSampler s = new LabellingSampler(dedupe, new TestClock(), 1);
        List<Float> view = List.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f);
        List<Float> sameView = List.of(1.01f, 2f, 3f, 4f, 5f, 6f, 7f, 8.02f);
        List<Float> otherView = List.of(8f, 7f, 6f, 5f, 4f, 3f, 2f, 1f);

        // a camera holding one unusual view for seconds: its first frame is requested, not the rest
        assertThat(s.decide("f1", "cam", novel(view))).isPresent();
        assertThat(s.decide("f2", "cam", novel(sameView))).isEmpty();
        assertThat(s.decide("f3", "cam", novel(view))).isEmpty();
        assertThat(s.duplicates()).isEqualTo(2);
        // another view, the same view on another camera, or the same with another class: requested
        assertThat(s.decide("f4", "cam", novel(otherView))).isPresent();
        assertThat(s.decide("f5", "cam-2", novel(view))).isPresent();
        assertThat(
                        s.decide(
                                "f6",
                                "cam",
                                new Prediction(List.of(0.99), true, List.of("dog"), 0.875, view)))
                .isPresent();
        // off: every one of them
        LabellingSampler off =
                new LabellingSampler(
                        new Settings(0, 0, 0, 0, 10, 0, 1000, 1000, 1000, 1000, 100, 0, 0.75, 0, 0),
                        new TestClock(),
                        1);
        assertThat(off.decide("g1", "cam", novel(view))).isPresent();
        assertThat(off.decide("g2", "cam", novel(view))).isPresent();
        assertThat(LabellingSampler.relativeDistance(new float[] {3, 4}, new float[] {3, 4}))
                .isZero();
        assertThat(LabellingSampler.relativeDistance(new float[] {3, 4}, new float[] {0, 0}))
                .isEqualTo(1.0);
    }

    private static Prediction novel(List<Float> embedding) {
        return new Prediction(List.of(0.99), true, List.of("cat"), 0.875, embedding);
    }

    @Test
    void shouldPickClassificationsWhoseTopTwoAreClose() {
        LabellingSampler s = new LabellingSampler(only(0, 0, 0.1, 0, 0), new TestClock(), 1);

        Optional<LabellingSampler.Pick> close = s.decide("f1", "cam", classified(0.72, 0.68));
        assertThat(close).map(LabellingSampler.Pick::reason).contains(Reason.SMALL_MARGIN);
        assertThat(close.get().score()).isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.decide("f2", "cam", classified(0.9, 0.05))).isEmpty();
        // detections have no margin
        assertThat(s.decide("f3", "cam", new Prediction(List.of(0.9, 0.88), false, List.of("a"))))
                .isEmpty();
    }

    @Test
    void shouldPickAClassTheModelRarelyPredictsOnceEnoughFramesWereSeen() {
        LabellingSampler s = new LabellingSampler(only(0, 0, 0, 0.05, 0), new TestClock(), 1);
        Prediction common = new Prediction(List.of(), false, List.of("road"));
        Prediction rare = new Prediction(List.of(), false, List.of("fox"));

        // before 10 frames nothing is rare
        assertThat(s.decide("early", "cam", rare)).isEmpty();
        for (int i = 0; i < 40; i++) {
            assertThat(s.decide("c" + i, "cam", common)).isEmpty();
        }
        assertThat(s.decide("late", "cam", rare))
                .map(LabellingSampler.Pick::reason)
                .contains(Reason.RARE_CLASS);
    }

    @Test
    void shouldRequestAFrameOnlyOnce() {
        LabellingSampler s = new LabellingSampler(only(0, 1, 0, 0, 0), new TestClock(), 1);

        assertThat(s.decide("f1", "cam", classified(0.5))).isPresent();
        assertThat(s.decide("f1", "cam", classified(0.5))).isEmpty();
        assertThat(s.decide("f2", "cam", classified(0.5))).isPresent();
    }

    @Test
    void shouldHoldToTheCapsPerMinuteAndPerCameraAndOpenAgainInTheNextWindow() {
        TestClock clock = new TestClock();
        Settings caps = new Settings(0, 1, 0, 0, 10, 0, 3, 1000, 1000, 2, 100_000, 0.5, 0, 0, 0);
        LabellingSampler s = new LabellingSampler(caps, clock, 1);

        int picked = 0;
        for (int i = 0; i < 10; i++) {
            picked += s.decide("a" + i, "cam-a", classified(0.5)).isPresent() ? 1 : 0;
        }
        assertThat(picked).as("camera a, per camera per hour").isEqualTo(2);
        assertThat(s.decide("b0", "cam-b", classified(0.5))).isPresent();
        assertThat(s.decide("b1", "cam-b", classified(0.5))).as("3 per minute").isEmpty();
        assertThat(s.capped()).isEqualTo(9);

        clock.advance(Duration.ofMinutes(1));
        assertThat(s.decide("b2", "cam-b", classified(0.5))).as("camera b's second").isPresent();
        assertThat(s.decide("a10", "cam-a", classified(0.5))).as("camera a, same hour").isEmpty();
        clock.advance(Duration.ofHours(1));
        assertThat(s.decide("a11", "cam-a", classified(0.5))).as("next hour").isPresent();
    }

    @Test
    void shouldCountCapsOverAnySpanNotPerClockWindow() {
        TestClock clock = new TestClock(); // 10:00:00
        Settings caps = new Settings(0, 1, 0, 0, 10, 0, 1000, 3, 1000, 1000, 100_000, 0.5, 0, 0, 0);
        LabellingSampler s = new LabellingSampler(caps, clock, 1);

        clock.advance(Duration.ofMinutes(59));
        for (int i = 0; i < 3; i++) {
            assertThat(s.decide("a" + i, "cam" + i, classified(0.5))).isPresent();
        }
        // 10:01, a new clock hour: a fixed window would open for three more
        clock.advance(Duration.ofMinutes(2));
        assertThat(s.decide("b", "cam-b", classified(0.5))).as("same 60 minutes").isEmpty();
        clock.advance(Duration.ofMinutes(58));
        assertThat(s.decide("c", "cam-c", classified(0.5))).as("an hour after").isPresent();
    }

    @Test
    void shouldPauseACameraAfterItsRequest() {
        TestClock clock = new TestClock();
        Settings pause =
                new Settings(0, 1, 0, 0, 10, 0, 1000, 1000, 1000, 1000, 100_000, 0.5, 0, 0, 20_000);
        LabellingSampler s = new LabellingSampler(pause, clock, 1);

        assertThat(s.decide("a0", "cam-a", classified(0.5))).isPresent();
        int burst = 0;
        for (int i = 1; i <= 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            burst += s.decide("a" + i, "cam-a", classified(0.5)).isPresent() ? 1 : 0;
        }
        assertThat(burst).as("a scene held for 10 s").isZero();
        assertThat(s.paused()).isEqualTo(10);
        assertThat(s.decide("b0", "cam-b", classified(0.5))).as("another camera").isPresent();
        assertThat(s.decideDisagreement("a-shadow", "cam-a", 0.1)).as("any reason").isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(s.decide("a11", "cam-a", classified(0.5))).as("20 s later").isPresent();
        assertThat(s.capped()).isZero();
    }

    @Test
    void shouldPickAboutTheRandomShareAsABaseline() {
        LabellingSampler s = new LabellingSampler(only(0, 0, 0, 0, 0.1), new TestClock(), 7);
        int picked = 0;
        for (int i = 0; i < 5000; i++) {
            Optional<LabellingSampler.Pick> p =
                    s.decide("f" + i, "cam" + (i % 50), classified(0.99));
            if (p.isPresent()) {
                assertThat(p.get().reason()).isEqualTo(Reason.RANDOM);
                picked++;
            }
        }
        assertThat(picked).isBetween(400, 600);
    }

    /** A clock that moves only when told. */
    static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
