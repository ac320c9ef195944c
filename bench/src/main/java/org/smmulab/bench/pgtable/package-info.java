/** JMH benchmarks of the driver's I/O page tables: map plus unmap of a page and of a block. */
package org.smmulab.bench.pgtable;
