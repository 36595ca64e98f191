package org.mqn4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mqn4j.data.ChannelMeans;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.fusion.MqnNetwork;
import org.mqn4j.io.CheckpointLoader;
import org.mqn4j.io.LoadReport;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.swin.SwinCheckpoint;
import org.mqn4j.text.TextCheckpoint;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SameDiff;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Mutual Query Network ({@link MqnNetwork}) as the {@link Trainer} sees it. */
public final class MqnModel implements ModelDefinition {
    private final MqnConfig cfg;

    public MqnModel(MqnConfig cfg) {
        this.cfg = cfg;
    }

    public MqnConfig config() {
        return cfg;
    }

    @Override
    public SameDiff build(boolean training) {
        return MqnNetwork.build(cfg, training).sameDiff();
    }

    @Override
    public int imageSize() {
        return cfg.imageSize();
    }

    @Override
    public org.mqn4j.text.WordPieceVocab vocab() {
        return cfg.wordPieceVocab();
    }

    @Override
    public int maxLength() {
        return cfg.maxTitleLength();
    }

    /** {@code features.*} and the stage norms {@code norm0..3}, as {@link MqnNetwork#swinVariables()}. */
    @Override
    public boolean isSwinVariable(String name) {
        return name.startsWith("features.") || name.startsWith("norm");
    }

    /** {@code embeddings.*} and {@code encoder.*}, as {@link MqnNetwork#textVariables()}. */
    @Override
    public boolean isTextVariable(String name) {
        return name.startsWith("embeddings.") || name.startsWith("encoder.");
    }

    @Override
    public LoadReport loadSwinWeights(SameDiff sd, Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return SwinCheckpoint.of(f).loadInto(sd, cfg.swin().windowSize(), false);
        }
    }

    @Override
    public LoadReport loadTextWeights(SameDiff sd, Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return CheckpointLoader.load(sd, f, TextCheckpoint::toEncoderName, false);
        }
    }

    /**
     * With {@code channel_means: train}: this model with the training split's channel means ({@link ChannelMeans}),
     * which also replace "train" in the run's config.yaml (written if missing), so that eval, export and predict on
     * the run build the same network.
     */
    @Override
    public ModelDefinition forRun(Path data, Path runDir, PrintStream out) {
        if (!cfg.channelMeansPending()) {
            return this;
        }
        MqnConfig resolved = measured(cfg, data, out);
        Path file = runDir.resolve("config.yaml");
        try {
            Files.createDirectories(runDir);
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            JsonNode read = Files.isRegularFile(file) ? yaml.readTree(file.toFile()) : null;
            ObjectNode root = read instanceof ObjectNode r ? r : yaml.createObjectNode();
            if (root.get("model") instanceof ObjectNode model) {
                model.set("channel_means", resolved.toTree().get("channel_means"));   // the rest as the user wrote it
            } else {
                root.set("model", resolved.toTree());
            }
            yaml.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new MqnException("cannot record the channel means in " + file + ": " + e.getMessage(), e);
        }
        return new MqnModel(resolved);
    }

    /**
     * {@code cfg} with {@code channel_means: train} replaced by the numbers of {@code data}'s training split (any other
     * config as it is). Commands that compare a run's config.yaml with the one they would write (ablate, search) call
     * this first, so the file they write already holds the numbers the run trains with.
     */
    public static MqnConfig measured(MqnConfig cfg, Path data, PrintStream out) {
        if (!cfg.channelMeansPending()) {
            return cfg;
        }
        float[] means = ChannelMeans.measure(data, "train", ChannelMeans.DEFAULT_SAMPLES, cfg.channelNorm());
        if (out != null) {
            out.println("channel_means of the training pictures (R, G, B; channel_norm " + cfg.channelNorm().key() + "): "
                    + ChannelMeans.format(means));
        }
        return cfg.withChannelMeans(means);
    }

    @Override
    public String description() {
        return cfg.toYaml().replaceAll("\\s+", " ").trim();
    }
}
