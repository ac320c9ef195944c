package org.smmulab.verify.scenario;

/**
 * Where something is in a scenario file, in the compiler convention: {@code FILE:LINE:COLUMN}, both
 * numbers starting at 1.
 *
 * @param file the file as the user named it
 * @param line the line, from 1
 * @param column the column, from 1
 */
public record Position(String file, int line, int column) {
  /** {@code FILE:LINE:COLUMN}. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
