/**
 * Command queue entries (16 bytes, two qwords): the {@link org.smmulab.arch.cmd.Opcode}s with the
 * layout of each command, the immutable {@link org.smmulab.arch.cmd.Command} with typed factories
 * for everything a driver issues and typed getters for everything a hardware model reads, and
 * {@link org.smmulab.arch.cmd.TlbiRange} for the address and range fields of the TLBI commands.
 */
package org.smmulab.arch.cmd;
