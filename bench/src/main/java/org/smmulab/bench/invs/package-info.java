/**
 * The invalidation array against the design it replaces: a domain whose masters sit in a list
 * guarded by a lock, walked under that lock on every invalidation.
 */
package org.smmulab.bench.invs;
