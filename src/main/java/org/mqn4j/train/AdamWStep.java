package org.mqn4j.train;

import org.mqn4j.eval.ModelInputs;
import org.mqn4j.util.StdoutGuard;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * One AdamW optimisation step on a training graph whose {@code TrainingConfig} holds an Adam
 * updater with a {@link LearningRateSchedule}: reseeds ND4J's random generator and every op's
 * generator state ({@link RandomOpSeeder}) from (seed, step),
 * sets the updater's iteration to the step, runs {@code fit} on the batch (stdout kept clean),
 * applies the {@link DecoupledWeightDecay} of the step's learning rate, and returns the loss the
 * step computed (on the weights before the update).
 */
public final class AdamWStep {
    private final SameDiff sd;
    private final LearningRateSchedule schedule;
    private final DecoupledWeightDecay decay;
    private final LossRecorder recorder = new LossRecorder(ModelInputs.LOSS);
    private final RandomOpSeeder seeder = new RandomOpSeeder();
    private final long seed;
    static final String TRAINING_LOSS = "training_loss";

    public AdamWStep(SameDiff sd, LearningRateSchedule schedule, double weightDecay, long seed) {
        this.sd = sd;
        this.schedule = schedule;
        this.decay = new DecoupledWeightDecay(sd, weightDecay);
        this.seed = seed;
        requireLossValue(sd);
        sd.setListeners(recorder, seeder);
    }

    /**
     * Makes the training step compute the value of {@code loss}. SameDiff M2.1 runs only the ops
     * the gradients need, and no gradient needs the loss's own value (the last op, e.g. a mean or
     * a negation, has a gradient independent of its output), so a listener never sees it. The
     * graph's loss becomes {@code training_loss = loss · 1}, a pairwise product whose gradient
     * reads both inputs; the value and gradients are unchanged.
     */
    static void requireLossValue(SameDiff sd) {
        if (sd.hasVariable(TRAINING_LOSS)) {
            return;
        }
        SDVariable loss = sd.getVariable(ModelInputs.LOSS);
        if (loss == null) {
            throw new IllegalArgumentException("the training graph has no variable named " + ModelInputs.LOSS);
        }
        SDVariable one = sd.constant("training_loss_one", Nd4j.scalar(loss.dataType(), 1.0));
        sd.setLossVariables(loss.mul(TRAINING_LOSS, one));
    }

    /** The seed of ND4J's random generator at a step (SplitMix64 of seed and step). */
    public static long stepSeed(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The parameters that take weight decay. */
    public DecoupledWeightDecay decay() {
        return decay;
    }

    /**
     * Runs step number {@code step} (0-based, over the whole run) on placeholders
     * {@link ModelInputs#training}, fed in the order of the training config's feature mapping.
     */
    public double run(Map<String, INDArray> ph, long step) {
        List<String> names = sd.getTrainingConfig().getDataSetFeatureMapping();
        INDArray[] features = new INDArray[names.size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = ph.get(names.get(i));
        }
        List<String> labelNames = sd.getTrainingConfig().getDataSetLabelMapping();
        INDArray[] labels = new INDArray[labelNames.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = ph.get(labelNames.get(i));
        }
        MultiDataSet mds = new MultiDataSet(features, labels);
        double lr = schedule.at(step);
        long stepSeed = stepSeed(seed, step);
        Nd4j.getRandom().setSeed(stepSeed);
        seeder.seed(stepSeed);
        sd.getTrainingConfig().setIterationCount(Math.toIntExact(step));
        DecoupledWeightDecay.Pending pending = decay.prepare(lr);
        recorder.clear();
        StdoutGuard.toStderr(() -> sd.fit(mds));
        double loss = recorder.last();
        if (Double.isFinite(loss)) {
            pending.apply();
        }
        return loss;
    }
}
