package org.mqn4j.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.eval.ModelInputs;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.io.GraphFile;
import org.mqn4j.io.SafetensorsWriter;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.text.WordPieceVocab;
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

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Pretrains the MQN's text encoder on a title corpus ({@link PretrainNetwork}): AdamW steps
 * ({@link AdamWStep}) on freshly masked batches, evaluation on held-out titles every
 * {@code eval_every} steps and at the end, the encoder and the heads saved at each evaluation.
 *
 * <p>Run directory: {@code text_encoder.safetensors} (HuggingFace names {@code embeddings.*},
 * {@code encoder.*}: {@code train.text_weights} of {@code mqn train} loads it), {@code heads.safetensors}
 * ({@code cls.predictions.*} with the tied {@code cls.predictions.decoder.weight}, {@code heads.*}; the
 * classes in its metadata), {@code labels.json}, {@code metrics.json}, {@code curves.png}. Every file is
 * written atomically. Not resumable: an interrupted run keeps its last evaluation's files.
 */
public final class TextPretrainer {
    public static final String ENCODER_FILE = "text_encoder.safetensors";
    public static final String HEADS_FILE = "heads.safetensors";

    private final MqnConfig model;
    private final PretrainConfig cfg;
    private final List<TitleRecord> corpus;
    private final Path runDir;
    private final PrintStream out;
    private final boolean showProgress;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a run ended with. */
    public record Result(Path runDir, long steps, double seconds, List<PretrainMetrics> history, boolean stoppedByBudget) {
        public PretrainMetrics last() {
            return history.get(history.size() - 1);
        }
    }

    /**
     * @param out          where the evaluation lines go (the command's stdout), or null
     * @param showProgress draw a progress bar on stderr
     */
    public TextPretrainer(MqnConfig model, PretrainConfig cfg, List<TitleRecord> corpus, Path runDir, PrintStream out,
                          boolean showProgress) {
        this.model = model;
        this.cfg = cfg;
        this.corpus = List.copyOf(corpus);
        this.runDir = runDir;
        this.out = out;
        this.showProgress = showProgress;
    }

    /**
     * The vocabulary of the text encoder: the one place it is chosen. (The built-in vocabulary until
     * the MQN configuration names one.) Its size must equal {@code text.vocab_size}.
     */
    public static WordPieceVocab vocabulary(MqnConfig model) {
        WordPieceVocab vocab = model.wordPieceVocab();
        if (vocab.size() != model.text().vocabSize()) {
            throw new MqnException("the vocabulary " + vocab.source() + " has " + vocab.size()
                    + " tokens but the model's text.vocab_size is " + model.text().vocabSize());
        }
        return vocab;
    }

    /** The MQN's tokenizer: its vocabulary and {@code max_title_length}. */
    public static BertTokenizer tokenizer(MqnConfig model) {
        return BertTokenizer.builder().vocab(vocabulary(model)).maxLength(model.maxTitleLength()).build();
    }

