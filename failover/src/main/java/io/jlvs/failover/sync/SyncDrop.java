package io.jlvs.failover.sync;

/**
 * Why a received sync message, the rest of it, or one entry was dropped, counted per reason. The kernel's backup
 * drops the same (ip_vs_process_message and ip_vs_proc_sync_conn); a message of another sync id it ignores.
 */
public enum SyncDrop {
    TOO_SHORT("shorter than a message header"),
    SIZE("the size in the header is not the datagram's"),
    OTHER_SYNCID("another sync id"),
    ENTRY_TRUNCATED("an entry runs past the end of the message"),
    ENTRY_VERSION("an entry of an unknown version"),
    ENTRY_SIZE("an entry's size is less than its addresses need"),
    OPTION_LENGTH("an option of length 0, past its entry, or of a length its type does not allow"),
    OPTION_REPEATED("an option given twice in one entry"),
    OPTION_UNKNOWN("an unknown mandatory option"),
    OPTION_VALUE("jlvs's splice or FullNAT option with a value it cannot have"),
    PROTOCOL("a protocol the sync does not carry"),
    STATE("a state the protocol does not have");

    public final String description;

    SyncDrop(String description) { this.description = description; }
}
