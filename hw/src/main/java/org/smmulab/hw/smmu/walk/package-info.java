/**
 * The VMSAv8-64 translation table walker of the SMMU model: stage 1 (VA to IPA or PA), stage 2 (IPA
 * to PA) and nested translation, with the faults and event records the architecture defines for
 * each step and the use of the walk cache for table descriptors.
 *
 * <p>{@link org.smmulab.hw.smmu.walk.TableWalker} is the entry point. The walk reads top to bottom:
 * {@link org.smmulab.hw.smmu.walk.Stage1Regime} and {@link org.smmulab.hw.smmu.walk.Stage2Regime}
 * turn the CD or STE into a {@link org.smmulab.hw.smmu.walk.Regime}; {@link
 * org.smmulab.hw.smmu.walk.LevelWalk} follows descriptors level by level to a {@link
 * org.smmulab.hw.smmu.walk.Leaf}; {@link org.smmulab.hw.smmu.walk.PermissionCheck} turns the leaf
 * into {@link org.smmulab.hw.smmu.txn.Permissions}; {@link org.smmulab.hw.smmu.walk.FaultReporter}
 * builds every fault and decides whether it is recorded.
 */
package org.smmulab.hw.smmu.walk;
