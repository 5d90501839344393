package dev.netsym.onnx;

import dev.netsym.onnx.OnnxImporter.ImportError;
import dev.netsym.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.netsym.onnx.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Tensor data kept in files beside the model (ONNX "external data"). A location is a path
 * written in the model, so a downloaded model could name any file on the machine: netsym reads
 * only regular files that are inside the model file's own folder once every symbolic link is
 * followed, and checks all of that, and the offset and length, before it opens the file.
 */
final class ExternalData {
    /** The model file's folder, links resolved; null until a tensor asks for it. */
    private Path folder;
    private final Path modelFile;

    ExternalData(Path modelFile) {
        this.modelFile = modelFile;
    }

    /** The {@code bytes} bytes of the tensor's data, from the file its external_data entries name. */
    byte[] read(TensorProto t, String tensor, long bytes) {
        Map<String, String> entries = new HashMap<>();
        for (StringStringEntryProto e : t.getExternalDataList()) {
            if (entries.put(e.getKey(), e.getValue()) != null) {
                throw new ImportError("the tensor " + tensor + " gives its external data's " + OnnxImporter.quote(e.getKey()) + " twice");
            }
        }
        String location = entries.get("location");
        if (location == null || location.isEmpty()) throw new ImportError("the tensor " + tensor + " keeps its data in an external file but names none");
        String where = "the tensor " + tensor + " keeps its data in " + OnnxImporter.quote(location);
        long offset = number(entries.get("offset"), 0, where, "offset");
        long length = number(entries.get("length"), bytes, where, "length");
        if (length != bytes) {
            throw new ImportError(where + " with a length of " + length + " bytes, but its shape and type need " + bytes);
        }
        Path file = resolve(location, where);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new ImportError(where + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (!attributes.isRegularFile()) {
            throw new ImportError(where + ", which is not a regular file (a folder, device or pipe); netsym reads data only from files");
        }
        if (offset > attributes.size() || bytes > attributes.size() - offset) {
            throw new ImportError(where + " at bytes " + offset + " to " + (offset + bytes) + ", but the file has " + attributes.size());
        }
        // NOFOLLOW_LINKS: the checked path has no links left, so one put there since is refused, not followed.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer data = ByteBuffer.allocate((int) bytes);
            while (data.hasRemaining()) {
                if (channel.read(data, offset + data.position()) < 0) throw new ImportError(where + ", which became shorter while it was read");
            }
            return data.array();
        } catch (IOException e) {
            throw new ImportError(where + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The file a location names, refused unless it lies inside the model's folder after links are followed. */
    private Path resolve(String location, String where) {
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw new ImportError(where + ", which is not a file name");
        }
        if (relative.isAbsolute() || relative.getRoot() != null || location.startsWith("/") || location.startsWith("\\")
                || location.matches("(?s)[A-Za-z]:.*")) {
            throw new ImportError(where + ", an absolute path; netsym reads external data only from files in the model's folder");
        }
        Path folder = folder();
        Path lexical = folder.resolve(relative).normalize();
        if (!lexical.startsWith(folder) || lexical.equals(folder)) {
            throw new ImportError(where + ", outside the model's folder; netsym reads external data only from files in it");
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ImportError(where + ", which does not exist beside the model");
        } catch (IOException e) {
            throw new ImportError(where + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (!real.startsWith(folder)) {
            throw new ImportError(where + ", a link that leads outside the model's folder; netsym reads external data only from files in it");
        }
        return real;
    }

    private Path folder() {
        if (folder == null) {
            try {
                folder = modelFile.toAbsolutePath().getParent().toRealPath();
            } catch (IOException e) {
                throw new ImportError("the model's folder cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return folder;
    }

    /** A non-negative byte count written as decimal digits, as ONNX stores offsets and lengths. */
    private static long number(String text, long otherwise, String where, String what) {
        if (text == null) return otherwise;
        if (!text.matches("[0-9]{1,18}")) throw new ImportError(where + " with the " + what + " " + OnnxImporter.quote(text) + ", not a byte count");
        return Long.parseLong(text);
    }
}
