package org.mqn4j.train;

import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.fusion.MqnNetwork;
import org.mqn4j.io.CheckpointLoader;
import org.mqn4j.io.LoadReport;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.swin.SwinCheckpoint;
import org.mqn4j.text.TextCheckpoint;
import org.nd4j.autodiff.samediff.SameDiff;

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

    @Override
    public String description() {
        return cfg.toYaml().replaceAll("\\s+", " ").trim();
    }
}
