package org.mqn4j.text;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EncodedBatchTest {
    @Test
    void arraysAreBatchByLengthInRowOrder() {
        BertTokenizer t = BertTokenizer.builder().vocab(BertTokenizerTest.V).maxLength(5).build();
        EncodedBatch b = t.encode(List.of("红色", "", "mug red t shirt"));
        INDArray ids = b.inputIds();
        assertEquals(DataType.INT64, ids.dataType());
        assertArrayEquals(new long[]{3, 5}, ids.shape());
        // row 0: [CLS] 红 色 [SEP] [PAD]; row 1: [CLS] [SEP] pads; row 2 truncated to 3 pieces
        assertArrayEquals(new long[]{2, 5, 6, 3, 0}, ids.getRow(0).toLongVector());
        assertArrayEquals(new long[]{2, 3, 0, 0, 0}, ids.getRow(1).toLongVector());
        assertArrayEquals(new long[]{2, 44, 43, 45, 3}, ids.getRow(2).toLongVector());
        INDArray mask = b.attentionMask(DataType.FLOAT);
        assertEquals(DataType.FLOAT, mask.dataType());
        assertArrayEquals(new float[]{1, 1, 0, 0, 0}, mask.getRow(1).toFloatVector());
        assertEquals(0L, b.tokenTypeIds(DataType.INT32).sumNumber().longValue());
        assertArrayEquals(new long[]{0, 5}, t.encode(List.of()).inputIds().shape());
    }
}
