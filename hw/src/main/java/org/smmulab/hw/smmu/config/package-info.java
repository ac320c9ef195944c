/**
 * Configuration fetch: finding a stream's STE (linear or two-level stream table) and its CD (linear
 * or two-level CD table, SubstreamIDs, S1DSS), checking them, and the config cache that keeps them
 * until CFGI commands drop them.
 */
package org.smmulab.hw.smmu.config;
