package org.mqn4j.data;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * A batch of MMPS samples.
 *
 * @param records the samples' records (id, title, metadata), in batch order
 * @param images  float {@code [B,3,S,S]}, bilinear-resized, ImageNet-normalised
 * @param masks   float {@code [B,1,S,S]}, 0 background / 1 product, nearest-resized
 */
public record MmpsBatch(List<MmpsRecord> records, INDArray images, INDArray masks) {
    public MmpsBatch {
        records = List.copyOf(records);
    }

    public int size() {
        return records.size();
    }

    public List<String> ids() {
        return records.stream().map(MmpsRecord::id).toList();
    }

    /** Titles as strings (tokenising belongs to the text encoder). */
    public List<String> titles() {
        return records.stream().map(MmpsRecord::title).toList();
    }

    public List<Map<String, Object>> metadata() {
        return records.stream().map(MmpsRecord::metadata).toList();
    }
}
