/**
 * IOTLB cache tags: the ASIDs (stage 1) and VMIDs (stage 2) a domain uses on each SMMU instance. A
 * tag has no home but the domain's invalidation array: it is found there while some attachment uses
 * it, allocated when the first attachment through an instance needs it, and flushed and freed when
 * the last one leaves.
 */
package org.smmulab.driver.tags;
