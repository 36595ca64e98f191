package org.mqn4j.cli;

import org.mqn4j.text.TextConfig;
import org.mqn4j.text.TextVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mqn verify text}: the project's text encoder against a reference's outputs. */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = {"Runs the text encoder with a HuggingFace BERT/RoBERTa checkpoint on reference inputs and",
                "compares last_hidden_state over the non-padding tokens. Exits 1 above the tolerance.",
                "Reference files: tools/text_fixtures.py writes config.json, weights.safetensors and io.safetensors."})
public final class VerifyTextCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "HuggingFace config.json or a conf/text_*.yaml")
    Path config;

    @Option(names = "--weights", required = true, description = "checkpoint in safetensors (HF names, with or without bert./roberta. prefix)")
    Path weights;

    @Option(names = "--io", required = true, description = "safetensors with input_ids, attention_mask, [token_type_ids], last_hidden_state")
    Path io;

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "largest accepted ‖out−ref‖/‖ref‖ (default ${DEFAULT-VALUE})")
    double tolerance;

    @Override
    public Integer call() {
        TextConfig cfg = TextConfig.load(config);
        TextVerifier.Result r = TextVerifier.verify(cfg, weights, io);
        System.out.println(r.load().describe(10));
        System.out.printf(Locale.ROOT, "%s encoder, %d layers x %d: last_hidden_state over %d tokens: max abs error %.3e, relative error %.3e%n",
                cfg.flavour().name().toLowerCase(Locale.ROOT), cfg.numHiddenLayers(), cfg.hiddenSize(), r.tokens(),
                r.maxAbsError(), r.relativeError());
        boolean ok = r.relativeError() <= tolerance && r.load().complete();
        System.out.println(ok ? "PASS" : "FAIL (tolerance " + tolerance + (r.load().complete() ? "" : ", missing tensors") + ")");
        return ok ? 0 : 1;
    }
}
