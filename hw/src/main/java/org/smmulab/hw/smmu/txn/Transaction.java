package org.smmulab.hw.smmu.txn;

/**
 * One untranslated memory access arriving at an SMMU from an endpoint: which stream (and substream)
 * it belongs to, the input address, and the attributes the permission checks use.
 *
 * @param streamId the StreamID
 * @param substreamValid whether the transaction carries a SubstreamID (PASID)
 * @param substreamId the SubstreamID, meaningful only when {@code substreamValid}
 * @param address the input address (IOVA, or IPA for stage-2-only streams)
 * @param write whether it writes (else it reads)
 * @param privileged whether it is privileged (PnU); unprivileged accesses need AP[1]
 * @param instruction whether it is an instruction fetch (InD); execute-never applies
 */
public record Transaction(
    int streamId,
    boolean substreamValid,
    int substreamId,
    long address,
    boolean write,
    boolean privileged,
    boolean instruction) {

  /** An unprivileged data read without SubstreamID. */
  public static Transaction read(int streamId, long address) {
    return new Transaction(streamId, false, 0, address, false, false, false);
  }

  /** An unprivileged data write without SubstreamID. */
  public static Transaction write(int streamId, long address) {
    return new Transaction(streamId, false, 0, address, true, false, false);
  }

  /** The same access with a SubstreamID. */
  public Transaction withSubstream(int ssid) {
    return new Transaction(streamId, true, ssid, address, write, privileged, instruction);
  }

  /** The same access at another address. */
  public Transaction at(long newAddress) {
    return new Transaction(
        streamId, substreamValid, substreamId, newAddress, write, privileged, instruction);
  }
}
