package org.mqn4j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.mqn4j.util.MqnException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code mqn} command line: one picocli subcommand per task. */
@Command(name = "mqn", mixinStandardHelpOptions = true, version = "mqn4j 0.1.0",
        description = "Mutual Query Network for text-guided product image segmentation (Deeplearning4j/SameDiff).",
        subcommands = {
                CommandLine.HelpCommand.class,
                SynthCommand.class,
                SynthCorpusCommand.class,
                CheckDataCommand.class,
                ScoreCommand.class,
                TokenizeCommand.class,
                PretrainTextCommand.class,
                PretrainSwinCommand.class,
                TrainCommand.class,
                ExportCommand.class,
                EvalCommand.class,
                SteerCommand.class,
                PredictCommand.class,
                DemoCommand.class,
                AblateCommand.class,
                SearchCommand.class,
                VerifyCommand.class,
                BenchCommand.class,
        })
public final class Main implements Runnable {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "More log output (repeat for debug: -vv).")
    void verbose(boolean[] flags) {
        Level level = flags.length >= 2 ? Level.DEBUG : Level.INFO;
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(level);
        ((Logger) LoggerFactory.getLogger("org.mqn4j")).setLevel(flags.length >= 2 ? Level.DEBUG : Level.INFO);
        Main.verbose = true;
    }

    static boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Builds the command line with the project's error handling: a message, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable root = ex;
            if (verbose) {
                ex.printStackTrace(System.err);
            }
            String msg = (root instanceof MqnException) ? root.getMessage()
                    : root.getClass().getSimpleName() + ": " + root.getMessage();
            cmd.getErr().println("error: " + msg);
            if (!verbose && !(root instanceof MqnException)) {
                cmd.getErr().println("(run with -v for the stack trace)");
            }
            return (root instanceof MqnException me) ? me.exitCode() : 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
