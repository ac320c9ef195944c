/**
 * What an SMMU instance lets its users watch: a listener called for every command, event and
 * translation, and counters read as snapshots.
 */
package org.smmulab.hw.smmu.observe;
