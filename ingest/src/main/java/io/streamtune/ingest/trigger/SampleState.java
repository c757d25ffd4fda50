package io.streamtune.ingest.trigger;

import java.util.List;

/**
 * What the topology remembers per sample key: its label hash (to tell a relabel from a repeat) and
 * the classes it counted the sample under (to uncount them on relabel or delete).
 *
 * @param labelHash label hash, see {@link io.streamtune.ingest.validate.Digests#labelHash}
 * @param classes classes present in the label
 */
public record SampleState(long labelHash, List<String> classes) {

    public SampleState {
        classes = List.copyOf(classes);
    }
}
