package io.eqlwatch.source;

/**
 * How many hits each search page asks for, so that a page's response stays within a byte budget whatever its
 * documents weigh. The page size is the most hits a page may hold; the budget caps what they may weigh together:
 * a read of large documents (whole sources of verbose event logs, or the union of many rules' fields) asks for
 * fewer hits per page instead of holding pages of hundreds of megabytes, which the heap may not have and the REST
 * client refuses past 100 MB. Each size is worked out from the previous page's weight per hit, so it follows the
 * documents as they change along the window.
 *
 * @param maxHits  the most hits a page asks for (the configured page size)
 * @param maxBytes the most bytes a page's response should take
 */
record PageBudget(int maxHits, long maxBytes) {

    /**
     * A page of 10,000 Elastic Defend events with whole sources weighs about 15 MB, and a read with two such pages in
     * flight, with the copies a response goes through (the HTTP client's buffer, then its bytes), was measured to
     * stay within a heap of 256 MB: heavier documents get that memory, not more.
     */
    static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

    /** Below this many hits a page costs the cluster a search for too little; the budget gives way first. */
    static final int MIN_HITS = 100;

    PageBudget {
        if (maxHits < 1) {
            throw new IllegalArgumentException("a page holds at least one hit, got " + maxHits);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a page's byte budget must be positive, got " + maxBytes);
        }
    }

    /** The first page's size: nothing is known yet of what the documents weigh. */
    int first() {
        return maxHits;
    }

    /**
     * The size to ask for after a page that asked for {@code requested} hits answered {@code bytes} bytes. The page
     * is taken to be full: one that is not is the last, and the page after it answers nothing whatever its size.
     */
    int after(int requested, long bytes) {
        if (requested < 1 || bytes < 1) {
            return maxHits;
        }
        // At most 2^31 hits times a budget well under 2^32 bytes: no overflow.
        long fitting = maxBytes * requested / bytes;
        return (int) Math.max(Math.min(MIN_HITS, maxHits), Math.min(maxHits, fitting));
    }
}
