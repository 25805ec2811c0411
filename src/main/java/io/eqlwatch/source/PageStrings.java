package io.eqlwatch.source;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * The short string values of one search page, each text made into a {@code String} once and then handed out
 * again: a page's events repeat a few values field after field ({@code event.category}, {@code host.os.type},
 * a host's id), and one object per value instead of one per event spares the decoder an allocation per value
 * and keeps the values the conditions compare in the processor's cache. Direct-mapped and of fixed size, so a
 * value not seen again costs one replaced entry and memory stays bounded whatever the page holds. Not for
 * concurrent use: one per decoder.
 */
final class PageStrings {

    /** Longer texts are mostly unique (paths, command lines): made as they come, not looked up. */
    static final int MAX_LENGTH = 48;

    private static final int SIZE = 4096;

    private final String[] entries = new String[SIZE];

    /** The current {@code VALUE_STRING} token's text: the one held for that text, or a new one then held. */
    String text(JsonParser parser) throws IOException {
        int length = parser.getTextLength();
        if (length > MAX_LENGTH) {
            return parser.getText();
        }
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int hash = 0;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + chars[offset + i];
        }
        int at = (hash ^ (hash >>> 12)) & (SIZE - 1);
        String held = entries[at];
        if (held != null && sameText(held, chars, offset, length)) {
            return held;
        }
        String made = new String(chars, offset, length);
        entries[at] = made;
        return made;
    }

    private static boolean sameText(String held, char[] chars, int offset, int length) {
        if (held.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (held.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
