package org.mqn4j.train;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Where a run stands, saved beside each checkpoint ({@code last.json}) and read back by
 * {@code --resume}. Everything needed to continue exactly: the position (completed epochs, batches
 * of the current epoch, global step, which is also the learning-rate schedule's position and
 * decides the per-step random seed), the running sums of the current epoch, the history, the best
 * validation result, and what the run was started with (seed, configuration fingerprint).
 *
 * @param modelFile  the graph with its updater state, a file beside this one
 * @param modelBytes its size, checked before loading
 * @param modelCrc32 its CRC-32, checked before loading
 */
public record TrainerState(@JsonProperty("epoch") int epoch,
                           @JsonProperty("batch_in_epoch") int batchInEpoch,
                           @JsonProperty("step") long step,
                           @JsonProperty("learning_rate") double learningRate,
                           @JsonProperty("seed") long seed,
                           @JsonProperty("config_fingerprint") String configFingerprint,
                           @JsonProperty("config_hash") String configHash,
                           @JsonProperty("epoch_loss_sum") double epochLossSum,
                           @JsonProperty("epoch_images") long epochImages,
                           @JsonProperty("epoch_seconds") double epochSeconds,
                           @JsonProperty("train_seconds") double trainSeconds,
                           @JsonProperty("best_mIoU") double bestMeanIoU,
                           @JsonProperty("best_epoch") int bestEpoch,
                           @JsonProperty("history") List<EpochMetrics> history,
                           @JsonProperty("step_losses") List<Double> stepLosses,
                           @JsonProperty("model_file") String modelFile,
                           @JsonProperty("model_bytes") long modelBytes,
                           @JsonProperty("model_crc32") long modelCrc32) {

    public TrainerState {
        history = history == null ? List.of() : List.copyOf(history);
        stepLosses = stepLosses == null ? List.of() : List.copyOf(stepLosses);
    }

    /** This state pointing at a model file with the given size and checksum. */
    public TrainerState withModel(String file, long bytes, long crc32) {
        return new TrainerState(epoch, batchInEpoch, step, learningRate, seed, configFingerprint, configHash, epochLossSum,
                epochImages, epochSeconds, trainSeconds, bestMeanIoU, bestEpoch, history, stepLosses, file, bytes, crc32);
    }
}
