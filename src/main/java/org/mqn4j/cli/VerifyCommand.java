package org.mqn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mqn verify}: checks converted checkpoints against reference outputs (one subcommand per model). */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a converted checkpoint against reference outputs from PyTorch.",
        subcommands = {VerifySwinCommand.class, VerifyTextCommand.class})
public final class VerifyCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
