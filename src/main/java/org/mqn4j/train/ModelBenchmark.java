package org.mqn4j.train;

import org.mqn4j.eval.ModelInputs;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.text.EncodedBatch;
import org.mqn4j.util.Benchmark;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times a whole network (random weights) the way it is used: a training step is one {@link AdamWStep} on
 * the training graph set up as the {@link Trainer} sets it up (Adam with the config's learning-rate
 * schedule, decoupled weight decay, the per-step reseeding), an inference is the forward pass of
 * {@code probability} on the inference graph. The batch is fixed: normal-distributed images, product
 * titles tokenised to the model's title length, a rectangle as the target mask. Timing and peak memory
 * as every {@code mqn bench} ({@link Benchmark}).
 */
public final class ModelBenchmark {
    /** Phase names. */
    public static final String TRAIN = "train";
    public static final String INFER = "infer";

    private static final List<String> TITLES = List.of("【包邮】京选 红色马克杯 大容量 送蓝色杯垫",
            "2024新款 黑色双肩包 男女通用 大容量 旅行", "白色陶瓷碗 家用 4只装", "绿色保温杯 316不锈钢 500ml 送杯刷");

    /**
     * @param phase      {@link #TRAIN} or {@link #INFER}
     * @param parameters trainable parameters of the network
     * @param timing     median, minimum, every timed run and the peak memory of the phase
     */
    public record Result(String phase, int batch, int imageSize, long parameters, Benchmark.Phase timing) {
        /** Images per second at the median. */
        public double imagesPerSecond() {
            return batch * 1000.0 / timing.medianMs();
        }
    }

    private ModelBenchmark() {
    }

    /** Training steps of batch {@code batch}: warm-up steps (the first builds the gradient graph), then timed ones. */
    public static Result train(ModelDefinition model, TrainConfig cfg, int batch, int warmup, int runs, PrintStream log) {
        SameDiff sd = model.build(true);
        LearningRateSchedule schedule = LearningRateSchedule.of(cfg, 1000L * cfg.epochs());
        sd.setTrainingConfig(new TrainingConfig.Builder().updater(new Adam(schedule))
                .dataSetFeatureMapping(ModelInputs.featureNames(sd)).dataSetLabelMapping(ModelInputs.TARGET).build());
        AdamWStep step = new AdamWStep(sd, schedule, cfg.weightDecay(), cfg.seed());
        Map<String, INDArray> ph = inputs(sd, model, batch, true);
        long[] next = {0};
        Benchmark.Phase p = Benchmark.time(TRAIN, batch, warmup, runs, log, () -> {
            double loss = step.run(ph, next[0]++);   // stdout kept clean by AdamWStep
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("the loss became " + loss + " at step " + next[0]);
            }
        });
        return new Result(TRAIN, batch, model.imageSize(), parameters(sd), p);
    }

    /** Forward passes of {@code probability} at batch {@code batch}. */
    public static Result infer(ModelDefinition model, int batch, int warmup, int runs, PrintStream log) {
        SameDiff sd = model.build(false);
        Map<String, INDArray> ph = inputs(sd, model, batch, false);
        Benchmark.Phase p = Benchmark.time(INFER, batch, warmup, runs, log, () -> sd.output(ph, ModelInputs.PROBABILITY));
        return new Result(INFER, batch, model.imageSize(), parameters(sd), p);
    }

    /** The fixed batch's placeholders (with {@code target} for training). */
    static Map<String, INDArray> inputs(SameDiff sd, ModelDefinition model, int batch, boolean training) {
        int s = model.imageSize();
        Nd4j.getRandom().setSeed(7);
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            titles.add(TITLES.get(i % TITLES.size()));
        }
        EncodedBatch enc = BertTokenizer.builder().maxLength(model.maxLength()).build().encode(titles);
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put(ModelInputs.INPUT, Nd4j.randn(DataType.FLOAT, batch, 3, s, s));
        ph.put(ModelInputs.INPUT_IDS, enc.inputIds());
        ph.put(ModelInputs.ATTENTION_MASK, enc.attentionMask(DataType.INT64));
        if (ModelInputs.usesTokenTypes(sd)) {
            ph.put(ModelInputs.TOKEN_TYPE_IDS, enc.tokenTypeIds(DataType.INT64));
        }
        if (training) {
            INDArray target = Nd4j.zeros(DataType.FLOAT, batch, 1, s, s);
            target.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(s / 4, 3 * s / 4),
                    NDArrayIndex.interval(s / 3, 5 * s / 6)).assign(1);
            ph.put(ModelInputs.TARGET, target);
        }
        return ph;
    }

    /** Elements of the graph's trainable variables. */
    static long parameters(SameDiff sd) {
        long n = 0;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                n += v.getArr().length();
            }
        }
        return n;
    }
}
