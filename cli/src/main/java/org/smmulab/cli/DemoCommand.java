package org.smmulab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.smmulab.arch.ste.L1StreamDescriptor;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code smmulab demo}: shows what SMMU Lab can do, in one read. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the built-in demo.")
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println(L1StreamDescriptor.of(0x80001000L, 9).describe());
    out.flush();
    return 0;
  }
}
