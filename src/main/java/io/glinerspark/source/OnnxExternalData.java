package io.glinerspark.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The external-data files an ONNX model names: the {@code location} entries of the {@code external_data} of its
 * tensors (graph initializers, sparse initializers, tensors in node attributes, in sub-graphs and in functions). ONNX
 * Runtime reads these files relative to the ONNX file's folder, whatever they are called, so they are as much a part
 * of the model as the graph. ONNX Runtime's Java API does not tell them, and the model is a protocol-buffers message:
 * this walks its wire format along ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto and
 * StringStringEntryProto, skipping every other field without reading it (tensor bytes inside the file can be large).
 */
final class OnnxExternalData {

    /** Random access to the bytes of an ONNX file, local or remote. */
    interface Bytes {
        long size() throws IOException;

        /** Reads up to {@code length} bytes at {@code position}; returns how many, -1 at the end. */
        int read(long position, byte[] into, int offset, int length) throws IOException;
    }

    /** The bytes do not form an ONNX model message. */
    static final class NotOnnxException extends IOException {
        private static final long serialVersionUID = 1L;

        NotOnnxException(String message) {
            super(message);
        }
    }

    private enum Kind { MODEL, GRAPH, FUNCTION, NODE, ATTRIBUTE, TENSOR, SPARSE_TENSOR, ENTRY }

    // Field numbers of onnx.proto3 that lead to tensors; every other field is skipped.
    private static final Map<Kind, Map<Integer, Kind>> PATHS = Map.of(
            Kind.MODEL, Map.of(7, Kind.GRAPH, 25, Kind.FUNCTION),
            Kind.GRAPH, Map.of(1, Kind.NODE, 5, Kind.TENSOR, 15, Kind.SPARSE_TENSOR),
            Kind.FUNCTION, Map.of(7, Kind.NODE, 11, Kind.ATTRIBUTE),
            Kind.NODE, Map.of(5, Kind.ATTRIBUTE),
            Kind.ATTRIBUTE, Map.of(5, Kind.TENSOR, 6, Kind.GRAPH, 10, Kind.TENSOR, 11, Kind.GRAPH, 22, Kind.SPARSE_TENSOR,
                    23, Kind.SPARSE_TENSOR),
            Kind.SPARSE_TENSOR, Map.of(1, Kind.TENSOR, 2, Kind.TENSOR),
            Kind.TENSOR, Map.of(13, Kind.ENTRY),
            Kind.ENTRY, Map.of());
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int MAX_DEPTH = 64;
    private static final int MAX_STRING = 64 * 1024;
    private static final int WINDOW = 64 * 1024;

    private final Bytes bytes;
    private final byte[] window = new byte[WINDOW];
    private long windowStart;
    private int windowLength;
    private long position;
    private final TreeSet<String> locations = new TreeSet<>();

    private OnnxExternalData(Bytes bytes) {
        this.bytes = bytes;
    }

    /**
     * The external-data locations named in the ONNX file {@code onnx}, as written there (relative to its folder),
     * sorted and without duplicates.
     *
     * @throws NotOnnxException when the file is not a well-formed ONNX model message
     */
    static List<String> locations(Path onnx) throws IOException {
        try (FileChannel channel = FileChannel.open(onnx, StandardOpenOption.READ)) {
            return locations(of(channel));
        }
    }

    /** The bytes of an open local file. */
    static Bytes of(FileChannel channel) {
        return new Bytes() {
            @Override
            public long size() throws IOException {
                return channel.size();
            }

            @Override
            public int read(long at, byte[] into, int offset, int length) throws IOException {
                return channel.read(ByteBuffer.wrap(into, offset, length), at);
            }
        };
    }

    static List<String> locations(Bytes bytes) throws IOException {
        OnnxExternalData walker = new OnnxExternalData(bytes);
        walker.walk(Kind.MODEL, bytes.size(), 0);
        return List.copyOf(walker.locations);
    }

    /**
     * The bundle-relative path of an external-data {@code location} named by the ONNX file at bundle-relative path
     * {@code onnxPath}, with '/' separators.
     *
     * @throws ModelSourceException when the location is absolute or leads up a folder: ONNX's own checker refuses
     *                              those, and a model must not make this program read or ship files outside its folder
     */
    static String bundlePath(String onnxPath, String location, String source) {
        String normalized = location.replace('\\', '/');
        boolean absolute = normalized.startsWith("/") || normalized.matches("^[A-Za-z]:.*");
        if (absolute || normalized.isBlank()
                || List.of(normalized.split("/")).stream().anyMatch(s -> s.equals("..") || s.equals("."))
                || normalized.contains("//") || normalized.endsWith("/")) {
            throw new ModelSourceException("ONNX file " + onnxPath + " of " + source + " names external data '" + location
                    + "' outside its folder: an external-data location must be a relative path without '..'");
        }
        int slash = onnxPath.lastIndexOf('/');
        return slash < 0 ? normalized : onnxPath.substring(0, slash + 1) + normalized;
    }

    private void walk(Kind kind, long end, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new NotOnnxException("messages nested deeper than " + MAX_DEPTH);
        }
        String key = null;
        String value = null;
        while (position < end) {
            long tag = varint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0) {
                throw new NotOnnxException("field number 0 at byte " + position);
            }
            switch (wireType) {
                case 0 -> varint();
                case 1 -> skip(8, end);
                case 5 -> skip(4, end);
                case 2 -> {
                    long length = varint();
                    if (length < 0 || length > end - position) {
                        throw new NotOnnxException("field " + field + " runs past its message at byte " + position);
                    }
                    Kind inner = PATHS.get(kind).get(field);
                    if (kind == Kind.ENTRY && (field == 1 || field == 2)) {
                        String text = string(length);
                        if (field == 1) {
                            key = text;
                        } else {
                            value = text;
                        }
                    } else if (inner != null) {
                        walk(inner, position + length, depth + 1);
                    } else {
                        skip(length, end);
                    }
                }
                default -> throw new NotOnnxException("wire type " + wireType + " at byte " + position);
            }
        }
        if (position != end) {
            throw new NotOnnxException("a field runs past its message at byte " + end);
        }
        if (kind == Kind.ENTRY && "location".equals(key) && value != null) {
            locations.add(value);
        }
    }

    private long varint() throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new NotOnnxException("malformed varint at byte " + position);
    }

    private String string(long length) throws IOException {
        if (length > MAX_STRING) {
            throw new NotOnnxException("an external-data entry of " + length + " bytes at byte " + position);
        }
        byte[] text = new byte[(int) length];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) readByte();
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    private void skip(long length, long end) throws NotOnnxException {
        if (length > end - position) {
            throw new NotOnnxException("field runs past its message at byte " + position);
        }
        position += length;
    }

    private int readByte() throws IOException {
        if (position < windowStart || position >= windowStart + windowLength) {
            windowStart = position;
            windowLength = 0;
            while (windowLength < WINDOW) {
                int n = bytes.read(position + windowLength, window, windowLength, WINDOW - windowLength);
                if (n <= 0) {
                    break;
                }
                windowLength += n;
            }
            if (windowLength == 0) {
                throw new NotOnnxException("ends inside a field at byte " + position);
            }
        }
        return window[(int) (position++ - windowStart)] & 0xff;
    }
}
