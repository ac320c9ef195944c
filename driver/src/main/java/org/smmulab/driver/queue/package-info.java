/**
 * The driver's side of an SMMU's queues: the command queue producer with CMD_SYNC completion and
 * error recovery, and the event queue consumer with global-error handling.
 */
package org.smmulab.driver.queue;
