package org.mqn4j.train;

import org.mqn4j.data.MmpsBatch;
import org.mqn4j.data.MmpsRecord;
import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticDatasetWriter;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.eval.ModelInputs;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.util.Benchmark;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * {@code probability} on the inference graph. The batch is fixed: normal-distributed images, generated
 * product titles tokenised to the model's title length, their target masks and labels. Timing and peak memory
 * as every {@code mqn bench} ({@link Benchmark}).
 */
public final class ModelBenchmark {
    /** Phase names. */
    public static final String TRAIN = "train";
    public static final String INFER = "infer";

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

    /**
     * Training steps of batch {@code batch}: warm-up runs (the first builds the gradient graph), then timed ones;
     * a run is {@code stepsPerCall} steps in one fit call ({@link AdamWStep#run(AdamWStep.Steps, long)}, as the trainer
     * makes them between checkpoints), and the times are per step.
     */
    public static Result train(ModelDefinition model, TrainConfig cfg, int batch, int warmup, int runs, int stepsPerCall,
                               PrintStream log) {
        SameDiff sd = model.build(true);
        LearningRateSchedule schedule = LearningRateSchedule.of(cfg, 1000L * cfg.epochs());
        sd.setTrainingConfig(new TrainingConfig.Builder().updater(new Adam(schedule))
                .dataSetFeatureMapping(ModelInputs.featureNames(sd)).dataSetLabelMapping(ModelInputs.labelNames(sd)).build());
        AdamWStep step = new AdamWStep(sd, schedule, cfg.weightDecay(), cfg.seed());
        Map<String, INDArray> ph = inputs(sd, model, batch, true);
        long[] next = {0};
        Benchmark.Phase p = Benchmark.time(TRAIN, batch, warmup, runs, log, () -> {
            long ran = step.run(new AdamWStep.Steps() {   // stdout kept clean by AdamWStep
                private final long end = next[0] + stepsPerCall;

                @Override
                public Map<String, INDArray> next(long s) {
                    return s < end ? ph : null;
                }

                @Override
                public void done(long s, double loss) {
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("the loss became " + loss + " at step " + s);
                    }
                }
            }, next[0]);
            next[0] += ran;
        });
        double[] perStep = java.util.Arrays.stream(p.runsMs()).map(ms -> ms / stepsPerCall).toArray();
        p = new Benchmark.Phase(p.name(), p.batch(), p.medianMs() / stepsPerCall, p.minMs() / stepsPerCall, perStep,
                p.peakRssBytes(), p.peakHeapBytes());
        return new Result(TRAIN, batch, model.imageSize(), parameters(sd), p);
    }

    /** Forward passes of {@code probability} at batch {@code batch}. */
    public static Result infer(ModelDefinition model, int batch, int warmup, int runs, PrintStream log) {
        SameDiff sd = model.build(false);
        Map<String, INDArray> ph = inputs(sd, model, batch, false);
        Benchmark.Phase p = Benchmark.time(INFER, batch, warmup, runs, log, () -> sd.output(ph, ModelInputs.PROBABILITY));
        return new Result(INFER, batch, model.imageSize(), parameters(sd), p);
    }

    /**
     * The fixed batch's placeholders: generated product scenes (seed 7) with their titles, and for training
     * their target masks and every label the graph's auxiliary losses take ({@link ModelInputs#training}).
     * The images are normal-distributed noise: the timing does not depend on them.
     */
    static Map<String, INDArray> inputs(SameDiff sd, ModelDefinition model, int batch, boolean training) {
        int s = model.imageSize();
        Nd4j.getRandom().setSeed(7);
        SyntheticProducts products = new SyntheticProducts(Vocabulary.standard(), SynthConfig.builder().size(s).seed(7).build());
        List<MmpsRecord> records = new ArrayList<>();
        float[] masks = new float[batch * s * s];
        for (int i = 0; i < batch; i++) {
            SyntheticProducts.Sample sample = products.sample("bench", i);
            records.add(SyntheticDatasetWriter.record(sample));
            for (int p = 0; p < s * s; p++) {
                masks[i * s * s + p] = sample.mask()[p] != 0 ? 1f : 0f;
            }
        }
        MmpsBatch b = new MmpsBatch(records, Nd4j.randn(DataType.FLOAT, batch, 3, s, s),
                Nd4j.create(masks, new long[]{batch, 1, s, s}, 'c'));
        BertTokenizer tokenizer = BertTokenizer.builder().vocab(model.vocab()).maxLength(model.maxLength()).build();
        return training ? ModelInputs.training(sd, b, tokenizer) : ModelInputs.inference(sd, b, tokenizer);
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
