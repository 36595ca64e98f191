package org.mqn4j.text;

import java.util.List;

/**
 * One encoded title: {@code ids}, {@code attentionMask} (1 on [CLS]…[SEP], 0 on padding) and
 * {@code tokenTypeIds} (all 0), each of the tokenizer's fixed length; {@code tokens} the token of
 * each position for display ([UNK] where the id is [UNK]); {@code length} the number of real
 * positions including [CLS] and [SEP]; {@code truncated} whether word pieces were cut off.
 */
public record Encoding(int[] ids, int[] attentionMask, int[] tokenTypeIds, List<String> tokens, int length,
                       boolean truncated) {

    /** The ids as longs (the dtype of HF's {@code input_ids}). */
    public long[] idsAsLong() {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    /** The tokens of the real positions, [CLS] … [SEP]. */
    public List<String> realTokens() {
        return tokens.subList(0, length);
    }
}
