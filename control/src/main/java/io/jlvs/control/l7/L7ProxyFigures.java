package io.jlvs.control.l7;

/**
 * What the proxy did with one service's connections since the service started: accepted, handed to the splicer
 * (in all and still spliced now), answered by the proxy itself (400 malformed head, 431 head too large, 502 server
 * refused the connection, 503 no server to place it on, 504 server did not answer in time), and closed because the
 * head came too slowly.
 */
public record L7ProxyFigures(long accepted, long spliced, long splicedNow, long answered400, long answered431,
                             long answered502, long answered503, long answered504, long slowHeads) {
    public static final L7ProxyFigures ZERO = new L7ProxyFigures(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The statuses the proxy answers itself, in the order of {@link #answered(int)}'s figures. */
    public static final java.util.List<Integer> STATUSES = java.util.List.of(400, 431, 502, 503, 504);

    /** The answers of one status of {@link #STATUSES}. */
    public long answered(int status) {
        return switch (status) {
            case 400 -> answered400;
            case 431 -> answered431;
            case 502 -> answered502;
            case 503 -> answered503;
            case 504 -> answered504;
            default -> throw new IllegalArgumentException("the proxy does not answer " + status);
        };
    }
}
