/**
 * Event queue records (32 bytes, four qwords): the {@link org.smmulab.arch.event.EventType}s and
 * the immutable {@link org.smmulab.arch.event.EventRecord} with factories for the records a
 * hardware model writes and typed getters for a driver's event handler.
 */
package org.smmulab.arch.event;
