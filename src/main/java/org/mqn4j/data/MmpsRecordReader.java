package org.mqn4j.data;

import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;
import org.mqn4j.util.MqnException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DataVec reader of the MMPS layout. One record is four writables:
 * <ol>
 *   <li>{@code Text} id,</li>
 *   <li>{@code NDArrayWritable} image, float {@code [1,3,S,S]}, bilinear-resized, ImageNet-normalised
 *       (the {@code [1,C,H,W]} convention of DataVec's image readers, so records concatenate into a batch),</li>
 *   <li>{@code NDArrayWritable} mask, float {@code [1,1,S,S]} of 0/1, nearest-resized,</li>
 *   <li>{@code Text} title.</li>
 * </ol>
 * The other JSON fields of the line are in {@link #lastRecord()}'s metadata; the DataVec
 * {@link RecordMetaData} is a {@link RecordMetaDataLine} (split file URI, 1-based line).
 *
 * <p>Initialise with {@link #MmpsRecordReader(Path, String, int, BadRecordPolicy)} or with
 * {@link #initialize(InputSplit)} on an input split whose locations include {@code <root>/<split>.jsonl}
 * files (e.g. {@code new FileSplit(new File(root, "test.jsonl"))}); other locations are ignored and
 * the dataset root is the split file's directory. Bad lines and records follow the {@link BadRecordPolicy}:
 * FAIL throws a {@link BadRecordException}, SKIP logs a warning and counts them ({@link #skipped()}).
 * For batches use {@link MmpsBatchIterator}, which is faster and parallel.
 */
public class MmpsRecordReader extends BaseRecordReader {
    private static final Logger log = LoggerFactory.getLogger(MmpsRecordReader.class);
    /** Configuration key of the model's input size S (used by {@link #initialize(Configuration, InputSplit)}). */
    public static final String SIZE = "mqn4j.mmps.size";
    /** Configuration key: true for {@link BadRecordPolicy#SKIP}. */
    public static final String SKIP_BAD = "mqn4j.mmps.skipBad";

    private int size;
    private BadRecordPolicy policy;
    private Configuration conf = new Configuration();
    private final List<MmpsRecord> records = new ArrayList<>();
    private final List<DataProblem> skippedProblems = new ArrayList<>();
    private final List<DataProblem> lineProblems = new ArrayList<>();
    private SampleLoader loader;
    private Path root;
    private int position;
    private List<Writable> pending;
    private MmpsRecord pendingRecord;
    private MmpsRecord last;

    /** An uninitialised reader; call {@link #initialize(InputSplit)}. */
    public MmpsRecordReader(int size, BadRecordPolicy policy) {
        this.size = size;
        this.policy = policy;
    }

    /** A reader of {@code <root>/<split>.jsonl}, ready to use. */
    public MmpsRecordReader(Path root, String split, int size, BadRecordPolicy policy) {
        this(size, policy);
        Path file = MmpsSplitFile.path(root, split);
        if (!Files.isRegularFile(file)) {
            MmpsSplitFile.read(root, split); // throws with the message for a missing split file
        }
        try {
            initialize(new FileSplit(file.toFile()));
        } catch (IOException | InterruptedException e) {
            throw new MqnException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void initialize(InputSplit split) throws IOException, InterruptedException {
        this.inputSplit = split;
        records.clear();
        lineProblems.clear();
        skippedProblems.clear();
        Path root = null;
        for (URI uri : split.locations()) {
            Path p = Path.of(uri);
            String name = p.getFileName().toString();
            if (!name.endsWith(MmpsSplitFile.EXTENSION)) {
                continue;
            }
            Path dir = p.toAbsolutePath().getParent();
            if (root != null && !root.equals(dir)) {
                throw new MqnException("split files from two dataset roots: " + root + " and " + dir);
            }
            root = dir;
            MmpsSplitFile file = MmpsSplitFile.read(dir, name.substring(0, name.length() - MmpsSplitFile.EXTENSION.length()));
            records.addAll(file.records());
            lineProblems.addAll(file.problems());
        }
        if (root == null) {
            throw new MqnException("no MMPS split file (*.jsonl) among the input split's locations");
        }
        for (DataProblem p : lineProblems) {
            if (p.isError()) {
                if (policy == BadRecordPolicy.FAIL) {
                    throw new BadRecordException(p);
                }
                log.warn("skipping {}", p);
                skippedProblems.add(p);
            }
        }
        this.root = root;
        loader = new SampleLoader(root, size);
        reset();
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) throws IOException, InterruptedException {
        setConf(conf);
        size = conf.getInt(SIZE, size);
        policy = conf.getBoolean(SKIP_BAD, policy == BadRecordPolicy.SKIP) ? BadRecordPolicy.SKIP : BadRecordPolicy.FAIL;
        initialize(split);
    }

    @Override
    public boolean hasNext() {
        requireInitialised();
        while (pending == null && position < records.size()) {
            MmpsRecord r = records.get(position++);
            try {
                pending = toWritables(r);
                pendingRecord = r;
            } catch (BadRecordException e) {
                if (policy == BadRecordPolicy.FAIL) {
                    throw e;
                }
                log.warn("skipping {}", e.problem());
                skippedProblems.add(e.problem());
            }
        }
        return pending != null;
    }

    @Override
    public List<Writable> next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("no more MMPS records");
        }
        List<Writable> out = pending;
        last = pendingRecord;
        pending = null;
        pendingRecord = null;
        invokeListeners(out);
        return out;
    }

    @Override
    public Record nextRecord() {
        List<Writable> w = next();
        return new org.datavec.api.records.impl.Record(w, metaData(last));
    }

    private List<Writable> toWritables(MmpsRecord r) {
        float[] image = new float[3 * size * size];
        float[] mask = new float[size * size];
        loader.load(r, image, 0, mask, 0);
        List<Writable> out = new ArrayList<>(4);
        out.add(new Text(r.id()));
        out.add(new NDArrayWritable(Nd4j.create(image, new long[]{1, 3, size, size}, DataType.FLOAT)));
        out.add(new NDArrayWritable(Nd4j.create(mask, new long[]{1, 1, size, size}, DataType.FLOAT)));
        out.add(new Text(r.title()));
        return out;
    }

    private RecordMetaData metaData(MmpsRecord r) {
        return new RecordMetaDataLine(r.line(), MmpsSplitFile.path(root, r.split()).toUri(), MmpsRecordReader.class);
    }

    /** The {@link MmpsRecord} of the last record returned (id, title, metadata fields). */
    public MmpsRecord lastRecord() {
        return last;
    }

    /** All parsed records of the split file(s), in file order, good or not (files unchecked). */
    public List<MmpsRecord> records() {
        return List.copyOf(records);
    }

    /** Bad lines and records skipped so far (policy SKIP). */
    public List<DataProblem> skippedProblems() {
        return List.copyOf(skippedProblems);
    }

    /** Number of bad lines and records skipped so far (policy SKIP). */
    public int skipped() {
        return skippedProblems.size();
    }

    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) {
        throw new UnsupportedOperationException("MmpsRecordReader reads records from a split file, not from a stream");
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) {
        if (!(recordMetaData instanceof RecordMetaDataLine m)) {
            throw new IllegalArgumentException("expected RecordMetaDataLine, got " + recordMetaData);
        }
        for (MmpsRecord r : records) {
            if (r.line() == m.getLineNumber() && m.getURI().getPath().endsWith("/" + r.splitFile())) {
                return new org.datavec.api.records.impl.Record(toWritables(r), metaData(r));
            }
        }
        throw new MqnException("no record at " + m.getURI() + " line " + m.getLineNumber());
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> list) {
        List<Record> out = new ArrayList<>();
        for (RecordMetaData m : list) {
            out.add(loadFromMetaData(m));
        }
        return out;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public void reset() {
        position = 0;
        pending = null;
        pendingRecord = null;
        last = null;
        skippedProblems.removeIf(p -> !lineProblems.contains(p));
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public void close() {
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    private void requireInitialised() {
        if (loader == null) {
            throw new IllegalStateException("MmpsRecordReader not initialised: call initialize(InputSplit)");
        }
    }
}
