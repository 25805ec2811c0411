package io.eqlwatch.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * In-memory stand-in for {@code match_phrase} on a {@code text} field: the value's words, lower-cased
 * and split at every character that is neither letter nor digit (close to Elasticsearch's standard
 * analyzer for the Latin-script values exceptions hold), must appear in order and next to each other.
 */
final class TextPhrase {

    private TextPhrase() {}

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                word.append(c);
            } else if (word.length() > 0) {
                out.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
            }
        }
        if (word.length() > 0) {
            out.add(word.toString().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    static boolean contains(String text, List<String> phrase) {
        List<String> words = words(text);
        if (phrase.isEmpty()) {
            return false;
        }
        for (int start = 0; start + phrase.size() <= words.size(); start++) {
            if (words.subList(start, start + phrase.size()).equals(phrase)) {
                return true;
            }
        }
        return false;
    }
}
