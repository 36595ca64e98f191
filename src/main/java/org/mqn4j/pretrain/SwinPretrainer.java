package org.mqn4j.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.mqn4j.data.ImageDecoder;
import org.mqn4j.data.Resize;
import org.mqn4j.data.RgbImage;
import org.mqn4j.data.SampleLoader;
import org.mqn4j.data.Scene;
import org.mqn4j.data.SceneRenderer;
import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticDatasetWriter;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.eval.ModelInputs;
import org.mqn4j.io.LoadReport;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.io.SafetensorsWriter;
import org.mqn4j.swin.SwinCheckpoint;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.train.AdamWStep;
import org.mqn4j.train.LearningRateSchedule;
import org.mqn4j.util.MqnException;
import org.mqn4j.util.Progress;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Pretrains a Swin backbone on {@link SceneParsingNetwork}'s task with scenes generated on the fly (never
 * written to disk; the generator's seed differs from every data set's), AdamW with warm-up and poly decay.
 * Scenes go through the same JPEG round trip and normalisation as the training images. Every
 * {@code evalEvery} steps, and at the end, it measures on held-out scenes how often a product cell's
 * category and colour are told right per stage, and writes the backbone ({@code swin.safetensors},
 * torchvision names plus the stage norms {@code norm0..3}; load it with {@code train.swin_weights}) and
 * {@code metrics.json}, both atomically.
 */
public final class SwinPretrainer {
    /**
     * @param steps       training steps
     * @param batchSize   scenes per step
     * @param evalEvery   steps between evaluations (and saves)
     * @param evalScenes  held-out scenes of an evaluation
     * @param minutes     time budget of the training steps (0: none); the run stops early and saves
     * @param init        a backbone to start from (safetensors, Swin names as {@code train.swin_weights}), or null
     */
    public record Settings(long steps, int batchSize, double learningRate, int warmupSteps, double weightDecay,
                           long seed, int evalEvery, int evalScenes, double minutes, Path init) {
        public Settings {
            if (steps < 1 || batchSize < 1 || evalEvery < 1 || evalScenes < 1) {
                throw new IllegalArgumentException("steps, batch size, eval-every and eval scenes must be positive");
            }
            if (!(learningRate > 0) || weightDecay < 0 || warmupSteps < 0 || minutes < 0) {
                throw new IllegalArgumentException("learning rate must be positive; weight decay, warm-up and minutes not negative");
            }
        }
    }

