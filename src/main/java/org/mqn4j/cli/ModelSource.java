package org.mqn4j.cli;

import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.io.GraphFile;
import org.mqn4j.serve.ExportedModel;
import org.mqn4j.train.Checkpoint;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SameDiff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model a command was pointed at, shared by export, eval and predict: an export file
 * ({@code model.mqn}), a training run directory ({@code final.sd} if the run finished, else its
 * last checkpoint) or a graph file of a run ({@code RUN/best.sd}, {@code RUN/last-*.sd}); for the last
 * two the model config is the run's {@code config.yaml} and the weights go into a freshly built
 * inference graph ({@link ExportedModel#fromWeights}).
 */
final class ModelSource {
    private ModelSource() {
    }

    static ExportedModel load(Path m) {
        if (Files.isDirectory(m)) {
            MqnConfig cfg = config(m);
            Path fin = m.resolve("final.sd");
            if (Files.isRegularFile(fin)) {
                return ExportedModel.fromWeights(cfg, GraphFile.load(fin, false), fin.toString());
            }
            if (!Checkpoint.exists(m)) {
                throw new MqnException(m + " is neither a finished run (no final.sd) nor holds a checkpoint (no last.json)");
            }
            SameDiff sd = Checkpoint.loadModel(m, Checkpoint.readState(m));
            return ExportedModel.fromWeights(cfg, sd, m + " (last checkpoint)");
        }
        if (!Files.isRegularFile(m)) {
            throw new MqnException("model " + m + " does not exist");
        }
        if (isZip(m)) {
            return ExportedModel.read(m);
        }
        if (m.getFileName().toString().endsWith(".sd")) {
            Path dir = m.toAbsolutePath().getParent();
            return ExportedModel.fromWeights(config(dir), GraphFile.load(m, false), m.toString());
        }
        return ExportedModel.read(m); // says what is wrong with it
    }

    private static MqnConfig config(Path runDir) {
        Path cfg = runDir.resolve("config.yaml");
        if (!Files.isRegularFile(cfg)) {
            throw new MqnException("no model config " + cfg + " beside the checkpoint (mqn train copies it there)");
        }
        return MqnConfig.load(cfg);
    }

    private static boolean isZip(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] b = in.readNBytes(2);
            return b.length == 2 && b[0] == 'P' && b[1] == 'K';
        } catch (IOException e) {
            throw new MqnException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
