package org.mqn4j.train;

import org.mqn4j.eval.ModelInputs;
import org.mqn4j.util.StdoutGuard;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
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
        double[] loss = {Double.NaN};
        run(new Steps() {
            private boolean fed;

            @Override
            public Map<String, INDArray> next(long s) {
                if (fed) {
                    return null;
                }
                fed = true;
                return ph;
            }

            @Override
            public void done(long s, double l) {
                loss[0] = l;
            }
        }, step);
        return loss[0];
    }

    /**
     * Where consecutive steps come from and where their losses go: {@link #run(Steps, long)} asks for the
     * placeholders of each step after the previous step is done, so the source can stop on what it learnt.
     */
    public interface Steps {
        /** The placeholders of step {@code step}, or null to end the run here. */
        Map<String, INDArray> next(long step);

        /** Step {@code step} is done (its update and weight decay applied unless the loss is not finite). */
        void done(long step, double loss);
    }

    /**
     * Runs steps {@code firstStep}, {@code firstStep + 1}, ... from {@code steps} in one SameDiff fit call, each
     * exactly as {@link #run(Map, long)} would, and returns how many ran. One call for many steps is faster:
     * SameDiff M2.1 builds a new training session per fit call, with an empty array cache, so every step of
     * its own call allocates all its arrays afresh (the demo network trains 8% faster with 24 steps per call than
     * with one: {@code results/bench-fit-calls-*.md}). A step whose loss is not finite ends the call after its
     * {@code done}.
     */
    public long run(Steps steps, long firstStep) {
        StepFeed feed = new StepFeed(steps, firstStep);
        if (!feed.hasNext()) {
            return 0;
        }
        sd.getTrainingConfig().setIterationCount(Math.toIntExact(firstStep));
        BaseListener after = new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void iterationDone(SameDiff s, At at, org.nd4j.linalg.dataset.api.MultiDataSet batch, Loss l) {
                feed.finish();
            }
        };
        StdoutGuard.toStderr(() -> sd.fit(feed, 1, after));   // `after` for this call only, beside the graph's listeners
        if (feed.pending != null) {
            throw new IllegalStateException("SameDiff's fit ended step " + feed.step + " without reporting it done");
        }
        return feed.step - firstStep;
    }

    /** The batches of one fit call: each step's seeds, learning rate and weight decay set when fit takes it. */
    private final class StepFeed implements MultiDataSetIterator {
        private final Steps steps;
        private long step;
        private Map<String, INDArray> lookahead;
        private boolean ended;
        private DecoupledWeightDecay.Pending pending;

        StepFeed(Steps steps, long firstStep) {
            this.steps = steps;
            this.step = firstStep;
        }

        @Override
        public boolean hasNext() {
            if (lookahead == null && !ended) {
                lookahead = steps.next(step);
                ended = lookahead == null;
            }
            return lookahead != null;
        }

        @Override
        public MultiDataSet next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Map<String, INDArray> ph = lookahead;
            lookahead = null;
            TrainingConfig tc = sd.getTrainingConfig();
            long stepSeed = stepSeed(seed, step);
            Nd4j.getRandom().setSeed(stepSeed);
            seeder.seed(stepSeed);
            pending = decay.prepare(schedule.at(step));
            recorder.clear();
            return new MultiDataSet(arrays(ph, tc.getDataSetFeatureMapping()), arrays(ph, tc.getDataSetLabelMapping()));
        }

        /** After the update of the current step: the weight decay, then the source hears of it. */
        void finish() {
            double loss = recorder.last();
            if (Double.isFinite(loss)) {
                pending.apply();
            } else {
                ended = true;
            }
            pending = null;
            long s = step++;
            steps.done(s, loss);
        }

        private static INDArray[] arrays(Map<String, INDArray> ph, List<String> names) {
            INDArray[] a = new INDArray[names.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = ph.get(names.get(i));
            }
            return a;
        }

        @Override
        public MultiDataSet next(int num) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return false;   // the next step's seeds and weight decay must follow the previous step's update
        }

        @Override
        public void reset() {
            // one pass only; fit calls this at the end of its epoch
        }
    }
}
