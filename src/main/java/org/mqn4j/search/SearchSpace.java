package org.mqn4j.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.mqn4j.util.MqnException;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Arbiter parameter space over config keys: each dimension is a dotted path into a run's YAML
 * ({@code train.learning_rate}, {@code model.fusion_stages}) with an Arbiter leaf space, and a candidate is the
 * map from path to value. Arbiter's generators (random, grid) see the leaves and their uniform [0, 1)
 * coordinates; {@link #getValue} turns the coordinates into config values.
 *
 * <p>In YAML (the {@code space:} section of a search file), one line per dimension:
 * <pre>
 *   train.learning_rate: {log_uniform: [1.0e-3, 4.0e-3]}
 *   train.weight_decay: {uniform: [0.0, 0.05]}
 *   train.warmup_steps: {integers: [0, 200]}
 *   model.fusion_stages: {choices: [[1, 2, 3, 4], [3, 4]]}
 * </pre>
 */
public final class SearchSpace implements ParameterSpace<Map<String, JsonNode>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LinkedHashMap<String, ParameterSpace<?>> dimensions;
    private final Map<String, List<JsonNode>> extremes = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();

    /** A space over Arbiter leaves of one parameter each (a generator sets their indices). */
    public SearchSpace(Map<String, ParameterSpace<?>> dimensions) {
        this(dimensions, Map.of());
    }

    private SearchSpace(Map<String, ParameterSpace<?>> dimensions, Map<String, String> kinds) {
        if (dimensions.isEmpty()) {
            throw new MqnException("a search space needs at least one dimension");
        }
        dimensions.forEach((path, p) -> {
            if (!p.isLeaf() || p.numParameters() != 1) {
                throw new IllegalArgumentException("search dimensions are Arbiter leaf spaces of one parameter, not " + p);
            }
            p.setIndices(0);   // provisional, to read the ends; Arbiter's generators index the leaves again
            List<JsonNode> vs = new ArrayList<>();
            if (p instanceof DiscreteParameterSpace<?> d) {
                for (int i = 0; i < d.numValues(); i++) {
                    vs.add(JSON.valueToTree(d.getValue(new double[]{(i + 0.5) / d.numValues()})));
                }
                descriptions.put(path, "in " + vs);
            } else {
                vs.add(value(p, new double[]{0.0}));
                vs.add(value(p, new double[]{1.0}));
                String kind = kinds.getOrDefault(path, p instanceof IntegerParameterSpace ? "integers" : "uniform");
                descriptions.put(path, kind + " [" + vs.get(0) + ", " + vs.get(1) + "]");
            }
            extremes.put(path, List.copyOf(vs));
        });
        this.dimensions = new LinkedHashMap<>(dimensions);
    }

    /** Reads the {@code space:} mapping; {@code source} names the file in errors. */
    public static SearchSpace fromTree(JsonNode space, String source) {
        if (space == null || !space.isObject() || space.isEmpty()) {
            throw new MqnException(source + ": 'space:' must map config paths (e.g. train.learning_rate) to ranges or choices");
        }
        LinkedHashMap<String, ParameterSpace<?>> dims = new LinkedHashMap<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = space.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            dims.put(checkPath(e.getKey(), source), leaf(e.getKey(), e.getValue(), source));
            kinds.put(e.getKey(), e.getValue().fieldNames().next().replace('_', '-'));
        }
        return new SearchSpace(dims, kinds);
    }

    /** A config path: {@code model.} or {@code train.} and one or more keys. */
    static String checkPath(String path, String source) {
        String[] parts = path.split("\\.", -1);
        if (parts.length < 2 || !(parts[0].equals("model") || parts[0].equals("train"))
                || List.of(parts).stream().anyMatch(String::isEmpty)) {
            throw new MqnException(source + ": '" + path + "' is not a config path such as train.learning_rate or model.fusion_stages");
        }
        return path;
    }

    private static ParameterSpace<?> leaf(String path, JsonNode spec, String source) {
        String where = source + ": space." + path;
        if (spec == null || !spec.isObject() || spec.size() != 1) {
            throw new MqnException(where + ": expected one of {log_uniform: [lo, hi]}, {uniform: [lo, hi]}, "
                    + "{integers: [lo, hi]}, {choices: [a, b, ...]}");
        }
        String kind = spec.fieldNames().next();
        JsonNode v = spec.get(kind);
        switch (kind) {
            case "choices" -> {
                if (!v.isArray() || v.isEmpty()) {
                    throw new MqnException(where + ": choices must be a non-empty list");
                }
                List<JsonNode> values = new ArrayList<>();
                v.forEach(values::add);
                return new DiscreteParameterSpace<>(values);
            }
            case "log_uniform", "uniform", "integers" -> {
                if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber()) {
                    throw new MqnException(where + ": " + kind + " needs [lo, hi], two numbers");
                }
                double lo = v.get(0).asDouble(), hi = v.get(1).asDouble();
                if (!(lo < hi)) {
                    throw new MqnException(where + ": " + kind + " needs lo < hi, got [" + lo + ", " + hi + "]");
                }
                if (kind.equals("integers")) {
                    if (!v.get(0).canConvertToInt() || !v.get(1).canConvertToInt() || !v.get(0).isIntegralNumber() || !v.get(1).isIntegralNumber()) {
                        throw new MqnException(where + ": integers needs two whole numbers");
                    }
                    return new IntegerParameterSpace(v.get(0).intValue(), v.get(1).intValue());
                }
                if (kind.equals("log_uniform")) {
                    if (!(lo > 0)) {
                        throw new MqnException(where + ": log_uniform needs lo > 0");
                    }
                    return new ContinuousParameterSpace(new LogUniformDistribution(lo, hi));
                }
                return new ContinuousParameterSpace(lo, hi);
            }
            default -> throw new MqnException(where + ": unknown kind '" + kind + "' (log_uniform, uniform, integers, choices)");
        }
    }

    /** The dimensions' paths, in the file's order. */
    public List<String> paths() {
        return List.copyOf(dimensions.keySet());
    }

    /** The values each dimension's ends take (its lowest and highest value, or every choice): the candidates checked before a search starts. */
    public Map<String, List<JsonNode>> extremes() {
        return Collections.unmodifiableMap(extremes);
    }

    @Override
    public Map<String, JsonNode> getValue(double[] parameterValues) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        dimensions.forEach((path, p) -> m.put(path, value(p, parameterValues)));
        return Collections.unmodifiableMap(m);
    }

    /** A leaf's value as JSON; real values rounded to 4 significant digits (a log-uniform rate's 0.0010000000000000002 is 0.001). */
    private static JsonNode value(ParameterSpace<?> p, double[] coordinates) {
        Object v = p.getValue(coordinates);
        if (v instanceof Double d && Double.isFinite(d)) {
            return JSON.valueToTree(new BigDecimal(d).round(new MathContext(4)).doubleValue());
        }
        return JSON.valueToTree(v);
    }

    @Override
    public int numParameters() {
        return dimensions.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<ParameterSpace> collectLeaves() {
        return new ArrayList<>(dimensions.values());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map<String, ParameterSpace> getNestedSpaces() {
        return new LinkedHashMap<>(dimensions);
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("a SearchSpace is not a leaf: Arbiter indexes its dimensions");
    }

    /**
     * Sets {@code values} (dotted paths) in a copy of a run's YAML tree; missing intermediate mappings are
     * created. The config loaders then refuse unknown keys and bad values as for any config file.
     */
    public static ObjectNode apply(ObjectNode root, Map<String, JsonNode> values) {
        ObjectNode copy = root.deepCopy();
        values.forEach((path, value) -> {
            String[] parts = checkPath(path, "search").split("\\.");
            ObjectNode node = copy;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = node.get(parts[i]);
                if (child == null || child.isNull()) {
                    node = node.putObject(parts[i]);
                } else if (child instanceof ObjectNode o) {
                    node = o;
                } else {
                    throw new MqnException("cannot set " + path + ": " + parts[i] + " is not a mapping in the config");
                }
            }
            node.set(parts[parts.length - 1], value);
        });
        return copy;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        descriptions.forEach((path, d) -> parts.add(path + " " + d));
        return String.join(", ", parts);
    }
}
