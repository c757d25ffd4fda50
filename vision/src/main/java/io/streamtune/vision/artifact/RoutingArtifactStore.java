package io.streamtune.vision.artifact;

import io.streamtune.contracts.ArtifactRef;
import java.util.List;

/** Writes to one store, reads from whichever store accepts the URI; closes them all. */
final class RoutingArtifactStore implements ArtifactStore {

    private final ArtifactStore primary;
    private final List<ArtifactStore> stores;

    RoutingArtifactStore(ArtifactStore primary, List<ArtifactStore> stores) {
        this.primary = primary;
        this.stores = List.copyOf(stores);
    }

    @Override
    public ArtifactRef put(String model, int version, byte[] bytes) throws ArtifactException {
        return primary.put(model, version, bytes);
    }

    @Override
    public byte[] fetch(ArtifactRef ref) throws ArtifactException {
        for (ArtifactStore store : stores) {
            if (store.accepts(ref.uri())) {
                return store.fetch(ref);
            }
        }
        throw new ArtifactException(
                ArtifactException.Reason.UNSUPPORTED_URI, "no artifact store accepts " + ref.uri());
    }

    @Override
    public void delete(String model, int version) throws ArtifactException {
        primary.delete(model, version);
    }

    @Override
    public boolean accepts(String uri) {
        return stores.stream().anyMatch(s -> s.accepts(uri));
    }

    @Override
    public void close() {
        for (ArtifactStore store : stores) {
            store.close();
        }
    }
}
