#!/usr/bin/env bash
# Imports eqlwatch's Kibana saved objects (data view, saved search, dashboard) into a Kibana.
#
#   docker/kibana/import.sh [--kibana-url URL] [--space ID] [--user NAME] [--api-key KEY]
#                           [--ca-cert FILE] [--insecure] [--data-view-pattern PATTERN] [--wait SECONDS]
#
# Every option also reads an environment variable: KIBANA_URL, KIBANA_SPACE, KIBANA_USER with
# KIBANA_PASSWORD, KIBANA_API_KEY, KIBANA_CA_CERT, KIBANA_INSECURE=1, EQLWATCH_DATA_VIEW_PATTERN,
# KIBANA_WAIT. With --user and no KIBANA_PASSWORD the password is asked for. Existing objects with
# the same ids are overwritten, so running it again is safe.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kibana_url="${KIBANA_URL:-http://localhost:5601}"
space="${KIBANA_SPACE:-}"
user="${KIBANA_USER:-}"
password="${KIBANA_PASSWORD:-}"
api_key="${KIBANA_API_KEY:-}"
ca_cert="${KIBANA_CA_CERT:-}"
insecure="${KIBANA_INSECURE:-0}"
pattern="${EQLWATCH_DATA_VIEW_PATTERN:-}"
wait_seconds="${KIBANA_WAIT:-120}"

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --kibana-url) kibana_url="$2"; shift 2 ;;
    --space) space="$2"; shift 2 ;;
    --user) user="$2"; shift 2 ;;
    --api-key) api_key="$2"; shift 2 ;;
    --ca-cert) ca_cert="$2"; shift 2 ;;
    --insecure) insecure=1; shift ;;
    --data-view-pattern) pattern="$2"; shift 2 ;;
    --wait) wait_seconds="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "import.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

curl_args=(--silent --show-error --header "kbn-xsrf: eqlwatch")
if [ -n "$api_key" ]; then
  curl_args+=(--header "Authorization: ApiKey $api_key")
elif [ -n "$user" ]; then
  if [ -z "$password" ]; then
    read -r -s -p "Kibana password for $user: " password
    echo >&2
  fi
  curl_args+=(--user "$user:$password")
fi
[ -n "$ca_cert" ] && curl_args+=(--cacert "$ca_cert")
[ "$insecure" = "1" ] && curl_args+=(--insecure)

base="${kibana_url%/}"
[ -n "$space" ] && base="$base/s/$space"

# Kibana answers 503 while it starts; wait for it rather than fail the first try.
deadline=$(( $(date +%s) + wait_seconds ))
until status="$(curl "${curl_args[@]}" --output /dev/null --write-out '%{http_code}' "${kibana_url%/}/api/status" 2>/dev/null)" \
      && [ "$status" = "200" ]; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "import.sh: Kibana at $kibana_url did not answer /api/status with 200 within ${wait_seconds}s (last: ${status:-no answer})." >&2
    [ "${status:-}" = "401" ] && echo "import.sh: 401 means the credentials were refused; pass --user or --api-key." >&2
    exit 1
  fi
  sleep 3
done

# One import request with every object, so references between files resolve in any order.
bundle="$(mktemp)"
trap 'rm -f "$bundle"' EXIT
for file in "$here"/*.ndjson; do
  cat "$file" >> "$bundle"
done
if [ -n "$pattern" ]; then
  # Point the data view at another index pattern, e.g. Kibana's .alerts-security.alerts-default.
  sed -i "s|\"title\":\"eqlwatch-alerts-\*\"|\"title\":\"${pattern//|/\\|}\"|" "$bundle"
fi

response="$(curl "${curl_args[@]}" --request POST "$base/api/saved_objects/_import?overwrite=true" \
  --form "file=@$bundle;filename=eqlwatch.ndjson")"
if printf '%s' "$response" | grep -q '"success":true'; then
  count="$(printf '%s' "$response" | sed -n 's/.*"successCount":\([0-9]*\).*/\1/p')"
  echo "import.sh: imported ${count:-all} saved objects into $base; open Dashboards -> \"eqlwatch alerts\"."
else
  echo "import.sh: Kibana refused the import:" >&2
  printf '%s\n' "$response" >&2
  exit 1
fi
