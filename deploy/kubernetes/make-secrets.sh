#!/usr/bin/env bash
# Writes secrets.env (random secrets) and, if missing, a self-signed tls.pem next to this script, for
# kustomize's secretGenerator. Bring your own certificate for anything real.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
umask 077
if [ ! -f "$here/secrets.env" ]; then
    cat > "$here/secrets.env" <<SECRETS
WSCLUSTER_AUTH_HMAC_SECRET=$(openssl rand -hex 32)
WSCLUSTER_API_KEYS=$(openssl rand -hex 24)
WSCLUSTER_ADMIN_TOKEN=$(openssl rand -hex 24)
WSCLUSTER_LB_STATS_PASSWORD=$(openssl rand -hex 12)
SECRETS
fi
if [ ! -f "$here/tls.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=wscluster" \
        -keyout "$here/tls.key" -out "$here/tls.crt" 2>/dev/null
    cat "$here/tls.crt" "$here/tls.key" > "$here/tls.pem"
    rm -f "$here/tls.key"
fi
echo "wrote $here/secrets.env and $here/tls.pem"
