package org.mqn4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.mqn4j.io.GraphFile;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SameDiff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resumable checkpoint of a run directory: {@code last-<step>.sd} (the training graph with its
 * Adam state) and {@code last.json} (the {@link TrainerState}, naming that file with its size and
 * CRC-32). Both are written atomically and the state last, so {@code last.json} is the commit: a run
 * killed at any moment leaves either the previous checkpoint or the new one, complete. Older model
 * files are deleted only after the commit.
 */
public final class Checkpoint {
    static final String STATE = "last.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Checkpoint() {
    }

    /** Writes the training graph and then the state that names it. */
    public static void save(Path runDir, SameDiff trainingGraph, TrainerState state) {
        String name = String.format("last-%08d.sd", state.step());
        Path model = runDir.resolve(name);
        GraphFile.save(trainingGraph, model, true);
        TrainerState committed = state.withModel(name, size(model), GraphFile.crc32(model));
        writeJson(runDir.resolve(STATE), committed);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(runDir, "last-*.sd")) {
            for (Path p : old) {
                if (!p.getFileName().toString().equals(name)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new MqnException("cannot clean up old checkpoints in " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** True when the run directory holds a checkpoint. */
    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(STATE));
    }

    /** Reads {@code last.json}. */
    public static TrainerState readState(Path runDir) {
        Path file = runDir.resolve(STATE);
        if (!Files.isRegularFile(file)) {
            throw new MqnException("no checkpoint to resume: " + file + " does not exist");
        }
        try {
            TrainerState s = JSON.readValue(file.toFile(), TrainerState.class);
            if (s.modelFile() == null || s.configHash() == null) {
                throw new MqnException("checkpoint state " + file + " is incomplete (no model file or config hash)");
            }
            return s;
        } catch (IOException e) {
            throw new MqnException("checkpoint state " + file + " is damaged: " + firstLine(e.getMessage()), e);
        }
    }

    /** Loads the training graph a state names, with its updater state, after checking its size and checksum. */
    public static SameDiff loadModel(Path runDir, TrainerState state) {
        Path model = runDir.resolve(state.modelFile());
        if (!Files.isRegularFile(model)) {
            throw new MqnException("checkpoint model " + model + " named by " + runDir.resolve(STATE) + " does not exist");
        }
        long bytes = size(model);
        if (bytes != state.modelBytes()) {
            throw new MqnException("checkpoint model " + model + " is damaged: " + bytes + " bytes, "
                    + state.modelBytes() + " expected (truncated?)");
        }
        if (GraphFile.crc32(model) != state.modelCrc32()) {
            throw new MqnException("checkpoint model " + model + " is damaged: its CRC-32 differs from the one recorded in "
                    + runDir.resolve(STATE));
        }
        return GraphFile.load(model, true);
    }

    /** Writes an object as pretty JSON, atomically. */
    static void writeJson(Path file, Object value) {
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        GraphFile.writeAtomically(file, tmp -> Files.write(tmp, bytes));
    }

    static ObjectMapper json() {
        return JSON;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new MqnException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
