#!/bin/sh
# Turns environment variables into the files Prometheus and Alertmanager read secrets from (neither
# expands ${VAR} in its config), then runs the given command.
#
#   AIS_SECRETS_DIR        where to write (a tmpfs in docker-compose.yml), required
#   AIS_METRICS_TOKEN      -> $AIS_SECRETS_DIR/metrics_token (Prometheus scrape; empty if unset)
#   AIS_API_TOKEN          -> $AIS_SECRETS_DIR/ais_api_token (Alertmanager -> worker webhook)
#   AIS_SLACK_WEBHOOK_URL  -> $AIS_SECRETS_DIR/slack_webhook_url (Alertmanager Slack receiver)
#   AM_CONFIG_TEMPLATE     when set: render this alertmanager.yml to $AIS_SECRETS_DIR/alertmanager.yml,
#                          with secret paths made absolute, Slack blocks dropped when there is no
#                          Slack URL, and http://worker:8000 replaced by AIS_WORKER_URL when set.
#
# Usage: entrypoint.sh <command> [args...]   (e.g. entrypoint.sh /bin/prometheus --config.file=...)
set -eu
: "${AIS_SECRETS_DIR:?AIS_SECRETS_DIR must name a writable directory}"
umask 077
mkdir -p "$AIS_SECRETS_DIR"
printf '%s' "${AIS_METRICS_TOKEN:-}" > "$AIS_SECRETS_DIR/metrics_token"
printf '%s' "${AIS_API_TOKEN:-}" > "$AIS_SECRETS_DIR/ais_api_token"
printf '%s' "${AIS_SLACK_WEBHOOK_URL:-}" > "$AIS_SECRETS_DIR/slack_webhook_url"

if [ -n "${AM_CONFIG_TEMPLATE:-}" ]; then
  if [ -z "${AIS_API_TOKEN:-}" ]; then
    echo "entrypoint: AIS_API_TOKEN is unset; the worker will refuse Alertmanager's webhook" >&2
  fi
  drop_slack='/# BEGIN slack/,/# END slack/d'
  [ -n "${AIS_SLACK_WEBHOOK_URL:-}" ] && drop_slack=''
  sed -e "$drop_slack" \
      -e "s#_file: secrets/#_file: $AIS_SECRETS_DIR/#" \
      -e "s#http://worker:8000#${AIS_WORKER_URL:-http://worker:8000}#" \
      "$AM_CONFIG_TEMPLATE" > "$AIS_SECRETS_DIR/alertmanager.yml"
fi

exec "$@"
