package io.streamtune.inference.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.ClassificationsEmitted.ClassScore;
import io.streamtune.contracts.DetectionsEmitted;
import io.streamtune.contracts.DetectionsEmitted.Detection;
import io.streamtune.contracts.FrameRef;
import io.streamtune.contracts.SegmentationsEmitted;
import io.streamtune.contracts.SegmentationsEmitted.RleMask;
import java.time.Instant;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class AgreementTest {

    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    private static final FrameRef FRAME = new FrameRef("f", "cam", T, 100, 100, "m", 1);

    private static DetectionsEmitted boxes(Detection... d) {
        return new DetectionsEmitted(FRAME, List.of(d), T);
    }

    @Test
    void shouldAgreeOnTopOneClassesOnly() {
        var a =
                new ClassificationsEmitted(
                        FRAME,
                        List.of(new ClassScore("cat", 0, 0.9), new ClassScore("dog", 1, 0.1)),
                        T);
        var b =
                new ClassificationsEmitted(
                        FRAME,
                        List.of(new ClassScore("cat", 0, 0.6), new ClassScore("dog", 1, 0.4)),
                        T);
        var c = new ClassificationsEmitted(FRAME, List.of(new ClassScore("dog", 1, 0.7)), T);

        assertThat(Agreement.of(a, b)).isEqualTo(1.0);
        assertThat(Agreement.of(a, c)).isEqualTo(0.0);
        assertThat(Agreement.confidence(b)).isEqualTo(0.6);
    }

    @Test
    void shouldScoreBoxesByMatchF1AtIouHalf() {
        var car = new Detection("car", 0, 0.9, new Box(0, 0, 10, 10));
        var nearCar = new Detection("car", 0, 0.8, new Box(1, 0, 10, 10)); // IoU 0.82
        var farCar = new Detection("car", 0, 0.8, new Box(6, 0, 10, 10)); // IoU 0.25
        var bus = new Detection("bus", 1, 0.7, new Box(0, 0, 10, 10));
        var person = new Detection("person", 2, 0.5, new Box(50, 50, 10, 20));

        assertThat(Agreement.of(boxes(car, person), boxes(nearCar, person))).isEqualTo(1.0);
        assertThat(Agreement.of(boxes(car), boxes(farCar))).isEqualTo(0.0);
        assertThat(Agreement.of(boxes(car), boxes(bus))).isEqualTo(0.0);
        // one of two matched, one extra: F1 = 2*1/(2+2)
        assertThat(Agreement.of(boxes(car, person), boxes(nearCar, bus))).isEqualTo(0.5);
        assertThat(Agreement.of(boxes(), boxes())).isEqualTo(1.0);
        assertThat(Agreement.confidence(boxes(nearCar, person))).isEqualTo(0.8);
        assertThat(Agreement.confidence(boxes())).isNaN();
    }

    @Test
    void shouldCountEqualPixelsAcrossDifferentRuns() {
        // 2x5 masks, 10 pixels: a = 0 0 0 1 1 | 1 1 1 1 1, b = 0 0 1 1 1 | 1 1 1 0 0
        var a = new RleMask(2, 5, List.of(0, 1), List.of(3, 7));
        var b = new RleMask(2, 5, List.of(0, 1, 0), List.of(2, 6, 2));
        var seg =
                (java.util.function.Function<RleMask, SegmentationsEmitted>)
                        m -> new SegmentationsEmitted(FRAME, m, List.of(), T);

        assertThat(Agreement.of(seg.apply(a), seg.apply(b))).isCloseTo(0.7, Offset.offset(1e-12));
        assertThat(Agreement.of(seg.apply(a), seg.apply(a))).isEqualTo(1.0);
        assertThat(
                        Agreement.of(
                                seg.apply(a),
                                seg.apply(new RleMask(5, 2, List.of(0), List.of(10)))))
                .isEqualTo(0.0);
    }
}
