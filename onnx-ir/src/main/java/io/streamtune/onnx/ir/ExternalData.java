package io.streamtune.onnx.ir;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Initializers stored outside the model file (ONNX's external data: {@code location}, {@code
 * offset}, {@code length} in the tensor's {@code external_data}), as PyTorch's exporter writes them
 * beside large models and newer versions by default. Each is read from its file, which must lie in
 * the model's own directory: an absolute path, a {@code ..} or a link out of it, a missing file or
 * a range past its end is refused, naming the tensor.
 */
final class ExternalData {

    private ExternalData() {}

    /** {@code model} with every external initializer's bytes in place. */
    static OnnxMl.ModelProto resolve(OnnxMl.ModelProto model, Path modelFile) throws IOException {
        OnnxMl.GraphProto graph = model.getGraph();
        boolean any =
                graph.getInitializerList().stream()
                        .anyMatch(
                                t ->
                                        t.getDataLocation()
                                                == OnnxMl.TensorProto.DataLocation.EXTERNAL);
        if (!any) {
            return model;
        }
        Path dir = modelFile.toAbsolutePath().getParent();
        Path realDir = dir.toRealPath();
        Map<Path, ByteString> files = new HashMap<>();
        OnnxMl.GraphProto.Builder g = graph.toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = g.getInitializer(i);
            if (t.getDataLocation() != OnnxMl.TensorProto.DataLocation.EXTERNAL) {
                continue;
            }
            Map<String, String> entries = new HashMap<>();
            t.getExternalDataList().forEach(e -> entries.put(e.getKey(), e.getValue()));
            String location = entries.get("location");
            if (location == null || location.isEmpty()) {
                throw new IllegalArgumentException(
                        "tensor " + t.getName() + " is external but names no location");
            }
            Path file = dir.resolve(location).normalize();
            if (Path.of(location).isAbsolute() || !file.startsWith(dir)) {
                throw new IllegalArgumentException(
                        "tensor "
                                + t.getName()
                                + ": external data "
                                + location
                                + " lies outside the model's directory "
                                + dir);
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(
                        "tensor " + t.getName() + ": external data file " + file + " is missing");
            }
            if (!file.toRealPath().startsWith(realDir)) {
                throw new IllegalArgumentException(
                        "tensor "
                                + t.getName()
                                + ": external data "
                                + location
                                + " links outside the model's directory "
                                + dir);
            }
            ByteString all = files.get(file);
            if (all == null) {
                all = map(file);
                files.put(file, all);
            }
            long offset = number(t, entries, "offset", 0);
            long length = number(t, entries, "length", all.size() - offset);
            if (offset < 0 || length < 0 || offset + length > all.size()) {
                throw new IllegalArgumentException(
                        "tensor "
                                + t.getName()
                                + ": bytes ["
                                + offset
                                + ", "
                                + (offset + length)
                                + ") lie past the end of "
                                + file
                                + " ("
                                + all.size()
                                + " bytes)");
            }
            g.setInitializer(
                    i,
                    t.toBuilder()
                            .clearExternalData()
                            .clearDataLocation()
                            .setRawData(all.substring((int) offset, (int) (offset + length))));
        }
        return model.toBuilder().setGraph(g).build();
    }

    private static long number(
            OnnxMl.TensorProto t, Map<String, String> entries, String key, long dflt) {
        String v = entries.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "tensor " + t.getName() + ": external data " + key + " is not a number: " + v);
        }
    }

    private static ByteString map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "external data file "
                                + file
                                + " is over 2 GiB, more than one tensor can hold");
            }
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            return UnsafeByteOperations.unsafeWrap(mapped);
        }
    }
}
