#!/usr/bin/env bash
# Installs what is needed and starts the Sozialmonitor on the embedded Kyffhäuser demo (built on first start).
# Only for this machine: it listens on 127.0.0.1 (http://localhost:8501). For a network, see README ("Im Netz"):
# SOZIALMONITOR_ADRESSE=0.0.0.0 bash scripts/app.sh – refused (exit code 2) until sign-in is configured.
# Extra arguments go to streamlit, e.g. scripts/app.sh --server.port 8502
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
exec streamlit run server.py --server.address "${SOZIALMONITOR_ADRESSE:-127.0.0.1}" --server.headless true \
    --browser.gatherUsageStats false "$@"
