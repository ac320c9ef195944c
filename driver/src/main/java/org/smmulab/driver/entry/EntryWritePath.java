package org.smmulab.driver.entry;

/** Which of the three update strategies {@link EntryWriter#plan} chose. */
public enum EntryWritePath {
  /**
   * Exactly one qword carries the change of configuration (the critical qword): stage everything
   * else first, switch with one 64-bit store, then tidy up. V never drops.
   */
  HITLESS,

  /**
   * Two or more qwords must change their used bits together: the entry is made invalid (qword 0
   * becomes 0) for the duration of the update.
   */
  BREAKING,

  /** No used bit differs: only unused or update-safe bits change, written in one pass. */
  IN_PLACE
}
