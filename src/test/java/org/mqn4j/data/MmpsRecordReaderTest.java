package org.mqn4j.data;

import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MmpsRecordReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsFourWritablesPerRecord() throws Exception {
        TestDatasets.good(dir);
        MmpsRecordReader reader = new MmpsRecordReader(8, BadRecordPolicy.FAIL);
        reader.initialize(new FileSplit(dir.resolve("test.jsonl").toFile()));
        List<String> ids = new ArrayList<>();
        while (reader.hasNext()) {
            Record rec = reader.nextRecord();
            List<Writable> w = rec.getRecord();
            assertEquals(4, w.size());
            assertTrue(w.get(0) instanceof Text);
            INDArray img = ((NDArrayWritable) w.get(1)).get();
            INDArray mask = ((NDArrayWritable) w.get(2)).get();
            assertArrayEquals(new long[]{1, 3, 8, 8}, img.shape());
            assertArrayEquals(new long[]{1, 1, 8, 8}, mask.shape());
            String id = w.get(0).toString();
            ids.add(id);
            int i = ids.size() - 1;
            // the mask resized 8x8 with nearest neighbour keeps its foreground share except 8x6 / 16x16 sources
            if (id.equals(TestDatasets.id(2))) {
                assertEquals(48.0, mask.sumNumber().doubleValue(), 0.0, "4x4 y<3 -> 8x8 rows 0..5");
                assertEquals("product 2", w.get(3).toString());
                assertEquals(2, reader.lastRecord().metadata().get("n_distractors"));
            }
            if (id.equals(TestDatasets.id(0))) {
                assertEquals(TestDatasets.TITLE_0, w.get(3).toString());
                // constant colour C03020 (JPEG, +-4): normalised red channel
                double red = img.getDouble(0, 0, 4, 4);
                assertEquals((192 / 255.0 - 0.485) / 0.229, red, 4 / 255.0 / 0.229 + 1e-6);
            }
            RecordMetaDataLine meta = (RecordMetaDataLine) rec.getMetaData();
            assertEquals(i + 1, meta.getLineNumber());
            Record again = reader.loadFromMetaData(meta);
            assertEquals(id, again.getRecord().get(0).toString());
        }
        assertEquals(List.of(TestDatasets.id(0), TestDatasets.id(1), TestDatasets.id(2), TestDatasets.id(3),
                TestDatasets.id(4)), ids);
        reader.reset();
        assertTrue(reader.hasNext());
        assertEquals(TestDatasets.id(0), reader.next().get(0).toString());
    }

    @Test
    void initialisesFromADirectorySplitAndAConfiguration() throws Exception {
        TestDatasets.good(dir);
        MmpsRecordReader reader = new MmpsRecordReader(1, BadRecordPolicy.FAIL);
        org.datavec.api.conf.Configuration conf = new org.datavec.api.conf.Configuration();
        conf.setInt(MmpsRecordReader.SIZE, 6);
        reader.initialize(conf, new FileSplit(dir.toFile(), new String[]{"jsonl"}));
        int n = 0;
        while (reader.hasNext()) {
            assertArrayEquals(new long[]{1, 3, 6, 6}, ((NDArrayWritable) reader.next().get(1)).get().shape());
            n++;
        }
        assertEquals(5, n);
    }

    @Test
    void failPolicyNamesTheBadLine() {
        TestDatasets.broken(dir);
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> new MmpsRecordReader(dir, "test", 8, BadRecordPolicy.FAIL));
        assertEquals(7, e.problem().line(), e.getMessage());
        assertTrue(e.getMessage().contains("test.jsonl:7"), e.getMessage());
    }

    @Test
    void skipPolicyReadsTheRestAndCounts() {
        TestDatasets.broken(dir);
        MmpsRecordReader reader = new MmpsRecordReader(dir, "test", 8, BadRecordPolicy.SKIP);
        List<String> ids = new ArrayList<>();
        while (reader.hasNext()) {
            ids.add(reader.next().get(0).toString());
        }
        assertEquals(List.of(TestDatasets.id(2), TestDatasets.id(3), TestDatasets.id(4), TestDatasets.id(5)), ids);
        assertEquals(5, reader.skipped(), reader.skippedProblems().toString()); // lines 7, 8, 9 + records 1, 2
        assertFalse(reader.hasNext());
    }
}
