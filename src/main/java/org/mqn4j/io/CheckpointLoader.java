package org.mqn4j.io;

import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Assigns checkpoint tensors to the trainable variables of a SameDiff graph by name. Every shape
 * is checked before anything is assigned, so a failed load leaves the graph as it was. Tensors
 * are cast to the variable's data type. A rename function maps checkpoint names to graph names
 * (null drops a tensor, which then counts as unused).
 */
public final class CheckpointLoader {
    private CheckpointLoader() {
    }

    /** Loads {@code tensors} whose names are already graph names. */
    public static LoadReport load(SameDiff sd, Map<String, INDArray> tensors, boolean strict) {
        return load(sd, tensors, Function.identity(), strict, "memory");
    }

    /** Loads {@code tensors}, translating each name with {@code rename} first. */
    public static LoadReport load(SameDiff sd, Map<String, INDArray> tensors, Function<String, String> rename,
                                  boolean strict, String source) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach((k, v) -> shapes.put(k, v.shape()));
        return load(sd, shapes, tensors::get, rename, strict, source);
    }

    /** Loads from a safetensors file, reading only the tensors the graph uses. */
    public static LoadReport load(SameDiff sd, SafetensorsFile file, Function<String, String> rename, boolean strict) {
        return load(sd, file.shapes(), file::get, rename, strict, file.path().toString());
    }

    private static LoadReport load(SameDiff sd, Map<String, long[]> shapes, Function<String, INDArray> read,
                                   Function<String, String> rename, boolean strict, String source) {
        Map<String, SDVariable> vars = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                vars.put(v.name(), v);
            }
        }
        Map<String, String> targetToSource = new LinkedHashMap<>();
        Map<String, String> renamed = new LinkedHashMap<>();
        List<String> unused = new ArrayList<>();
        for (String name : shapes.keySet()) {
            String target = rename.apply(name);
            if (target != null && !target.equals(name)) {
                renamed.put(name, target);
            }
            if (target == null || !vars.containsKey(target)) {
                unused.add(name);
                continue;
            }
            String previous = targetToSource.put(target, name);
            if (previous != null) {
                throw new MqnException("checkpoint " + source + ": tensors '" + previous + "' and '" + name
                        + "' both map to graph variable '" + target + "'");
            }
        }
        for (Map.Entry<String, String> e : targetToSource.entrySet()) {
            String target = e.getKey();
            String name = e.getValue();
            long[] want = variableShape(vars.get(target));
            long[] have = shapes.get(name);
            if (want != null && !Arrays.equals(want, have)) {
                throw new MqnException("checkpoint " + source + ": tensor '" + name + "'"
                        + (target.equals(name) ? "" : " (graph variable '" + target + "')") + " has shape "
                        + Arrays.toString(have) + " but the graph expects " + Arrays.toString(want));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String v : vars.keySet()) {
            if (!targetToSource.containsKey(v)) {
                missing.add(v);
            }
        }
        if (strict && !missing.isEmpty()) {
            Set<String> some = new TreeSet<>(missing.subList(0, Math.min(10, missing.size())));
            throw new MqnException("checkpoint " + source + " lacks " + missing.size() + " of the graph's "
                    + vars.size() + " variables, e.g. " + String.join(", ", some));
        }
        List<String> loaded = new ArrayList<>();
        for (Map.Entry<String, String> e : targetToSource.entrySet()) {
            SDVariable v = vars.get(e.getKey());
            INDArray value = read.apply(e.getValue());
            if (value.dataType() != v.dataType()) {
                value = value.castTo(v.dataType());
            }
            INDArray current = v.getArr();
            if (current != null && Arrays.equals(current.shape(), value.shape()) && current.dataType() == value.dataType()) {
                current.assign(value); // keep the buffer: anything holding the variable's array sees the new values
            } else {
                v.setArray(value.dup());
            }
            loaded.add(e.getKey());
        }
        return new LoadReport(source, loaded, missing, unused, renamed, List.of());
    }

    private static long[] variableShape(SDVariable v) {
        long[] s = v.getShape();
        if (s == null && v.getArr() != null) {
            s = v.getArr().shape();
        }
        return s;
    }
}
