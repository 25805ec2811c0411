#!/usr/bin/env bash
# One-shot setup of the secure stack (docker-compose.secure.yml): a CA and a node certificate for
# Elasticsearch, the kibana_system password, and eqlwatch's own role and user. Safe to run again.
set -euo pipefail

certs=/usr/share/elasticsearch/config/certs
: "${ELASTIC_PASSWORD:?set ELASTIC_PASSWORD}" "${KIBANA_PASSWORD:?set KIBANA_PASSWORD}" "${EQLWATCH_PASSWORD:?set EQLWATCH_PASSWORD}"

if [ ! -f "$certs/ca/ca.crt" ]; then
  echo "setup: creating the CA"
  bin/elasticsearch-certutil ca --silent --pem -out "$certs/ca.zip"
  unzip -q -o "$certs/ca.zip" -d "$certs"
fi
if [ ! -f "$certs/elasticsearch/elasticsearch.crt" ]; then
  echo "setup: creating the node certificate"
  printf 'instances:\n  - name: elasticsearch\n    dns: [elasticsearch, localhost]\n    ip: [127.0.0.1]\n' > "$certs/instances.yml"
  bin/elasticsearch-certutil cert --silent --pem -out "$certs/certs.zip" --in "$certs/instances.yml" \
    --ca-cert "$certs/ca/ca.crt" --ca-key "$certs/ca/ca.key"
  unzip -q -o "$certs/certs.zip" -d "$certs"
fi
# Elasticsearch runs as uid 1000; eqlwatch (uid 10001) and Kibana only need to read the CA.
chown -R 1000:0 "$certs"
find "$certs" -type d -exec chmod 755 {} +
find "$certs" -type f -exec chmod 644 {} +
chmod 640 "$certs"/ca/ca.key "$certs"/elasticsearch/elasticsearch.key

es() { curl -s --cacert "$certs/ca/ca.crt" -u "elastic:$ELASTIC_PASSWORD" -H 'Content-Type: application/json' "$@"; }
echo "setup: waiting for Elasticsearch"
until es https://elasticsearch:9200/_cluster/health | grep -q '"status":"\(green\|yellow\)"'; do sleep 5; done

echo "setup: kibana_system password"
es -X POST https://elasticsearch:9200/_security/user/kibana_system/_password -d "{\"password\":\"$KIBANA_PASSWORD\"}" | grep '^{}$' >/dev/null
echo "setup: eqlwatch role (least privilege) and user"
es -X PUT https://elasticsearch:9200/_security/role/eqlwatch -d @/setup/eqlwatch-role.json | grep '"role"' >/dev/null
es -X PUT https://elasticsearch:9200/_security/user/eqlwatch \
  -d "{\"password\":\"$EQLWATCH_PASSWORD\",\"roles\":[\"eqlwatch\"],\"full_name\":\"eqlwatch daemon\"}" | grep '"created"' >/dev/null
echo "setup: done"
