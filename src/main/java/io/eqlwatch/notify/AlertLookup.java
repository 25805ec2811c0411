package io.eqlwatch.notify;

import java.util.Collection;
import java.util.Set;

/** Which alerts exist: a notification is sent only once its alert has really been written. */
public interface AlertLookup {
    Set<String> existing(Collection<String> alertIds);
}
