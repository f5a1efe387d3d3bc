/** IPVS schedulers with the kernel's semantics. */
package io.jlvs.schedulers;
