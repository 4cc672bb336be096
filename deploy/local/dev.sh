#!/usr/bin/env bash
# `make dev`: the whole fleet on this machine against the local RabbitMQ and FerretDB, the
# platform simulator standing in for LinkedIn and Xing, and a demo: one profile sourced
# through the API up to its preview. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/../.."

LOG_DIR=.local/log/dev
mkdir -p "$LOG_DIR" .local/dev
PIDS=()
cleanup() {
    echo "stopping the fleet"
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# Secrets for development only; kept between runs so imported sessions stay readable.
secret() { [[ -f ".local/dev/$1" ]] || uv run python -c "import secrets; print(secrets.token_urlsafe(32))" > ".local/dev/$1"; cat ".local/dev/$1"; }
[[ -f .local/dev/accounts_key ]] || uv run sourcer-extractor new-key > .local/dev/accounts_key
[[ -f .local/dev/webhook_secrets_key ]] || uv run sourcer-consent new-key > .local/dev/webhook_secrets_key

export MONGODB_DB="${MONGODB_DB:-sourcer_dev}"
export SOURCER_LOG_FORMAT="${SOURCER_LOG_FORMAT:-console}"
# Sign-in as in production: ID tokens (RS256) of a local OpenID provider (deploy/local/oidc.py,
# users admin@, super@ and recruiter@demo.example of tenant demo), verified through its JWKS,
# plain http because it is on loopback. Audience: the extension's client id.
OIDC=http://127.0.0.1:8500
export SOURCER_AUTH_MODE=production SOURCER_AUTH_JWKS_URL=$OIDC/jwks
export SOURCER_AUTH_ISSUER=$OIDC SOURCER_AUTH_AUDIENCE=sourcer-extension
# The browser extension's origin: the unpacked build of `make extension` has a fixed id (the
# public key in extension/dev-key.pub), so it works out of the box; the gateway and the local
# provider both answer it with CORS.
EXTENSION_ORIGIN=chrome-extension://kjmfcbjadgfaopdmndajjhkilafelojf
export SOURCER_GATEWAY_CORS_ORIGINS="${SOURCER_GATEWAY_CORS_ORIGINS:-[\"$EXTENSION_ORIGIN\"]}"
export SOURCER_TALENT_SUPPRESSION_KEY="$(secret suppression_key)"
export SOURCER_CONSENT_SECRET_KEY="$(secret consent_key)"
export SOURCER_EXTRACTOR_ACCOUNTS_KEY="$(cat .local/dev/accounts_key)"
export SOURCER_CONSENT_WEBHOOK_SECRETS_KEY="$(cat .local/dev/webhook_secrets_key)"
# Chromium refuses its sandbox as root: the explicit opt-in, only then (docs/operations.md).
if [[ "$(id -u)" == 0 ]]; then export SOURCER_EXTRACTOR_CHROMIUM_NO_SANDBOX=true; fi
SIM=http://127.0.0.1:8600
export SOURCER_EXTRACTOR_LINKEDIN_BASE_URL=$SIM SOURCER_EXTRACTOR_XING_BASE_URL=$SIM
export SOURCER_EXTRACTOR_PACE_MIN_SECONDS=1 SOURCER_EXTRACTOR_PACE_MAX_SECONDS=3
# Public listeners: gateway 8000, consent page 8103. Internal listeners (internal APIs, /readyz,
# /metrics): gateway 8100, talent 8101, extractor 8102, consent 8104.
export SOURCER_EXTRACTOR_INTERNAL_PORT=8102 SOURCER_GATEWAY_EXTRACTOR_API_URL=http://127.0.0.1:8102
export SOURCER_TALENT_INTERNAL_PORT=8101 SOURCER_GATEWAY_TALENT_API_URL=http://127.0.0.1:8101
export SOURCER_CONSENT_HTTP_PORT=8103 SOURCER_CONSENT_PUBLIC_BASE_URL=http://127.0.0.1:8103
export SOURCER_CONSENT_INTERNAL_PORT=8104 SOURCER_GATEWAY_CONSENT_API_URL=http://127.0.0.1:8104
export SOURCER_CONSENT_SMTP_PORT=1025 SOURCER_CONSENT_WEBHOOK_ALLOW_LOOPBACK=true
# Local receivers: plain http on any port (production takes https on 443 and 8443 only).
export SOURCER_CONSENT_WEBHOOK_MODE=development
# Named in consent mails of tenants that set none (PUT /v1/consent/controller): development only.
export SOURCER_CONSENT_CONTROLLER_NAME="${SOURCER_CONSENT_CONTROLLER_NAME:-Local development}"
export SOURCER_CONSENT_CONTROLLER_CONTACT="${SOURCER_CONSENT_CONTROLLER_CONTACT:-privacy@localhost}"
export SOURCER_GATEWAY_HTTP_PORT=8000 SOURCER_GATEWAY_PUBLIC_BASE_URL=http://127.0.0.1:8000
export SOURCER_GATEWAY_INTERNAL_PORT=8100

start() {  # start NAME COMMAND...: run in the background, log to $LOG_DIR/NAME.log
    local name="$1"; shift
    "$@" > "$LOG_DIR/$name.log" 2>&1 &
    PIDS+=($!)
    echo "started $name (pid $!, log $LOG_DIR/$name.log)"
}
# as_service NAME COMMAND...: run in place of this (background) shell with the service's own
# broker user, which may publish and consume only that service's routing keys.
as_service() {
    local name="$1" env; shift
    env="$(bash deploy/local/infra.sh env --service "$name")" || exit 1  # never fall back to admin
    eval "$env"
    exec "$@"
}
wait_http() {
    for _ in $(seq 1 150); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
    echo "no answer from $1; see $LOG_DIR" >&2; exit 1
}

bash deploy/local/infra.sh users
start oidc uv run python deploy/local/oidc.py serve --port 8500 --token-max-age 28800 \
    --allow-origin "$EXTENSION_ORIGIN"
wait_http "$OIDC/.well-known/openid-configuration"
start mail uv run python -m aiosmtpd -n -l 127.0.0.1:1025 -c aiosmtpd.handlers.Debugging
start simulator uv run sourcer-simulator --port 8600
wait_http "$SIM/_sim/profiles"
for platform in linkedin xing; do
    cookie=$(curl -fs "$SIM/_sim/login?account=demo-seat&platform=$platform" |
        uv run python -c "import json,sys; print(next(iter(json.load(sys.stdin)['cookies'].values())))")
    # The demo seat is the shared pool of the demo tenant; recruiters connect their own through
    # the API (PUT /v1/me/sessions/{platform}) or the extension.
    printf '%s' "$cookie" | uv run sourcer-extractor accounts import --platform "$platform" \
        --tenant demo --shared --label "demo-$platform" --cookie-file -
done
uv run sourcer-extractor accounts shared-pool --tenant demo on
start talent as_service talent uv run sourcer-talent worker
wait_http http://127.0.0.1:8101/readyz
start consent as_service consent uv run sourcer-consent serve
wait_http http://127.0.0.1:8104/readyz
start extractor as_service extractor uv run sourcer-extractor worker
wait_http http://127.0.0.1:8102/readyz
start gateway as_service gateway uv run sourcer-gateway serve
wait_http http://127.0.0.1:8100/readyz

# The demo signs in as the extension does (authorization code with PKCE) and sends the ID token.
TOKEN=$(uv run python deploy/local/oidc.py token --issuer "$OIDC" --sub admin@demo.example |
    uv run python -c "import json,sys; print(json.load(sys.stdin)['id_token'])")
echo
echo "Demo: sourcing https://www.linkedin.com/in/jane-doe/"
LOCATION=$(curl -fs -X POST http://127.0.0.1:8000/v1/sourcing-requests \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"url": "https://www.linkedin.com/in/jane-doe/?trk=demo"}' |
    uv run python -c "import json,sys; print(json.load(sys.stdin)['id'])")
for _ in $(seq 1 120); do
    BODY=$(curl -fs "http://127.0.0.1:8000/v1/sourcing-requests/$LOCATION" -H "Authorization: Bearer $TOKEN")
    STATUS=$(echo "$BODY" | uv run python -c "import json,sys; print(json.load(sys.stdin)['status'])")
    [[ "$STATUS" == ready || "$STATUS" == failed ]] && break
    sleep 0.5
done
echo "$BODY" | uv run python -m json.tool
cat <<INFO

The fleet is running:
  API           http://127.0.0.1:8000/docs   (token: $TOKEN)
  sign-in       $OIDC  (OpenID provider; client sourcer-extension, secret sourcer-extension-dev-secret)
  simulator     $SIM/in/jane-doe/  (control API under /_sim)
  consent page  http://127.0.0.1:8103
  metrics       http://127.0.0.1:8100/metrics (gateway; 8101 talent, 8102 extractor, 8104 consent)
  logs          $LOG_DIR
Ctrl-C stops everything.
INFO
wait
