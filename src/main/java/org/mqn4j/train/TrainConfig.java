package org.mqn4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mqn4j.data.Augmentation;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code train:} section of a model YAML. Immutable; build with {@link #builder()} or read with
 * {@link #load(Path)}. Keys (YAML name, default):
 *
 * @param epochs            {@code epochs} (10): passes over the train split
 * @param batchSize         {@code batch_size} (8)
 * @param learningRate      {@code learning_rate} (5e-5, the paper's for pretrained encoders; about 1e-3 from scratch)
 * @param weightDecay       {@code weight_decay} (1e-2): decoupled (AdamW), not on norms, biases, bias tables
 * @param schedule          {@code schedule} (constant): constant or poly
 * @param power             {@code power} (0.9): exponent of the poly schedule
 * @param warmupSteps       {@code warmup_steps} (0): linear warm-up over the first steps
 * @param seed              {@code seed} (0): data order, dropout / stochastic depth draws
 * @param timeBudgetMinutes {@code time_budget_minutes} (0 = none): wall-clock limit of one invocation (a
 *                          resumed run gets it afresh); stop at a step boundary once exceeded, then
 *                          validate and save
 * @param maxSteps          {@code max_steps} (0 = none): stop after this many optimisation steps of the whole run
 *                          (counted across resumes), then validate and save; a step budget that does not depend
 *                          on the machine's speed. The poly schedule then ends at this step
 * @param freezeSwin        {@code freeze_swin} (false): keep the Swin weights fixed
 * @param freezeText        {@code freeze_text} (false): keep the text encoder's weights fixed
 * @param swinWeights       {@code swin_weights} (none): pretrained Swin safetensors
 * @param textWeights       {@code text_weights} (none): pretrained text encoder safetensors
 * @param validateEvery     {@code validate_every} (1): validate every N epochs (and after the last)
 * @param checkpointEvery   {@code checkpoint_every} (0 = epoch ends only): also checkpoint every N steps
 * @param threads           {@code threads} (1): ND4J threads (one is fastest on 2 cores)
 * @param dataThreads       {@code data_threads} (2): image decoding threads
 * @param freezeSwinStages  {@code freeze_swin_stages} (none): keep only these Swin stages (1-4) fixed, e.g. [1, 2];
 *                          a stage holds its blocks and stage norm, the patch merging that feeds it, and for
 *                          stage 1 the patch embedding. {@code freeze_swin: true} is all four (do not give both)
 * @param augment           {@code augment:} (none): random changes to the training images, a map of
 *                          {@link Augmentation}'s settings, e.g. {@code {flip: true, brightness: 0.25}}
 * @param stepsPerCall      {@code steps_per_call} (0 = up to the next checkpoint or epoch end): at most this many
 *                          steps in one SameDiff fit call. More steps per call are faster (the call's array cache is
 *                          reused) but hold more memory; the weights are the same either way. 1 for the largest
 *                          models (the paper's network at 480 px passes 20 GiB with 4 steps per call, 14.4 with 1)
 */
public record TrainConfig(int epochs, int batchSize, double learningRate, double weightDecay, Schedule schedule,
                          double power, int warmupSteps, long seed, double timeBudgetMinutes, boolean freezeSwin,
                          boolean freezeText, Path swinWeights, Path textWeights, int validateEvery,
                          int checkpointEvery, int threads, int dataThreads, long maxSteps, List<Integer> freezeSwinStages,
                          Augmentation augment, int stepsPerCall) {

    /** Learning-rate schedules after the warm-up. */
    public enum Schedule { CONSTANT, POLY }

    private static final Set<String> KEYS = Set.of("epochs", "batch_size", "learning_rate", "weight_decay", "schedule",
            "power", "warmup_steps", "seed", "time_budget_minutes", "freeze_swin", "freeze_text", "swin_weights",
            "text_weights", "validate_every", "checkpoint_every", "threads", "data_threads", "max_steps", "freeze_swin_stages", "augment",
            "steps_per_call");
    private static final Set<String> AUGMENT_KEYS = Set.of("flip", "brightness", "contrast", "saturation", "color_cast",
            "lighting", "occlusion", "target_occlusion", "noise");

    public TrainConfig {
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "batch_size must be at least 1, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning_rate must be positive, got " + learningRate);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay must be >= 0, got " + weightDecay);
        require(schedule != null, "schedule is required (constant or poly)");
        require(power > 0, "power must be positive, got " + power);
        require(warmupSteps >= 0, "warmup_steps must be >= 0, got " + warmupSteps);
        require(timeBudgetMinutes >= 0, "time_budget_minutes must be >= 0, got " + timeBudgetMinutes);
        require(validateEvery >= 1, "validate_every must be at least 1, got " + validateEvery);
        require(checkpointEvery >= 0, "checkpoint_every must be >= 0, got " + checkpointEvery);
        require(threads >= 1, "threads must be at least 1, got " + threads);
        require(dataThreads >= 1, "data_threads must be at least 1, got " + dataThreads);
        require(stepsPerCall >= 0, "steps_per_call must be 0 (up to the next checkpoint) or more, got " + stepsPerCall);
        require(maxSteps >= 0, "max_steps must be >= 0, got " + maxSteps);
        freezeSwinStages = freezeSwinStages == null ? List.of() : List.copyOf(new TreeSet<>(freezeSwinStages));
        require(freezeSwinStages.stream().allMatch(i -> i >= 1 && i <= 4),
                "freeze_swin_stages must name stages 1 to 4, got " + freezeSwinStages);
        require(!(freezeSwin && !freezeSwinStages.isEmpty()),
                "give freeze_swin: true (all stages) or freeze_swin_stages, not both");
        augment = augment == null ? Augmentation.NONE : augment;
    }

    /** True when the Swin stage (1-4) stays fixed: {@code freeze_swin}, or listed in {@code freeze_swin_stages}. */
    public boolean swinStageFrozen(int stage) {
        return freezeSwin || freezeSwinStages.contains(stage);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate).weightDecay(weightDecay)
                .schedule(schedule).power(power).warmupSteps(warmupSteps).seed(seed).timeBudgetMinutes(timeBudgetMinutes)
                .freezeSwin(freezeSwin).freezeText(freezeText).swinWeights(swinWeights).textWeights(textWeights)
                .validateEvery(validateEvery).checkpointEvery(checkpointEvery).threads(threads).dataThreads(dataThreads).maxSteps(maxSteps)
                .freezeSwinStages(freezeSwinStages).augment(augment).stepsPerCall(stepsPerCall);
    }

    /**
     * The settings that decide the weights a run ends with, as one line: a resumed run must have the
     * same. Left out: epochs and max_steps (a run may be extended, except under the poly schedule whose
     * horizon depends on them), the time budget, validation and checkpoint frequency, threads, steps per call.
     */
    public String fingerprint() {
        return String.format(Locale.ROOT,
                "batch_size=%d learning_rate=%s weight_decay=%s schedule=%s power=%s warmup_steps=%d seed=%d "
                        + "freeze_swin=%b freeze_text=%b swin_weights=%s text_weights=%s%s",
                batchSize, learningRate, weightDecay, schedule.name().toLowerCase(Locale.ROOT), power, warmupSteps, seed,
                freezeSwin, freezeText, fileName(swinWeights), fileName(textWeights)
                        + (freezeSwinStages.isEmpty() ? "" : " freeze_swin_stages=" + freezeSwinStages)
                        + (augment.isNone() ? "" : " augment=" + augment.describe()),
                schedule == Schedule.POLY ? " epochs=" + epochs + (maxSteps > 0 ? " max_steps=" + maxSteps : "") : "");
    }

    private static String fileName(Path p) {
        return p == null ? "-" : String.valueOf(p.getFileName());
    }

    /** Reads the {@code train:} section of a YAML file; unknown keys are refused (they are usually typos). */
    public static TrainConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.newBufferedReader(file));
        } catch (IOException e) {
            throw new MqnException("cannot read training config " + file + ": " + e.getMessage(), e);
        }
        JsonNode n = root == null ? null : root.get("train");
        if (n == null || !n.isObject()) {
            throw new MqnException(file + " has no 'train:' section");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new MqnException(file + ": unknown key train." + key + " (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        try {
            Builder b = builder();
            if (n.has("epochs")) b.epochs(integer(n, "epochs", file));
            if (n.has("batch_size")) b.batchSize(integer(n, "batch_size", file));
            if (n.has("learning_rate")) b.learningRate(number(n, "learning_rate", file));
            if (n.has("weight_decay")) b.weightDecay(number(n, "weight_decay", file));
            if (n.has("schedule")) b.schedule(schedule(n.get("schedule").asText(), file));
            if (n.has("power")) b.power(number(n, "power", file));
            if (n.has("warmup_steps")) b.warmupSteps(integer(n, "warmup_steps", file));
            if (n.has("seed")) b.seed(integer(n, "seed", file));
            if (n.has("time_budget_minutes")) b.timeBudgetMinutes(number(n, "time_budget_minutes", file));
            if (n.has("freeze_swin")) b.freezeSwin(bool(n, "freeze_swin", file));
            if (n.has("freeze_swin_stages")) b.freezeSwinStages(integers(n, "freeze_swin_stages", file));
            if (n.has("augment")) b.augment(augment(n.get("augment"), file));
            if (n.has("freeze_text")) b.freezeText(bool(n, "freeze_text", file));
            if (n.has("swin_weights")) b.swinWeights(path(n, "swin_weights"));
            if (n.has("text_weights")) b.textWeights(path(n, "text_weights"));
            if (n.has("validate_every")) b.validateEvery(integer(n, "validate_every", file));
            if (n.has("checkpoint_every")) b.checkpointEvery(integer(n, "checkpoint_every", file));
            if (n.has("threads")) b.threads(integer(n, "threads", file));
            if (n.has("data_threads")) b.dataThreads(integer(n, "data_threads", file));
            if (n.has("max_steps")) b.maxSteps(integer(n, "max_steps", file));
            if (n.has("steps_per_call")) b.stepsPerCall(integer(n, "steps_per_call", file));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new MqnException(file + ": train." + e.getMessage(), e);
        }
    }

    private static int integer(JsonNode n, String key, Path file) {
        JsonNode v = n.get(key);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new MqnException(file + ": train." + key + " must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static Augmentation augment(JsonNode a, Path file) {
        if (!a.isObject()) {
            throw new MqnException(file + ": train.augment must be a map, e.g. {flip: true, brightness: 0.25}, got " + a);
        }
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!AUGMENT_KEYS.contains(key)) {
                throw new MqnException(file + ": unknown key train.augment." + key + " (known: "
                        + String.join(", ", AUGMENT_KEYS.stream().sorted().toList()) + ")");
            }
        }
        Augmentation.Builder b = Augmentation.builder();
        if (a.has("flip")) b.flip(bool(a, "flip", file));
        if (a.has("brightness")) b.brightness(number(a, "brightness", file));
        if (a.has("contrast")) b.contrast(number(a, "contrast", file));
        if (a.has("saturation")) b.saturation(number(a, "saturation", file));
        if (a.has("color_cast")) b.colorCast(number(a, "color_cast", file));
        if (a.has("lighting")) b.lighting(number(a, "lighting", file));
        if (a.has("occlusion")) b.occlusion(number(a, "occlusion", file));
        if (a.has("target_occlusion")) b.targetOcclusion(number(a, "target_occlusion", file));
        if (a.has("noise")) b.noise(number(a, "noise", file));
        return b.build();
    }

    private static List<Integer> integers(JsonNode n, String key, Path file) {
        JsonNode v = n.get(key);
        List<Integer> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isIntegralNumber()) {
                    throw new MqnException(file + ": train." + key + " must be a list of integers, got " + v);
                }
                out.add(e.intValue());
            }
            return out;
        }
        throw new MqnException(file + ": train." + key + " must be a list of integers, e.g. [1, 2], got " + v);
    }

    private static double number(JsonNode n, String key, Path file) {
        JsonNode v = n.get(key);
        if (v.isNumber()) {
            return v.doubleValue();
        }
        try {
            return Double.parseDouble(v.asText()); // YAML 1.1 reads "5e-5" (no dot) as a string
        } catch (NumberFormatException e) {
            throw new MqnException(file + ": train." + key + " must be a number, got " + v);
        }
    }

    private static boolean bool(JsonNode n, String key, Path file) {
        JsonNode v = n.get(key);
        if (!v.isBoolean()) {
            throw new MqnException(file + ": train." + key + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static Path path(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v.isNull() || v.asText().isEmpty() ? null : Path.of(v.asText());
    }

    private static Schedule schedule(String s, Path file) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "constant" -> Schedule.CONSTANT;
            case "poly" -> Schedule.POLY;
            default -> throw new MqnException(file + ": train.schedule must be constant or poly, got " + s);
        };
    }

    /** Builder with the defaults listed in the class comment. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 8;
        private double learningRate = 5e-5;
        private double weightDecay = 1e-2;
        private Schedule schedule = Schedule.CONSTANT;
        private double power = 0.9;
        private int warmupSteps;
        private long seed;
        private double timeBudgetMinutes;
        private boolean freezeSwin;
        private boolean freezeText;
        private Path swinWeights;
        private Path textWeights;
        private int validateEvery = 1;
        private int checkpointEvery;
        private int threads = 1;
        private int dataThreads = 2;
        private long maxSteps;
        private List<Integer> freezeSwinStages = List.of();
        private Augmentation augment = Augmentation.NONE;
        private int stepsPerCall;

        private Builder() {
        }

        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder schedule(Schedule v) { schedule = v; return this; }
        public Builder power(double v) { power = v; return this; }
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder timeBudgetMinutes(double v) { timeBudgetMinutes = v; return this; }
        public Builder freezeSwin(boolean v) { freezeSwin = v; return this; }
        public Builder freezeText(boolean v) { freezeText = v; return this; }
        public Builder swinWeights(Path v) { swinWeights = v; return this; }
        public Builder textWeights(Path v) { textWeights = v; return this; }
        public Builder validateEvery(int v) { validateEvery = v; return this; }
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder dataThreads(int v) { dataThreads = v; return this; }
        public Builder maxSteps(long v) { maxSteps = v; return this; }
        public Builder freezeSwinStages(List<Integer> v) { freezeSwinStages = v; return this; }
        public Builder augment(Augmentation v) { augment = v; return this; }
        public Builder stepsPerCall(int v) { stepsPerCall = v; return this; }

        public TrainConfig build() {
            return new TrainConfig(epochs, batchSize, learningRate, weightDecay, schedule, power, warmupSteps, seed,
                    timeBudgetMinutes, freezeSwin, freezeText, swinWeights, textWeights, validateEvery, checkpointEvery,
                    threads, dataThreads, maxSteps, freezeSwinStages, augment, stepsPerCall);
        }
    }
}
