package org.mqn4j.data;

import org.mqn4j.util.MqnException;
import org.mqn4j.util.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validates an MMPS dataset ({@code mqn check-data}): every line of every split file is parsed and
 * every image and mask decoded. Errors: invalid UTF-8, bad JSON, missing or non-string required
 * fields, absolute paths, duplicate ids (within and across splits), missing, unreadable, truncated or
 * corrupt image or mask files, a mask whose size differs from its image. Warnings: empty or full
 * mask, an image used in more than one split (a leak between train and test) or by two records with the same
 * mask, very long title, empty split file, an image or mask that is not JPEG/PNG by name. One image with
 * several records of the same split, each with its own mask (a photo asked about several products, e.g.
 * {@code mqn synth --referents}), is fine.
 */
public final class DataChecker {
    private final Path root;
    private final int threads;

    /**
     * @param root    dataset root
     * @param threads decoding threads (1 or 2 is plenty for small images)
     */
    public DataChecker(Path root, int threads) {
        this.root = root;
        this.threads = Math.max(1, threads);
    }

    /** Counts of one split file. */
    public record SplitSummary(String splitFile, int records, int ok, int errors, int warnings) {
    }

    /** Everything found: the problems in split and line order, and a summary per split. */
    public record Report(List<DataProblem> problems, List<SplitSummary> splits) {
        public long errors() {
            return problems.stream().filter(DataProblem::isError).count();
        }

        public long warnings() {
            return problems.size() - errors();
        }
    }

    /**
     * Checks the given splits (all present splits when {@code splits} is empty).
     *
     * @param progress whether to show a progress bar on stderr
     * @throws MqnException when the root is not a directory or has no split file
     */
    public Report check(List<String> splits, boolean progress) {
        if (!Files.isDirectory(root)) {
            throw new MqnException("dataset directory not found: " + root);
        }
        List<String> names = splits == null || splits.isEmpty() ? MmpsSplitFile.presentSplits(root) : splits;
        if (names.isEmpty()) {
            throw new MqnException("no split file (train.jsonl, val.jsonl, test.jsonl) in " + root);
        }
        List<MmpsSplitFile> files = new ArrayList<>();
        int total = 0;
        for (String s : names) {
            MmpsSplitFile f = MmpsSplitFile.read(root, s);
            files.add(f);
            total += f.records().size();
        }
        SampleLoader loader = new SampleLoader(root, 1);
        Map<String, MmpsRecord> ids = new HashMap<>();
        Map<Path, MmpsRecord> images = new HashMap<>();
        List<DataProblem> all = new ArrayList<>();
        List<SplitSummary> summaries = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "check-data");
            t.setDaemon(true);
            return t;
        });
        try (Progress bar = progress ? new Progress("check-data", total) : null) {
            for (MmpsSplitFile f : files) {
                List<Future<List<DataProblem>>> checks = new ArrayList<>();
                for (MmpsRecord r : f.records()) {
                    checks.add(pool.submit(() -> loader.check(r)));
                }
                Map<Integer, List<DataProblem>> byLine = new LinkedHashMap<>();
                for (DataProblem p : f.problems()) {
                    byLine.computeIfAbsent(p.line(), k -> new ArrayList<>()).add(p);
                }
                for (int i = 0; i < f.records().size(); i++) {
                    MmpsRecord r = f.records().get(i);
                    List<DataProblem> ps = byLine.computeIfAbsent(r.line(), k -> new ArrayList<>());
                    MmpsRecord other = ids.putIfAbsent(r.id(), r);
                    if (other != null) {
                        ps.add(DataProblem.error(r, "duplicate id, also at " + other.where()));
                    }
                    MmpsRecord sameImage = images.putIfAbsent(r.image(), r);
                    if (sameImage != null && (!sameImage.split().equals(r.split()) || sameImage.mask().equals(r.mask()))) {
                        ps.add(DataProblem.warning(r, "image " + loader.rel(r.image()) + " is also used by "
                                + sameImage.where() + (sameImage.split().equals(r.split()) ? " with the same mask"
                                : " (a leak between splits)")));
                    }
                    ps.addAll(extensionWarnings(r, loader));
                    ps.addAll(get(checks.get(i)));
                    if (bar != null) {
                        bar.step();
                    }
                }
                List<DataProblem> sorted = new ArrayList<>();
                byLine.keySet().stream().sorted().forEach(line -> sorted.addAll(byLine.get(line)));
                all.addAll(sorted);
                int errors = (int) sorted.stream().filter(DataProblem::isError).count();
                long badLines = sorted.stream().filter(DataProblem::isError).mapToInt(DataProblem::line).distinct().count();
                int lines = f.records().size() + (int) f.problems().stream().filter(DataProblem::isError)
                        .mapToInt(DataProblem::line).distinct().count();
                summaries.add(new SplitSummary(f.fileName(), lines, lines - (int) badLines, errors, sorted.size() - errors));
            }
        } finally {
            pool.shutdownNow();
        }
        return new Report(List.copyOf(all), List.copyOf(summaries));
    }

    private static List<DataProblem> extensionWarnings(MmpsRecord r, SampleLoader loader) {
        List<DataProblem> out = new ArrayList<>();
        String img = r.image().getFileName().toString().toLowerCase();
        if (!(img.endsWith(".jpg") || img.endsWith(".jpeg") || img.endsWith(".png"))) {
            out.add(DataProblem.warning(r, "image " + loader.rel(r.image()) + " is not named .jpg, .jpeg or .png"));
        }
        if (!r.mask().getFileName().toString().toLowerCase().endsWith(".png")) {
            out.add(DataProblem.warning(r, "mask " + loader.rel(r.mask()) + " is not a .png (lossy masks blur edges)"));
        }
        return out;
    }

    private static List<DataProblem> get(Future<List<DataProblem>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqnException("interrupted", e);
        } catch (ExecutionException e) {
            throw new MqnException("checking failed: " + e.getCause(), e.getCause());
        }
    }
}
