package org.smmulab.verify.scenario;

/**
 * A scenario file that cannot be run: malformed YAML, an unknown key or step, a value of the wrong
 * type, a name that was never declared, or a value the machine cannot have. The message is one line
 * in the compiler convention, {@code FILE:LINE:COLUMN: what was found, what was expected}.
 */
public final class ScenarioException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Position position;
  private final String problem;

  /**
   * @param position where the problem is
   * @param problem what was found and what was expected, one line
   */
  public ScenarioException(Position position, String problem) {
    super(position + ": " + oneLine(problem));
    this.position = position;
    this.problem = oneLine(problem);
  }

  /** Where the problem is. */
  public Position position() {
    return position;
  }

  /** The problem without its position. */
  public String problem() {
    return problem;
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
