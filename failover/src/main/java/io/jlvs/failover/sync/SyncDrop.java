package io.jlvs.failover.sync;

/** Why a received sync message (or the rest of it) was dropped, counted per reason; the kernel drops the same. */
public enum SyncDrop {
    TOO_SHORT("shorter than a message header"),
    SIZE("the size in the header is not the datagram's"),
    OTHER_SYNCID("another sync id"),
    ENTRY_TRUNCATED("an entry runs past the end of the message"),
    ENTRY_VERSION("an entry of an unknown version"),
    OPTION("an option runs past its entry or repeats"),
    BAD_ENTRY("an entry with a zero address or an unknown protocol");

    public final String description;

    SyncDrop(String description) { this.description = description; }
}
