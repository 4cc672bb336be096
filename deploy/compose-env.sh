#!/usr/bin/env bash
# Writes deploy/.env for deploy/compose.yaml: broker and database credentials and the services'
# keys, each fresh and random. Never overwrites an existing file (the accounts key seals stored
# platform sessions, the suppression key the hashes of people who declined: losing either loses
# data). deploy/.env is git-ignored; keep a copy where you keep secrets.
set -euo pipefail
ENV_FILE="$(dirname "$0")/.env"
if [[ -e "$ENV_FILE" ]]; then
    echo "$ENV_FILE exists; not overwritten" >&2
    exit 0
fi
token() { python3 -c "import secrets; print(secrets.token_urlsafe(32))"; }
key32() { python3 -c "import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())"; }
umask 077
cat > "$ENV_FILE" <<ENV
SOURCER_RABBITMQ_USER=sourcer
SOURCER_RABBITMQ_PASSWORD=$(token)
SOURCER_MONGO_USER=sourcer
SOURCER_MONGO_PASSWORD=$(token)
SOURCER_AUTH_MODE=development
SOURCER_AUTH_JWT_SECRET=$(token)
SOURCER_TALENT_SUPPRESSION_KEY=$(token)
SOURCER_CONSENT_SECRET_KEY=$(token)
SOURCER_EXTRACTOR_ACCOUNTS_KEY=$(key32)
ENV
echo "wrote $ENV_FILE"