    public Result run() {
        Nd4j.getEnvironment().setMaxMasterThreads(cfg.threads());
        Nd4j.getEnvironment().setMaxThreads(cfg.threads());
        if (Files.exists(runDir.resolve("metrics.json"))) {
            throw new MqnException("run directory " + runDir + " already holds a pretraining run (metrics.json); choose another --out");
        }
        if (corpus.size() < 2) {
            throw new MqnException("the corpus needs at least 2 titles (one to train on, one to hold out), got " + corpus.size());
        }
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new MqnException("cannot create " + runDir + ": " + e.getMessage(), e);
        }
        // held-out split: a seeded shuffle of the corpus
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(cfg.seed()));
        int held = (int) Math.min(cfg.maxHeldOut(), Math.max(1, Math.round(cfg.heldOutFraction() * corpus.size())));
        held = Math.min(held, corpus.size() - 1);
        List<TitleRecord> heldOut = new ArrayList<>();
        List<TitleRecord> train = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            (i < held ? heldOut : train).add(corpus.get(order.get(i)));
        }

        PretrainLabels labels = PretrainLabels.of(corpus);
        BertTokenizer tokenizer = tokenizer(model);
        WholeWordMasker masker = new WholeWordMasker(tokenizer, WordSegmenter.of(Vocabulary.standard(), cfg.userDictionary()),
                cfg.maskProbability());
        PretrainNetwork net = PretrainNetwork.build(model.text(), model.maxTitleLength(), labels, cfg.mlmWeight(),
                cfg.attributeWeight(), cfg.categoryWeight(), cfg.seed());
        SameDiff sd = net.sameDiff();
        // AdamWStep feeds the placeholders of the feature mapping and, as the one label, ph["target"]:
        // the label is the first labels placeholder of the graph, every other placeholder a feature.
        String label = null;
        List<String> features = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.isPlaceHolder()) {
                if (label == null && v.name().endsWith("labels")) {
                    label = v.name();
                } else {
                    features.add(v.name());
                }
            }
        }
        LearningRateSchedule schedule = new LearningRateSchedule(cfg.learningRate(), cfg.warmupSteps(), 0, 1.0);
        sd.setTrainingConfig(new TrainingConfig.Builder().updater(new Adam(schedule)).dataSetFeatureMapping(features)
                .dataSetLabelMapping(label).build());
        AdamWStep optimiser = new AdamWStep(sd, schedule, cfg.weightDecay(), cfg.seed());
        PretrainEvaluation evaluation = new PretrainEvaluation(net, masker, heldOut, cfg.seed() + 1, cfg.batchSize());
        writeJson(runDir.resolve("labels.json"), labels.toJson());
        System.err.printf(Locale.ROOT, "pretraining on %d titles, %d held out; heads: %s; %d parameters%n", train.size(),
                heldOut.size(), describeHeads(net), parameterCount(sd));

        List<PretrainMetrics> history = new ArrayList<>();
        List<Double> stepLosses = new ArrayList<>();
        long stepsPerEpoch = (train.size() + cfg.batchSize() - 1) / cfg.batchSize();
        long totalSteps = stepsPerEpoch * cfg.epochs();
        if (cfg.maxSteps() > 0) {
            totalSteps = Math.min(totalSteps, cfg.maxSteps());
        }
        long budgetNanos = (long) (cfg.timeBudgetMinutes() * 60e9);
        long start = System.nanoTime();
        double evalSeconds = 0;
        long step = 0;
        double lossSinceEval = 0;
        int stepsSinceEval = 0;
        boolean stopped = false;

        long t0 = System.nanoTime();
        history.add(evaluation.evaluate(0, Double.NaN, 0));
        evalSeconds += (System.nanoTime() - t0) / 1e9;
        report(history.get(0));
        Progress bar = showProgress ? new Progress("pretrain", totalSteps) : null;
        try {
            outer:
            for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
                List<TitleRecord> shuffled = new ArrayList<>(train);
                Collections.shuffle(shuffled, new Random(AdamWStep.stepSeed(cfg.seed(), -1 - epoch)));
                for (int s = 0; s < shuffled.size(); s += cfg.batchSize()) {
                    if (step >= totalSteps) {
                        break outer;
                    }
                    List<TitleRecord> recs = shuffled.subList(s, Math.min(shuffled.size(), s + cfg.batchSize()));
                    Random r = new Random(AdamWStep.stepSeed(cfg.seed() + 7, step));
                    List<WholeWordMasker.Masked> masked = new ArrayList<>();
                    for (TitleRecord rec : recs) {
                        masked.add(masker.mask(rec.title(), r));
                    }
                    Map<String, INDArray> ph = PretrainBatch.placeholders(net, recs, masked);
                    ph.put(ModelInputs.TARGET, ph.get(label));
                    double loss = optimiser.run(ph, step);
                    if (!Double.isFinite(loss)) {
                        throw new MqnException(String.format(Locale.ROOT, "the loss became %s at step %d (learning rate %.3g): "
                                        + "pretraining stopped; the files of the last evaluation are kept. Lower learning_rate "
                                        + "or add warmup_steps.", Double.isNaN(loss) ? "NaN" : "infinite", step + 1,
                                schedule.at(step)));
                    }
                    step++;
                    stepLosses.add(loss);
                    lossSinceEval += loss;
                    stepsSinceEval++;
                    if (bar != null) {
                        bar.status(String.format(Locale.ROOT, "loss %.4f lr %.2e", lossSinceEval / stepsSinceEval,
                                schedule.at(step - 1))).step();
                    }
                    boolean budgetOver = budgetNanos > 0 && System.nanoTime() - start > budgetNanos;
                    if (budgetOver) {
                        stopped = true;
                        break outer;
                    }
                    if (step % cfg.evalEvery() == 0 && step < totalSteps) {
                        t0 = System.nanoTime();
                        history.add(evaluation.evaluate(step, lossSinceEval / stepsSinceEval,
                                (System.nanoTime() - start) / 1e9 - evalSeconds));
                        evalSeconds += (System.nanoTime() - t0) / 1e9;
                        lossSinceEval = 0;
                        stepsSinceEval = 0;
                        save(net, labels, history, stepLosses);
                        report(history.get(history.size() - 1));
                    }
                }
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        if (stopped) {
            System.err.printf(Locale.ROOT, "time budget of %.1f minutes reached at step %d: stopping%n",
                    cfg.timeBudgetMinutes(), step);
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9 - evalSeconds;
        if (history.get(history.size() - 1).step() != step) {
            history.add(evaluation.evaluate(step, stepsSinceEval == 0 ? Double.NaN : lossSinceEval / stepsSinceEval,
                    trainSeconds));
            report(history.get(history.size() - 1));
        }
        save(net, labels, history, stepLosses);
        return new Result(runDir, step, trainSeconds, List.copyOf(history), stopped);
    }

    private void report(PretrainMetrics m) {
        if (out != null) {
            out.println(m.summary());
            out.flush();
        }
    }

    private static String describeHeads(PretrainNetwork net) {
        List<String> h = new ArrayList<>();
        if (net.hasMaskedLm()) {
            h.add("masked LM");
        }
        net.labels().attributes().forEach((a, v) -> {
            if (net.hasAttribute(a)) {
                h.add(a + " (" + v.size() + " classes)");
            }
        });
        if (net.hasCategory()) {
            h.add("category (" + net.labels().categories().size() + " classes)");
        }
        return String.join(", ", h);
    }

    private static long parameterCount(SameDiff sd) {
        long n = 0;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                n += v.getArr().length();
            }
        }
        return n;
    }

    /** Writes the encoder, the heads, metrics.json and curves.png. */
    private void save(PretrainNetwork net, PretrainLabels labels, List<PretrainMetrics> history, List<Double> stepLosses) {
        SameDiff sd = net.sameDiff();
        Map<String, INDArray> encoder = new TreeMap<>();
        Map<String, INDArray> heads = new TreeMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() != VariableType.VARIABLE) {
                continue;
            }
            if (PretrainNetwork.isEncoderVariable(v.name())) {
                encoder.put(v.name(), v.getArr());
            } else if (PretrainNetwork.isHeadVariable(v.name())) {
                heads.put(v.name(), v.getArr());
            }
        }
        if (net.hasMaskedLm()) {
            heads.put(MaskedLmHead.PREFIX + "decoder.weight", sd.getArrForVarName("embeddings.word_embeddings.weight"));
        }
        long step = history.get(history.size() - 1).step();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("source", "mqn pretrain-text");
        meta.put("step", Long.toString(step));
        meta.put("model", model.toYaml().replaceAll("\\s+", " ").trim());
        SafetensorsWriter.write(runDir.resolve(ENCODER_FILE), encoder, meta);
        Map<String, String> headMeta = new LinkedHashMap<>(meta);
        headMeta.put("labels", labels.toJson().toString());
        headMeta.put("tied", "cls.predictions.decoder.weight = embeddings.word_embeddings.weight");
        SafetensorsWriter.write(runDir.resolve(HEADS_FILE), heads, headMeta);

        ObjectNode m = json.createObjectNode();
        m.put("pretrain", cfg.fingerprint());
        m.put("model", model.toYaml().replaceAll("\\s+", " ").trim());
        m.set("labels", labels.toJson());
        ArrayNode evals = m.putArray("evaluations");
        history.forEach(h -> evals.add(h.toJson(json)));
        m.set("step_losses", json.valueToTree(stepLosses));
        writeJson(runDir.resolve("metrics.json"), m);
        PretrainPlot.write(runDir.resolve("curves.png"), stepLosses, history);
    }

    private void writeJson(Path file, ObjectNode node) {
        GraphFile.writeAtomically(file, tmp -> json.writeValue(tmp.toFile(), node));
    }
}
