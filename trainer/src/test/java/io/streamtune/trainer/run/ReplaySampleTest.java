package io.streamtune.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplaySampleTest {

    private static final Instant PUBLISHED = Instant.parse("2026-12-01T12:00:00Z");

    /**
     * {@code n} samples of {@code cls}, accepted before ({@code fresh} false) or after publishing.
     */
    private static void add(List<ReplaySample.Candidate> to, String cls, int n, boolean fresh) {
        for (int i = 0; i < n; i++) {
            to.add(
                    new ReplaySample.Candidate(
                            String.format("%s-%s-%04d", cls, fresh ? "new" : "old", i),
                            cls,
                            PUBLISHED.plusSeconds(fresh ? 60 + i : -60 - i)));
        }
    }

    private static Map<String, Integer> byClass(List<String> ids) {
        Map<String, Integer> m = new HashMap<>();
        for (String id : ids) {
            m.merge(id.substring(0, id.indexOf('-')), 1, Integer::sum);
        }
        return m;
    }

    @Test
    void shouldKeepEverythingUnderTheCap() {
        List<ReplaySample.Candidate> all = new ArrayList<>();
        add(all, "cat", 30, false);
        add(all, "dog", 10, true);

        ReplaySample.Choice c = ReplaySample.choose(all, 100, PUBLISHED, 1);

        assertThat(c.ids()).hasSize(40);
        assertThat(c.fresh()).isEqualTo(10);
        assertThat(c.replayed()).isEqualTo(30);
    }

    @Test
    void shouldKeepEveryNewSampleAndReplayOldClassesEvenlyToTheCap() {
        // 900 old cats, 60 old birds; 50 new dogs; cap 200
        List<ReplaySample.Candidate> all = new ArrayList<>();
        add(all, "cat", 900, false);
        add(all, "bird", 60, false);
        add(all, "dog", 50, true);

        ReplaySample.Choice c = ReplaySample.choose(all, 200, PUBLISHED, 1);

        assertThat(c.ids()).hasSize(200).doesNotHaveDuplicates();
        assertThat(c.fresh()).isEqualTo(50);
        assertThat(c.replayed()).isEqualTo(150);
        // the rare old class is not crowded out by the frequent one: 75 / 75
        assertThat(byClass(c.ids())).containsEntry("dog", 50).containsEntry("bird", 60);
        assertThat(byClass(c.ids()).get("cat")).isEqualTo(90);
        assertThat(c.strata()).isEqualTo(2);
    }

    @Test
    void shouldGiveReplayAtLeastHalfWhenNewSamplesAloneWouldFillTheCap() {
        List<ReplaySample.Candidate> all = new ArrayList<>();
        add(all, "cat", 500, false);
        add(all, "dog", 500, true);

        ReplaySample.Choice c = ReplaySample.choose(all, 100, PUBLISHED, 1);

        assertThat(c.replayed()).isEqualTo(50);
        assertThat(c.fresh()).isEqualTo(50);
        assertThat(byClass(c.ids())).containsEntry("cat", 50).containsEntry("dog", 50);
    }

    @Test
    void shouldDrawTheSameSubsetForTheSameSeedAndAnotherForAnother() {
        List<ReplaySample.Candidate> all = new ArrayList<>();
        add(all, "cat", 400, false);
        add(all, "bird", 400, false);

        var a = ReplaySample.choose(all, 100, null, 7).ids();
        List<ReplaySample.Candidate> reversed = new ArrayList<>(all);
        java.util.Collections.reverse(reversed);
        var b = ReplaySample.choose(reversed, 100, null, 7).ids();
        var other = ReplaySample.choose(all, 100, null, 8).ids();

        assertThat(a).isEqualTo(b).hasSize(100);
        assertThat(other).isNotEqualTo(a);
        assertThat(byClass(a)).containsEntry("cat", 50).containsEntry("bird", 50);
    }
}
