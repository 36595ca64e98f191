package org.mqn4j.fusion;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Manual timing: java ... MqnSpeed conf/mqn_tiny.yaml batch steps [key=value overrides]. Not a test. */
public final class MqnSpeed {
    public static void main(String[] args) {
        MqnConfig cfg = MqnConfig.load(Path.of(args[0]));
        int batch = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        if (args.length > 3) {
            cfg = cfg.toBuilder().variant(MqnConfig.Variant.valueOf(args[3])).build();
        }
        long t0 = System.nanoTime();
        MqnNetwork net = MqnNetwork.build(cfg, true);
        SameDiff sd = net.sameDiff();
        System.out.printf("build %.2fs, ops %d, variables %d%n", (System.nanoTime() - t0) / 1e9, sd.getOps().size(),
                sd.variables().size());
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                .dataSetFeatureMapping("input", "input_ids", "attention_mask").dataSetLabelMapping("target").build());
        int s = cfg.imageSize();
        int t = cfg.maxTitleLength();
        Random r = new Random(1);
        INDArray img = Nd4j.randn(DataType.FLOAT, batch, 3, s, s);
        long[][] ids = new long[batch][t];
        long[][] mask = new long[batch][t];
        for (int b = 0; b < batch; b++) {
            int len = 5 + r.nextInt(t - 5);
            for (int j = 0; j < len; j++) {
                ids[b][j] = 1 + r.nextInt(25000);
                mask[b][j] = 1;
            }
        }
        INDArray target = Nd4j.rand(DataType.FLOAT, batch, 1, s, s).gt(0.5).castTo(DataType.FLOAT);
        MultiDataSet mds = new MultiDataSet(new INDArray[]{img, Nd4j.createFromArray(ids), Nd4j.createFromArray(mask)},
                new INDArray[]{target});
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("input", img);
        ph.put("input_ids", Nd4j.createFromArray(ids));
        ph.put("attention_mask", Nd4j.createFromArray(mask));
        for (int i = 0; i < 3; i++) {
            sd.fit(mds);
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c1 = mx.getCurrentThreadCpuTime();
        long t1 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            sd.fit(mds);
        }
        double train = (System.nanoTime() - t1) / 1e9 / steps;
        double trainCpu = (mx.getCurrentThreadCpuTime() - c1) / 1e9 / steps;
        if (System.getProperty("profile") != null) {
            OpTimes times = new OpTimes();
            sd.setListeners(times);
            for (int i = 0; i < steps; i++) {
                sd.fit(mds);
            }
            times.print(steps);
            sd.setListeners();
        }
        for (int i = 0; i < 3; i++) {
            sd.output(ph, "probability");
        }
        long c2 = mx.getCurrentThreadCpuTime();
        long t2 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            sd.output(ph, "probability");
        }
        double fwd = (System.nanoTime() - t2) / 1e9 / steps;
        double fwdCpu = (mx.getCurrentThreadCpuTime() - c2) / 1e9 / steps;
        System.out.printf("batch %d: train %.3f s/step = %.1f img/s (thread CPU %.3f s = %.1f img/s); forward %.3f s = %.1f img/s (CPU %.3f s = %.1f img/s)%n",
                batch, train, batch / train, trainCpu, batch / trainCpu, fwd, batch / fwd, fwdCpu, batch / fwdCpu);
    }
}
