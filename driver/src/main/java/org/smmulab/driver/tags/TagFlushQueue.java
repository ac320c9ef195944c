package org.smmulab.driver.tags;

import org.smmulab.arch.cmd.Command;
import org.smmulab.driver.invs.SmmuId;

/**
 * Where {@link CacheTags} sends a dying tag's flush: the command queue of the tag's instance.
 * Unlike an unmap's invalidation, which goes on with the other instances whatever happens, a tag
 * flush must be known to have completed before the id may be handed out again.
 */
@FunctionalInterface
public interface TagFlushQueue {
  /**
   * Sends {@code command} to {@code smmu}'s queue, closed by a CMD_SYNC, and waits for it.
   *
   * @return whether the CMD_SYNC completed; {@code false} after a timeout or a queue memory abort,
   *     which the implementation has already reported
   */
  boolean flush(SmmuId smmu, Command command);
}
