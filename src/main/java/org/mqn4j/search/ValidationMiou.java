package org.mqn4j.search;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Arbiter's score of a trial: the validation mIoU (percent) of the run's best validated epoch, read from the
 * {@code metrics.json} that {@code mqn train} writes into its run directory (the "model" Arbiter passes is that
 * directory). Higher is better. Test images are never used for selection.
 */
public final class ValidationMiou implements ScoreFunction {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /**
     * What a finished run reports about its best validated epoch.
     *
     * @param epoch   the best epoch (1-based)
     * @param mIoU    its validation mIoU, percent
     * @param oIoU    its validation oIoU, percent (NaN when not recorded)
     * @param steps   optimisation steps of the whole run
     * @param seconds training seconds of the whole run (without validation)
     */
    public record Best(int epoch, double mIoU, double oIoU, long steps, double seconds) {
    }

    /** Reads {@code run/metrics.json}; a clear error when it is missing or the run never validated. */
    public static Best read(Path run) {
        Path f = run.resolve("metrics.json");
        if (!Files.isRegularFile(f)) {
            throw new MqnException(run + " has no metrics.json: the run did not finish an epoch");
        }
        JsonNode m;
        try {
            m = JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new MqnException(f + ": cannot read: " + e.getMessage().split("\n")[0], e);
        }
        JsonNode best = m.path("best");
        if (!best.path("val_mIoU").isNumber()) {
            throw new MqnException(f + " has no validated epoch (train.validate_every, or a run too short to validate)");
        }
        int epoch = best.path("epoch").asInt();
        double oIoU = Double.NaN;
        long steps = 0;
        double seconds = 0;
        for (JsonNode e : m.path("epochs")) {
            steps += e.path("steps").asLong();
            seconds += e.path("seconds").asDouble();
            if (e.path("epoch").asInt() == epoch && e.path("val_oIoU").isNumber()) {
                oIoU = e.path("val_oIoU").asDouble();
            }
        }
        return new Best(epoch, best.get("val_mIoU").asDouble(), oIoU, steps, seconds);
    }

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        return read(runDirectory(model)).mIoU();
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        return read(runDirectory(model)).mIoU();
    }

    private static Path runDirectory(Object model) {
        if (model instanceof Path p) {
            return p;
        }
        throw new IllegalArgumentException("ValidationMiou scores a run directory (Path), not " + model);
    }

    @Override
    public boolean minimize() {
        return false;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(Path.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(Object.class);
    }

    @Override
    public String toString() {
        return "validation mIoU of the best epoch";
    }
}
