package org.mqn4j.cli;

import org.mqn4j.text.BertTokenizer;
import org.mqn4j.text.Encoding;
import org.mqn4j.text.WordPieceVocab;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mqn tokenize}: shows the tokens and ids a title becomes, for checking a vocabulary. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the WordPiece tokens and ids of titles (BERT tokenizer, lower-cased, CJK one per token).")
public final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--title"}, paramLabel = "TEXT", description = "Title to tokenize (repeatable).")
    List<String> titles = List.of();

    @Option(names = "--vocab", paramLabel = "FILE",
            description = "A BERT vocab.txt (one token per line); default: the built-in vocabulary.")
    Path vocab;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "" + BertTokenizer.DEFAULT_MAX_LENGTH,
            description = "Sequence length with [CLS] and [SEP] (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--write-vocab", paramLabel = "FILE",
            description = "Write the vocabulary in use to FILE as vocab.txt (e.g. to ship it beside a model).")
    Path writeVocab;

    @Override
    public Integer call() {
        if (titles.isEmpty() && writeVocab == null) {
            throw new MqnException("nothing to do: give --title TEXT (repeatable) or --write-vocab FILE");
        }
        WordPieceVocab v = vocab == null ? WordPieceVocab.defaultVocab() : WordPieceVocab.load(vocab);
        BertTokenizer tokenizer = BertTokenizer.builder().vocab(v).maxLength(maxLength).build();
        PrintWriter out = spec.commandLine().getOut();
        if (writeVocab != null) {
            v.save(writeVocab);
            spec.commandLine().getErr().printf("wrote %d tokens to %s%n", v.size(), writeVocab);
        }
        if (!titles.isEmpty()) {
            out.printf("vocabulary: %s (%d tokens), max length %d%n", v.source(), v.size(), maxLength);
        }
        for (String title : titles) {
            Encoding e = tokenizer.encode(title);
            out.println();
            out.println("title: " + title);
            out.printf("length: %d of %d%s, [UNK]: %d%n", e.length(), maxLength, e.truncated() ? " (truncated)" : "",
                    e.realTokens().stream().filter(WordPieceVocab.UNK::equals).count());
            for (int i = 0; i < e.length(); i++) {
                out.printf("%5d  %-12s %6d%n", i, e.tokens().get(i), e.ids()[i]);
            }
            out.println("input_ids: " + join(e.ids()));
            out.println("attention_mask: " + join(e.attentionMask()));
        }
        out.flush();
        return 0;
    }

    private static String join(int[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : " ").append(a[i]);
        }
        return sb.toString();
    }
}
