package org.mqn4j.cli;

import org.mqn4j.data.DataChecker;
import org.mqn4j.data.DataProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mqn check-data}: validates an MMPS dataset and lists every problem. */
@Command(name = "check-data", mixinStandardHelpOptions = true,
        description = {"Validate a dataset in the MMPS layout: every split line, image and mask.",
                "Prints one line per problem (split file:line [id] SEVERITY message), then a summary per split.",
                "Exit status: 0 when there are no errors (warnings allowed), 2 when there are errors."})
public final class CheckDataCommand implements Callable<Integer> {
    /** Exit status when the dataset has errors. */
    public static final int EXIT_ERRORS = 2;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root (with train/val/test.jsonl).")
    Path data;

    @Option(names = "--split", paramLabel = "S", split = ",",
            description = "Splits to check (train, val, test; repeat or comma-separate). Default: all present.")
    List<String> splits = new ArrayList<>();

    @Option(names = "--threads", defaultValue = "2", description = "Decoding threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call() {
        DataChecker.Report report = new DataChecker(data, threads).check(splits, !noProgress);
        PrintStream out = System.out;
        for (DataProblem p : report.problems()) {
            out.println(p);
        }
        if (!report.problems().isEmpty()) {
            out.println();
        }
        for (DataChecker.SplitSummary s : report.splits()) {
            out.printf("%s: %d records, %d ok, %d errors, %d warnings%n",
                    s.splitFile(), s.records(), s.ok(), s.errors(), s.warnings());
        }
        boolean bad = report.errors() > 0;
        out.printf("%s: %d errors, %d warnings%n", bad ? "FAILED" : "OK", report.errors(), report.warnings());
        return bad ? EXIT_ERRORS : 0;
    }
}
