/** Zero-copy packet codecs and checksums over {@link java.lang.foreign.MemorySegment}. */
package io.jlvs.packets;
