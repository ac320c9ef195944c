package org.smmulab.driver.entry;

import org.smmulab.arch.bus.BusAbort;

/**
 * Where an {@link EntryWritePlan} is carried out: one live 64-byte entry the SMMU may read at any
 * time. The driver implements it on top of memory and its command queue.
 */
public interface EntryTarget {
  /**
   * Stores one qword of the entry as a single 64-bit single-copy-atomic write.
   *
   * @param index qword index, 0 to 7
   * @param value the new qword
   * @throws BusAbort if the store reaches no memory
   */
  void writeQword(int index, long value) throws BusAbort;

  /**
   * Makes every store so far visible to the SMMU and drops any cached copy of the entry: for an STE
   * a CFGI_STE plus CMD_SYNC, for a CD a CFGI_CD plus CMD_SYNC. Returns once the SMMU has completed
   * it.
   *
   * @throws BusAbort if the invalidation could not be issued to memory
   */
  void sync() throws BusAbort;
}
