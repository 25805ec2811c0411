package io.eqlwatch.tuning;

/** The kinds of value list Kibana's exception entries use, with Kibana's type names. */
public enum ValueListType {
    KEYWORD("keyword"),
    IP("ip"),
    IP_RANGE("ip_range"),
    TEXT("text");

    private final String text;

    ValueListType(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The type spelled {@code text}, or {@code null}. */
    public static ValueListType parse(String text) {
        for (ValueListType type : values()) {
            if (type.text.equals(text)) {
                return type;
            }
        }
        return null;
    }
}
