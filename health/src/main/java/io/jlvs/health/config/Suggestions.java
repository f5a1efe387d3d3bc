package io.jlvs.health.config;

import java.util.Collection;

/** "Did you mean": the known word closest to a misspelt one by edit distance, when it is close enough. */
final class Suggestions {
    private Suggestions() {}

    /** The candidate within an edit distance of max(1, length / 4) of word, nearest first; null when none. */
    static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Math.max(1, word.length() / 4) + 1;
        for (String candidate : candidates) {
            int d = distance(word.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
