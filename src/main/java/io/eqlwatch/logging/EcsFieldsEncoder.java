package io.eqlwatch.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import co.elastic.logging.JsonUtils;
import co.elastic.logging.logback.EcsEncoder;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * The ECS encoder, plus every SLF4J key/value pair of an event as a top-level field, numbers kept as
 * numbers: {@code LOG.atInfo().addKeyValue("rule.id", id)} lands in Elasticsearch as the field
 * {@code rule.id}, so an operator filters and aggregates rule executions in Kibana instead of
 * parsing message text. The stock encoder writes only MDC entries, and those only as strings.
 */
public class EcsFieldsEncoder extends EcsEncoder {

    @Override
    protected void addCustomFields(ILoggingEvent event, StringBuilder json) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null) {
            return;
        }
        for (KeyValuePair pair : pairs) {
            if (pair.key == null || pair.value == null) {
                continue;
            }
            json.append('"');
            JsonUtils.quoteAsString(pair.key, json);
            json.append("\":");
            if (pair.value instanceof Number || pair.value instanceof Boolean) {
                json.append(pair.value);
            } else {
                json.append('"');
                JsonUtils.quoteAsString(pair.value.toString(), json);
                json.append('"');
            }
            json.append(',');
        }
    }
}
