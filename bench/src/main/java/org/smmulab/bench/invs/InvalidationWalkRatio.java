package org.smmulab.bench.invs;

import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link InvalidationWalkBenchmark} and prints the throughput of ours over the baseline's,
 * alone, under attach/detach churn, and with two invalidating threads (with and without churn),
 * from the same JMH run. Takes the usual JMH options (forks, iterations, times); for example:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.smmulab.bench.invs.InvalidationWalkRatio \
 *     -f 1 -wi 3 -i 5 -w 2 -r 2
 * </pre>
 */
public final class InvalidationWalkRatio {
  private InvalidationWalkRatio() {}

  /** Runs the benchmark with {@code args} as JMH options and prints the ratios. */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    CommandLineOptions cli = new CommandLineOptions(args);
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .parent(cli)
                    .include(Pattern.quote(InvalidationWalkBenchmark.class.getName()))
                    .build())
            .run();
    double oursAlone = score(results, "oursAlone", null);
    double baselineAlone = score(results, "baselineAlone", null);
    double oursChurn = score(results, "oursChurn", "oursChurnInvalidate");
    double baselineChurn = score(results, "baselineChurn", "baselineChurnInvalidate");
    double oursChurner = score(results, "oursChurn", "oursChurnAttachDetach");
    double baselineChurner = score(results, "baselineChurn", "baselineChurnAttachDetach");
    double oursTwo = score(results, "oursTwoInvalidators", null);
    double baselineTwo = score(results, "baselineTwoInvalidators", null);
    double oursTwoChurn =
        score(results, "oursTwoInvalidatorsChurn", "oursTwoInvalidatorsChurnInvalidate");
    double baselineTwoChurn =
        score(results, "baselineTwoInvalidatorsChurn", "baselineTwoInvalidatorsChurnInvalidate");
    System.out.println();
    System.out.println("Invalidations per second (1-page unmap, 8 instances x 4 ATS devices):");
    print("alone", oursAlone, baselineAlone);
    print("under attach/detach churn", oursChurn, baselineChurn);
    print("two invalidators", oursTwo, baselineTwo);
    print("two invalidators + churn", oursTwoChurn, baselineTwoChurn);
    System.out.printf(
        Locale.ROOT,
        "  churning thread: ours %.0f, baseline %.0f attach+detach cycles per second%n",
        oursChurner,
        baselineChurner);
  }

  private static void print(String label, double ours, double baseline) {
    System.out.printf(
        Locale.ROOT,
        "  %-26s ours %12.0f  baseline %12.0f  ours/baseline %.2f%n",
        label,
        ours,
        baseline,
        ours / baseline);
  }

  /**
   * The score of group {@code group}: its primary result, or the secondary result of method {@code
   * method} in it.
   */
  private static double score(Collection<RunResult> results, String group, String method) {
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      if (name.endsWith("." + group)) {
        Result<?> result =
            method == null ? r.getPrimaryResult() : r.getSecondaryResults().get(method);
        if (result == null) {
          throw new IllegalStateException(
              "no result " + method + " in " + name + ": " + r.getSecondaryResults().keySet());
        }
        return result.getScore();
      }
    }
    throw new IllegalStateException("benchmark group " + group + " did not run");
  }
}
