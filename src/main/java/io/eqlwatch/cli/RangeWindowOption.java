package io.eqlwatch.cli;

import io.eqlwatch.rule.DurationText;
import java.time.Duration;

/** The {@code --window} option of range commands, in the rules' duration notation ({@code 1h}). */
final class RangeWindowOption {

    private RangeWindowOption() {
    }

    static Duration parse(String text) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("--window: " + e.getMessage());
        }
    }
}