    /** One evaluation: per stage, the share of held-out product cells whose category / colour is told right ({@link #accuracy}). */
    public record Evaluation(long step, double loss, double seconds, double[] categoryAccuracy, double[] colourAccuracy) {
        public String summary() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "step %d  loss %.4f  %.0f s  category/colour by stage:",
                    step, loss, seconds));
            for (int i = 0; i < categoryAccuracy.length; i++) {
                s.append(String.format(Locale.ROOT, "  %d: %.1f/%.1f", i + 1, 100 * categoryAccuracy[i], 100 * colourAccuracy[i]));
            }
            return s.toString();
        }
    }

    private static final long SCENE_SEED = 1_000_003L;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SwinConfig swin;
    private final int size;
    private final Settings settings;
    private final Path out;
    private final PrintStream log;
    private final Vocabulary vocab = Vocabulary.standard();
    private final SyntheticProducts products;
    private final SceneRenderer renderer = new SceneRenderer();

    public SwinPretrainer(SwinConfig swin, int imageSize, Settings settings, Path out, PrintStream log) {
        this.swin = swin;
        this.size = imageSize;
        this.settings = settings;
        this.out = out;
        this.log = log;
        this.products = new SyntheticProducts(vocab, SynthConfig.builder().size(imageSize).seed(SCENE_SEED + settings.seed()).build());
    }

    public List<Evaluation> run() {
        SceneParsingNetwork net = SceneParsingNetwork.build(swin, size, vocab.categories().size(), vocab.colours().size(),
                settings.seed());
        SameDiff sd = net.sameDiff();
        if (settings.init() != null) {
            try (SafetensorsFile f = SafetensorsFile.open(settings.init())) {
                LoadReport report = SwinCheckpoint.of(f).loadInto(sd, swin.windowSize(), false);
                log.println("backbone from " + settings.init() + ": " + report.loaded().size() + " tensors, "
                        + report.missing().size() + " left as initialised");
            }
        }
        LearningRateSchedule schedule = new LearningRateSchedule(settings.learningRate(), settings.warmupSteps(),
                settings.steps(), 1.0);
        sd.setTrainingConfig(new TrainingConfig.Builder().updater(new Adam(schedule))
                .dataSetFeatureMapping(ModelInputs.INPUT).dataSetLabelMapping(net.labelNames()).build());
        AdamWStep optimiser = new AdamWStep(sd, schedule, settings.weightDecay(), settings.seed());
        Map<String, INDArray> held = batch(net, "pretrain-val", 0, settings.evalScenes());
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new MqnException("cannot create " + out + ": " + e.getMessage(), e);
        }
        BlockingQueue<Map<String, INDArray>> queue = new ArrayBlockingQueue<>(4);
        Thread producer = new Thread(() -> {
            try {
                for (long s = 0; s < settings.steps(); s++) {
                    queue.put(batch(net, "pretrain", s * settings.batchSize(), settings.batchSize()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "scene-generator");
        producer.setDaemon(true);
        producer.start();

        List<Evaluation> history = new ArrayList<>();
        long start = System.nanoTime();
        double evalSeconds = 0;
        double lossSum = 0;
        int lossCount = 0;
        long step = 0;
        try (Progress bar = new Progress("pretrain-swin", settings.steps())) {
            while (step < settings.steps()) {
                // the steps up to the next evaluation in one fit call (faster: AdamWStep.run(Steps, long))
                long evalAt = Math.min(settings.steps(), (step / settings.evalEvery() + 1) * settings.evalEvery());
                double evalSecondsSoFar = evalSeconds;
                double[] sums = {lossSum, lossCount};
                double[] bad = {Double.NaN};
                boolean[] overBudget = {false};
                step += optimiser.run(new AdamWStep.Steps() {
                    @Override
                    public Map<String, INDArray> next(long s) {
                        if (s >= evalAt || overBudget[0] || !Double.isNaN(bad[0])) {
                            return null;
                        }
                        try {
                            return queue.take();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new MqnException("interrupted at step " + s, e);
                        }
                    }

                    @Override
                    public void done(long s, double loss) {
                        if (!Double.isFinite(loss)) {
                            bad[0] = loss;
                            return;
                        }
                        sums[0] += loss;
                        sums[1]++;
                        bar.status(String.format(Locale.ROOT, "loss %.4f", sums[0] / sums[1])).step();
                        overBudget[0] = settings.minutes() > 0
                                && (System.nanoTime() - start) / 60e9 - evalSecondsSoFar / 60 > settings.minutes();
                    }
                }, step);
                if (!Double.isNaN(bad[0])) {
                    step--;   // the step whose loss was not finite is not done
                    throw new MqnException(String.format(Locale.ROOT, "the loss became %s at step %d (learning rate %.3g): "
                            + "stopped; %s keeps the last evaluation's backbone. Lower --lr or raise --warmup.",
                            Double.isInfinite(bad[0]) ? "infinite" : "NaN", step + 1, schedule.at(step), out));
                }
                lossSum = sums[0];
                lossCount = (int) sums[1];
                if (step % settings.evalEvery() == 0 || step == settings.steps() || overBudget[0]) {
                    long t0 = System.nanoTime();
                    history.add(evaluate(net, held, step, lossSum / lossCount, (t0 - start) / 1e9 - evalSeconds));
                    save(sd, history);
                    log.println(history.get(history.size() - 1).summary());
                    lossSum = 0;
                    lossCount = 0;
                    evalSeconds += (System.nanoTime() - t0) / 1e9;
                }
                if (overBudget[0]) {
                    log.printf(Locale.ROOT, "time budget of %.1f minutes reached at step %d: stopping%n", settings.minutes(), step);
                    break;
                }
            }
        } finally {
            producer.interrupt();
        }
        return history;
    }

    /** Scenes {@code first .. first+n-1} of {@code split}: the image and every label placeholder. */
    Map<String, INDArray> batch(SceneParsingNetwork net, String split, long first, int n) {
        int pixels = size * size;
        int stages = net.grids().size();
        float[] images = new float[n * 3 * pixels];
        float[][] labels = new float[2 * stages][];                   // per stage: category, colour; [n, cells, classes]
        for (int k = 0; k < labels.length; k++) {
            labels[k] = new float[n * cells(net, k / 2) * classes(net, k)];
        }
        for (int b = 0; b < n; b++) {
            Scene scene = products.scene(split, Math.toIntExact(first + b));
            SceneRenderer.Rendering r = renderer.render(scene, size);
            Resize.bilinearRgb(jpegRoundTrip(r.image()), size, size, SampleLoader.MEAN, SampleLoader.STD, images, b * 3 * pixels);
            int[][] classMaps = {SceneParsingLabels.categories(scene, r.ids(), vocab), SceneParsingLabels.colours(scene, r.ids(), vocab)};
            for (int k = 0; k < labels.length; k++) {
                int[] g = net.grids().get(k / 2);
                float[] shares = SceneParsingLabels.pooled(classMaps[k % 2], size, g[0], g[1], g[2], classes(net, k));
                System.arraycopy(shares, 0, labels[k], b * shares.length, shares.length);
            }
        }
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put(ModelInputs.INPUT, Nd4j.create(images, new long[]{n, 3, size, size}, 'c'));
        for (int k = 0; k < labels.length; k++) {
            ph.put(net.labelNames().get(k), Nd4j.create(labels[k], new long[]{n, cells(net, k / 2), classes(net, k)}, 'c'));
        }
        return ph;
    }

    private static int cells(SceneParsingNetwork net, int stage) {
        return net.grids().get(stage)[0] * net.grids().get(stage)[1];
    }

    /** Classes of label placeholder {@code k} (even: category, odd: colour), background included. */
    private static int classes(SceneParsingNetwork net, int k) {
        return k % 2 == 0 ? net.categories() + 1 : net.colours() + 1;
    }

    private RgbImage jpegRoundTrip(BufferedImage image) {
        try {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(
                    SyntheticDatasetWriter.jpeg(image, products.config().jpegQuality())));
            return new RgbImage(decoded.getWidth(), decoded.getHeight(), ImageDecoder.toRgb(decoded));
        } catch (IOException e) {
            throw new MqnException("cannot encode a generated scene as JPEG: " + e.getMessage(), e);
        }
    }

    /**
     * Per stage, among held-out cells whose largest share (at least 1/2) is a product class, the share whose
     * argmax logit is that class; category and colour.
     */
    static Evaluation evaluate(SceneParsingNetwork net, Map<String, INDArray> held, long step, double loss, double seconds) {
        int stages = net.grids().size();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < stages; i++) {
            outputs.add(SceneParsingNetwork.logitsName(i, SceneParsingNetwork.CATEGORY));
            outputs.add(SceneParsingNetwork.logitsName(i, SceneParsingNetwork.COLOR));
        }
        Map<String, INDArray> z = net.sameDiff().output(Map.of(ModelInputs.INPUT, held.get(ModelInputs.INPUT)), outputs);
        double[] cat = new double[stages];
        double[] col = new double[stages];
        for (int i = 0; i < stages; i++) {
            cat[i] = accuracy(z.get(outputs.get(2 * i)), held.get(net.labelNames().get(2 * i)));
            col[i] = accuracy(z.get(outputs.get(2 * i + 1)), held.get(net.labelNames().get(2 * i + 1)));
        }
        return new Evaluation(step, loss, seconds, cat, col);
    }

    /**
     * Among cells whose dominant label (share ≥ 1/2) is a product class (not 0), the share whose largest
     * product-class logit is that class: which category (colour) a product cell is, given that it is one.
     */
    static double accuracy(INDArray logits, INDArray shares) {
        float[] y = shares.dup('c').data().asFloat();
        float[] z = logits.dup('c').data().asFloat();
        int k = (int) shares.size(2);
        long right = 0, cells = 0;
        for (int c = 0; c < y.length / k; c++) {
            int label = 0;
            for (int j = 1; j < k; j++) {
                label = y[c * k + j] > y[c * k + label] ? j : label;
            }
            if (label == 0 || y[c * k + label] < 0.5f) {
                continue;
            }
            int best = 1;
            for (int j = 2; j < k; j++) {
                best = z[c * k + j] > z[c * k + best] ? j : best;
            }
            cells++;
            right += best == label ? 1 : 0;
        }
        return cells == 0 ? Double.NaN : (double) right / cells;
    }

    /** The backbone's trainable variables: torchvision's {@code features.*} and the stage norms {@code norm0..3}. */
    public static Map<String, INDArray> backbone(SameDiff sd) {
        Map<String, INDArray> backbone = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && (v.name().startsWith("features.") || v.name().matches("norm[0-9]+\\..*"))) {
                backbone.put(v.name(), v.getArr());
            }
        }
        return backbone;
    }

    private void save(SameDiff sd, List<Evaluation> history) {
        Evaluation last = history.get(history.size() - 1);
        SafetensorsWriter.write(out.resolve("swin.safetensors"), backbone(sd), Map.of("task", "scene parsing of generated products",
                "step", Long.toString(last.step()), "image_size", Integer.toString(size)));
        try {
            Path tmp = out.resolve("metrics.json.tmp");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("settings", settings);
            m.put("image_size", size);
            m.put("history", history);
            JSON.writeValue(tmp.toFile(), m);
            Files.move(tmp, out.resolve("metrics.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MqnException("cannot write " + out.resolve("metrics.json") + ": " + e.getMessage(), e);
        }
    }
}
