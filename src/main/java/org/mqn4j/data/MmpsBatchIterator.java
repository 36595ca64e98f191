package org.mqn4j.data;

import org.mqn4j.util.MqnException;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches of one MMPS split at the model's input size, decoded by a small thread pool that works up
 * to two batches ahead. The order is deterministic: the records of the split file in file order, or,
 * with shuffling, a permutation drawn from {@code (seed, epoch)}; a batch holds the next
 * {@code batchSize} usable records of that order whatever the thread timing. The last batch may be
 * smaller unless {@code dropLast}.
 *
 * <p>{@link #reset()} starts the next epoch (a new permutation when shuffling). Bad lines and records
 * follow the {@link BadRecordPolicy}: FAIL throws a {@link BadRecordException} naming the record, SKIP
 * logs it once and counts it ({@link #skipped()}). Close the iterator to stop its threads.
 */
public final class MmpsBatchIterator implements Iterator<MmpsBatch>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MmpsBatchIterator.class);
    private static final AtomicInteger POOL_ID = new AtomicInteger();
    /** Skipped records logged one by one; beyond this only counted. */
    static final int MAX_LOGGED = 20;

    private final List<MmpsRecord> records;
    private final SampleLoader loader;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Augmentation augment;
    private final BadRecordPolicy policy;
    private final ExecutorService pool;
    private final Map<String, DataProblem> skipped = new LinkedHashMap<>();
    private final Map<Integer, Future<Slot>> inflight = new HashMap<>();

    private int epoch;
    private int[] order;
    private int cursor;
    private MmpsBatch peeked;

    /** One decoded sample, or the reason it could not be decoded. */
    private record Slot(MmpsRecord record, float[] image, float[] mask, BadRecordException error) {
    }

    private MmpsBatchIterator(Builder b) {
        MmpsSplitFile file = MmpsSplitFile.read(b.root, b.split);
        this.policy = b.policy;
        for (DataProblem p : file.problems()) {
            if (p.isError()) {
                skip(new BadRecordException(p));
            }
        }
        this.records = file.records();
        this.loader = new SampleLoader(b.root, b.size);
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.augment = b.augment;
        this.dropLast = b.dropLast;
        int id = POOL_ID.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, b.threads), r -> {
            Thread t = new Thread(r, "mmps-decode-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        startEpoch(0);
    }

    public static Builder builder(Path root, String split) {
        return new Builder(root, split);
    }

    /** Settings of an {@link MmpsBatchIterator}. */
    public static final class Builder {
        private final Path root;
        private final String split;
        private int size = 224;
        private int batchSize = 8;
        private boolean shuffle;
        private long seed;
        private Augmentation augment = Augmentation.NONE;
        private int threads = 2;
        private boolean dropLast;
        private BadRecordPolicy policy = BadRecordPolicy.FAIL;

        private Builder(Path root, String split) {
            this.root = root;
            this.split = split;
        }

        /** The model's input size S (images and masks become S x S). Default 224. */
        public Builder size(int s) {
            this.size = s;
            return this;
        }

        public Builder batchSize(int b) {
            if (b <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /**
         * Augment every sample (for training), with draws seeded by (shuffle seed, epoch, position in the epoch):
         * the same run sees the same pictures whatever the thread timing, and a resumed run those it would have.
         */
        public Builder augment(Augmentation a) {
            this.augment = a == null ? Augmentation.NONE : a;
            return this;
        }

        /** Shuffle every epoch with a permutation drawn from (seed, epoch). */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /** Decoding threads (default 2). */
        public Builder threads(int t) {
            this.threads = t;
            return this;
        }

        /** Drop a last batch smaller than the batch size. */
        public Builder dropLast(boolean d) {
            this.dropLast = d;
            return this;
        }

        public Builder policy(BadRecordPolicy p) {
            this.policy = p;
            return this;
        }

        public MmpsBatchIterator build() {
            return new MmpsBatchIterator(this);
        }
    }

    /** Starts epoch {@code e}: its order, from the first batch. */
    public void reset(int e) {
        for (Future<Slot> f : inflight.values()) {
            f.cancel(false);
        }
        inflight.clear();
        peeked = null;
        startEpoch(e);
    }

    /** Starts the next epoch. */
    public void reset() {
        reset(epoch + 1);
    }

    private void startEpoch(int e) {
        epoch = e;
        cursor = 0;
        order = new int[records.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e);
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        prefetch();
    }

    /** The current epoch (0 at the start). */
    public int epoch() {
        return epoch;
    }

    /** Records in the split file that parsed (bad ones are not decoded until read). */
    public int recordCount() {
        return records.size();
    }

    public int batchSize() {
        return batchSize;
    }

    public int size() {
        return loader.size();
    }

    @Override
    public boolean hasNext() {
        if (peeked == null) {
            peeked = assemble();
        }
        return peeked != null;
    }

    @Override
    public MmpsBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has no more batches");
        }
        MmpsBatch b = peeked;
        peeked = null;
        return b;
    }

    private MmpsBatch assemble() {
        List<Slot> got = new ArrayList<>(batchSize);
        while (got.size() < batchSize && cursor < order.length) {
            Future<Slot> f = inflight.remove(cursor);
            cursor++;
            prefetch();
            Slot s = await(f);
            if (s.error() != null) {
                skip(s.error());
            } else {
                got.add(s);
            }
        }
        if (got.isEmpty() || (dropLast && got.size() < batchSize)) {
            return null;
        }
        int s = loader.size();
        int img = 3 * s * s;
        int msk = s * s;
        float[] images = new float[got.size() * img];
        float[] masks = new float[got.size() * msk];
        List<MmpsRecord> recs = new ArrayList<>(got.size());
        for (int i = 0; i < got.size(); i++) {
            System.arraycopy(got.get(i).image(), 0, images, i * img, img);
            System.arraycopy(got.get(i).mask(), 0, masks, i * msk, msk);
            recs.add(got.get(i).record());
        }
        long b = got.size();
        return new MmpsBatch(recs, Nd4j.create(images, new long[]{b, 3, s, s}, 'c'),
                Nd4j.create(masks, new long[]{b, 1, s, s}, 'c'));
    }

    /** Keeps the decoding of the next two batches' worth of records in flight. */
    private void prefetch() {
        int end = Math.min(order.length, cursor + 2 * batchSize);
        for (int p = cursor; p < end; p++) {
            if (!inflight.containsKey(p)) {
                MmpsRecord r = records.get(order[p]);
                int position = p;
                int ep = epoch;
                inflight.put(p, pool.submit(() -> decode(r, ep, position)));
            }
        }
    }

    private Slot decode(MmpsRecord r, int ep, int position) {
        int s = loader.size();
        float[] image = new float[3 * s * s];
        float[] mask = new float[s * s];
        try {
            SplittableRandom rnd = augment.isNone() ? null
                    : new SplittableRandom((seed * 0x9E3779B97F4A7C15L + ep) * 0xBF58476D1CE4E5B9L + position);
            loader.load(r, image, 0, mask, 0, augment, rnd);
            return new Slot(r, image, mask, null);
        } catch (BadRecordException e) {
            return new Slot(r, null, null, e);
        }
    }

    private static Slot await(Future<Slot> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqnException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new MqnException("decoding failed: " + c, c);
        }
    }

    private void skip(BadRecordException e) {
        if (policy == BadRecordPolicy.FAIL) {
            throw e;
        }
        DataProblem p = e.problem();
        if (skipped.putIfAbsent(p.splitFile() + ":" + p.line(), p) == null) {
            if (skipped.size() <= MAX_LOGGED) {
                log.warn("skipping {}", p);
            } else if (skipped.size() == MAX_LOGGED + 1) {
                log.warn("skipping more bad records; only their number is reported from here on");
            }
        }
    }

    /** Bad lines and records skipped so far, each once (policy SKIP). */
    public List<DataProblem> skippedProblems() {
        return List.copyOf(skipped.values());
    }

    /** Number of distinct bad lines and records skipped so far. */
    public int skipped() {
        return skipped.size();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
