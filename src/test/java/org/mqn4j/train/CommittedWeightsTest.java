package org.mqn4j.train;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.io.LoadReport;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weights a committed config names ({@code train.swin_weights}, {@code train.text_weights}) are in the
 * repository and fill every Swin and text-encoder variable of that config's network: a renamed file or a changed
 * encoder size would otherwise surface only minutes into {@code ./mqn demo}.
 */
class CommittedWeightsTest {

    @ParameterizedTest
    @ValueSource(strings = {"conf/mqn_tiny.yaml", "conf/mqn_tiny_long.yaml"})
    void weightsFillTheirEncoders(String conf) {
        Path file = Path.of(conf);
        TrainConfig train = TrainConfig.load(file);
        MqnModel model = new MqnModel(MqnConfig.load(file));
        SameDiff sd = model.build(false);
        assertNotNull(train.swinWeights(), conf + " names no Swin weights");
        assertTrue(Files.isRegularFile(train.swinWeights()), conf + ": " + train.swinWeights() + " is not in the repository");
        check(conf, sd, model.loadSwinWeights(sd, train.swinWeights()), model::isSwinVariable, train.swinWeights());
        if (train.textWeights() != null) {
            assertTrue(Files.isRegularFile(train.textWeights()), conf + ": " + train.textWeights() + " is not in the repository");
            check(conf, sd, model.loadTextWeights(sd, train.textWeights()), model::isTextVariable, train.textWeights());
        }
    }

    private static void check(String conf, SameDiff sd, LoadReport r, Predicate<String> part, Path weights) {
        List<String> wanted = sd.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE).map(SDVariable::name).filter(part).toList();
        assertFalse(wanted.isEmpty());
        List<String> missing = wanted.stream().filter(v -> !r.loaded().contains(v)).toList();
        assertTrue(missing.isEmpty(), conf + ": " + weights + " leaves " + missing + " as initialised");
    }
}
