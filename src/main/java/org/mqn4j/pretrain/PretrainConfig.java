package org.mqn4j.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code pretrain:} section of a pretraining YAML (the {@code model:} section beside it is an
 * MQN configuration; its text encoder and {@code max_title_length} are what is pretrained).
 * Immutable; build with {@link #builder()} or read with {@link #load(Path)}. Keys (YAML name, default):
 *
 * @param batchSize          {@code batch_size} (32)
 * @param learningRate       {@code learning_rate} (1e-3): AdamW, constant after the warm-up
 * @param weightDecay        {@code weight_decay} (1e-2): decoupled, not on norms and biases
 * @param warmupSteps        {@code warmup_steps} (100)
 * @param epochs             {@code epochs} (1): passes over the training titles
 * @param maxSteps           {@code max_steps} (0 = no limit): stop after this many steps
 * @param timeBudgetMinutes  {@code time_budget_minutes} (0 = none): stop at a step boundary once exceeded
 * @param seed               {@code seed} (0): held-out split, data order, masks, initial weights
 * @param mlmWeight          {@code mlm_weight} (1): weight of the masked-LM loss
 * @param attributeWeight    {@code attribute_weight} (1): weight of the attribute loss (mean over attributes)
 * @param categoryWeight     {@code category_weight} (1): weight of the category loss
 * @param maskProbability    {@code mask_probability} (0.15): fraction of a title's words to predict
 * @param heldOutFraction    {@code held_out_fraction} (0.05): titles kept out of training for the metrics
 * @param maxHeldOut         {@code max_held_out} (2000): at most this many held-out titles
 * @param evalEvery          {@code eval_every} (200): evaluate (and save) every N steps, and at the end
 * @param threads            {@code threads} (1): ND4J threads
 * @param userDictionary     {@code user_dictionary} (none): extra words for the segmenter, one per line
 */
public record PretrainConfig(int batchSize, double learningRate, double weightDecay, int warmupSteps, int epochs,
                             long maxSteps, double timeBudgetMinutes, long seed, double mlmWeight,
                             double attributeWeight, double categoryWeight, double maskProbability,
                             double heldOutFraction, int maxHeldOut, int evalEvery, int threads, Path userDictionary) {

    private static final Set<String> KEYS = Set.of("batch_size", "learning_rate", "weight_decay", "warmup_steps",
            "epochs", "max_steps", "time_budget_minutes", "seed", "mlm_weight", "attribute_weight", "category_weight",
            "mask_probability", "held_out_fraction", "max_held_out", "eval_every", "threads", "user_dictionary");

    public PretrainConfig {
        require(batchSize >= 1, "batch_size must be at least 1, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning_rate must be positive, got " + learningRate);
        require(weightDecay >= 0, "weight_decay must be >= 0, got " + weightDecay);
        require(warmupSteps >= 0, "warmup_steps must be >= 0, got " + warmupSteps);
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(maxSteps >= 0, "max_steps must be >= 0, got " + maxSteps);
        require(timeBudgetMinutes >= 0, "time_budget_minutes must be >= 0, got " + timeBudgetMinutes);
        require(mlmWeight >= 0 && attributeWeight >= 0 && categoryWeight >= 0, "loss weights must be >= 0");
        require(mlmWeight + attributeWeight + categoryWeight > 0, "at least one loss weight must be positive");
        require(maskProbability > 0 && maskProbability <= 1, "mask_probability must be in (0, 1], got " + maskProbability);
        require(heldOutFraction > 0 && heldOutFraction < 1, "held_out_fraction must be in (0, 1), got " + heldOutFraction);
        require(maxHeldOut >= 1, "max_held_out must be at least 1, got " + maxHeldOut);
        require(evalEvery >= 1, "eval_every must be at least 1, got " + evalEvery);
        require(threads >= 1, "threads must be at least 1, got " + threads);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings that change the result, one line (for metrics.json and the heads' metadata). */
    public String fingerprint() {
        return String.format(Locale.ROOT, "batch_size=%d learning_rate=%s weight_decay=%s warmup_steps=%d epochs=%d "
                        + "max_steps=%d time_budget_minutes=%s seed=%d mlm_weight=%s attribute_weight=%s category_weight=%s "
                        + "mask_probability=%s held_out_fraction=%s max_held_out=%d user_dictionary=%s",
                batchSize, learningRate, weightDecay, warmupSteps, epochs, maxSteps, timeBudgetMinutes, seed, mlmWeight,
                attributeWeight, categoryWeight, maskProbability, heldOutFraction, maxHeldOut,
                userDictionary == null ? "-" : userDictionary.getFileName());
    }

    /** Reads the {@code pretrain:} section of a YAML file; unknown keys are refused. */
    public static PretrainConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new MqnException("cannot read pretraining config " + file + ": " + e.getMessage().split("\n")[0], e);
        }
        JsonNode n = root == null ? null : root.get("pretrain");
        if (n == null || !n.isObject()) {
            throw new MqnException(file + " has no 'pretrain:' section");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new MqnException(file + ": unknown key pretrain." + key + " (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        try {
            Builder b = builder();
            if (n.has("batch_size")) b.batchSize(integer(n, "batch_size", file));
            if (n.has("learning_rate")) b.learningRate(number(n, "learning_rate", file));
            if (n.has("weight_decay")) b.weightDecay(number(n, "weight_decay", file));
            if (n.has("warmup_steps")) b.warmupSteps(integer(n, "warmup_steps", file));
            if (n.has("epochs")) b.epochs(integer(n, "epochs", file));
            if (n.has("max_steps")) b.maxSteps(integer(n, "max_steps", file));
            if (n.has("time_budget_minutes")) b.timeBudgetMinutes(number(n, "time_budget_minutes", file));
            if (n.has("seed")) b.seed(integer(n, "seed", file));
            if (n.has("mlm_weight")) b.mlmWeight(number(n, "mlm_weight", file));
            if (n.has("attribute_weight")) b.attributeWeight(number(n, "attribute_weight", file));
            if (n.has("category_weight")) b.categoryWeight(number(n, "category_weight", file));
            if (n.has("mask_probability")) b.maskProbability(number(n, "mask_probability", file));
            if (n.has("held_out_fraction")) b.heldOutFraction(number(n, "held_out_fraction", file));
            if (n.has("max_held_out")) b.maxHeldOut(integer(n, "max_held_out", file));
            if (n.has("eval_every")) b.evalEvery(integer(n, "eval_every", file));
            if (n.has("threads")) b.threads(integer(n, "threads", file));
            if (n.has("user_dictionary")) {
                Path p = Path.of(n.get("user_dictionary").asText());
                Path beside = file.toAbsolutePath().getParent().resolve(p);
                b.userDictionary(!p.isAbsolute() && !java.nio.file.Files.exists(p) && java.nio.file.Files.exists(beside) ? beside : p);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new MqnException(file + ": pretrain." + e.getMessage(), e);
        }
    }

    private static int integer(JsonNode n, String key, Path file) {
        JsonNode v = n.get(key);
        if (!v.isIntegralNumber()) {
            throw new MqnException(file + ": pretrain." + key + " must be an integer, got '" + v.asText() + "'");
        }
        return v.asInt();
    }

    private static double number(JsonNode n, String key, Path file) {
        JsonNode v = n.get(key);
        if (!v.isNumber()) {
            throw new MqnException(file + ": pretrain." + key + " must be a number, got '" + v.asText() + "'");
        }
        return v.asDouble();
    }

    /** Builder with the defaults above. */
    public static final class Builder {
        private int batchSize = 32;
        private double learningRate = 1e-3;
        private double weightDecay = 1e-2;
        private int warmupSteps = 100;
        private int epochs = 1;
        private long maxSteps = 0;
        private double timeBudgetMinutes = 0;
        private long seed = 0;
        private double mlmWeight = 1;
        private double attributeWeight = 1;
        private double categoryWeight = 1;
        private double maskProbability = 0.15;
        private double heldOutFraction = 0.05;
        private int maxHeldOut = 2000;
        private int evalEvery = 200;
        private int threads = 1;
        private Path userDictionary;

        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder maxSteps(long v) { maxSteps = v; return this; }
        public Builder timeBudgetMinutes(double v) { timeBudgetMinutes = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder mlmWeight(double v) { mlmWeight = v; return this; }
        public Builder attributeWeight(double v) { attributeWeight = v; return this; }
        public Builder categoryWeight(double v) { categoryWeight = v; return this; }
        public Builder maskProbability(double v) { maskProbability = v; return this; }
        public Builder heldOutFraction(double v) { heldOutFraction = v; return this; }
        public Builder maxHeldOut(int v) { maxHeldOut = v; return this; }
        public Builder evalEvery(int v) { evalEvery = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder userDictionary(Path v) { userDictionary = v; return this; }

        public PretrainConfig build() {
            return new PretrainConfig(batchSize, learningRate, weightDecay, warmupSteps, epochs, maxSteps,
                    timeBudgetMinutes, seed, mlmWeight, attributeWeight, categoryWeight, maskProbability,
                    heldOutFraction, maxHeldOut, evalEvery, threads, userDictionary);
        }
    }
}
