package org.mqn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mqn bench}: speed and memory of a model on this machine (one subcommand per model). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure latency and peak memory of a model on this machine.",
        subcommands = {BenchSwinCommand.class, BenchTextCommand.class, BenchModelCommand.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
