package org.smmulab.arch.pte;

/** Which translation regime a table belongs to: stage 1 (VA to IPA/PA) or stage 2 (IPA to PA). */
public enum Stage {
  STAGE_1,
  STAGE_2
}
