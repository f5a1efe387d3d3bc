package io.jlvs.control.command;

/** Listing modifiers of -L/-S (ipvsadm's FMT_* flags). At most one of stats/rate/thresholds/persistentConn/tunInfo
 *  decides the columns, in that order of precedence, as in ipvsadm's print_title. */
public record ListFormat(boolean numeric, boolean stats, boolean rate, boolean thresholds, boolean persistentConn,
                         boolean tunInfo, boolean noSort, boolean exact) {
    public static final ListFormat DEFAULT = new ListFormat(false, false, false, false, false, false, false, false);
    public static final ListFormat NUMERIC = new ListFormat(true, false, false, false, false, false, false, false);
}
