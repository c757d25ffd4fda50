package io.streamtune.trainer.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Which training samples a run uses when there are more than it may hold: every sample is either
 * <em>new</em> (accepted after production was published) or <em>old</em>; a run keeps new samples
 * and a replay of old ones, both drawn class-balanced (one sample per class in turn, so a rare
 * class is not crowded out by a frequent one), which is what keeps a fine-tuned version from
 * forgetting what production knew.
 *
 * <p>Quotas: replay gets at least half of {@code max} when there are that many old samples (all of
 * them, when fewer), new samples the rest; whatever one side cannot fill goes to the other. The
 * draw is seeded: the same samples, cap and seed give the same subset.
 */
public final class ReplaySample {

    /**
     * One training sample as the choice sees it.
     *
     * @param id sample id
     * @param stratum what it is balanced by: its class (classification), else its sorted class
     *     names
     * @param acceptedAt when ingest accepted it
     */
    public record Candidate(String id, String stratum, Instant acceptedAt) {}

    /**
     * The choice.
     *
     * @param ids chosen sample ids, sorted
     * @param fresh how many of them are new
     * @param replayed how many are old
     * @param strata classes (strata) the old samples came from
     */
    public record Choice(List<String> ids, int fresh, int replayed, int strata) {}

    private ReplaySample() {}

    /**
     * Chooses at most {@code max} of {@code all} ({@code max <= 0}: all); {@code since} null means
     * every sample is old.
     */
    public static Choice choose(List<Candidate> all, int max, Instant since, long seed) {
        List<Candidate> fresh = new ArrayList<>();
        List<Candidate> old = new ArrayList<>();
        for (Candidate c : all) {
            (since != null && c.acceptedAt() != null && c.acceptedAt().isAfter(since) ? fresh : old)
                    .add(c);
        }
        if (max <= 0 || all.size() <= max) {
            return new Choice(sortedIds(all), fresh.size(), old.size(), strata(old).size());
        }
        int replayQuota = Math.min(old.size(), Math.max(max - fresh.size(), max / 2));
        int freshQuota = Math.min(fresh.size(), max - replayQuota);
        Random random = new Random(seed);
        List<Candidate> chosen = new ArrayList<>(balanced(old, replayQuota, random));
        chosen.addAll(balanced(fresh, freshQuota, random));
        return new Choice(sortedIds(chosen), freshQuota, replayQuota, strata(old).size());
    }

    /** {@code n} of {@code from}: one per stratum in turn, each stratum in a seeded order. */
    static List<Candidate> balanced(List<Candidate> from, int n, Random random) {
        List<List<Candidate>> queues = new ArrayList<>(strata(from).values());
        for (List<Candidate> q : queues) {
            q.sort(Comparator.comparing(Candidate::id));
            Collections.shuffle(q, random);
        }
        List<Candidate> out = new ArrayList<>(n);
        int[] next = new int[queues.size()];
        while (out.size() < n) {
            boolean took = false;
            for (int s = 0; s < queues.size() && out.size() < n; s++) {
                if (next[s] < queues.get(s).size()) {
                    out.add(queues.get(s).get(next[s]++));
                    took = true;
                }
            }
            if (!took) {
                break;
            }
        }
        return out;
    }

    private static Map<String, List<Candidate>> strata(List<Candidate> from) {
        Map<String, List<Candidate>> by = new TreeMap<>();
        for (Candidate c : from) {
            by.computeIfAbsent(c.stratum(), k -> new ArrayList<>()).add(c);
        }
        return by;
    }

    private static List<String> sortedIds(List<Candidate> from) {
        List<String> ids = new ArrayList<>(from.size());
        for (Candidate c : from) {
            ids.add(c.id());
        }
        Collections.sort(ids);
        return ids;
    }
}
