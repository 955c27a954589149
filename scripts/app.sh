#!/usr/bin/env bash
# Installs what is needed and starts the Sozialmonitor on the embedded Kyffhäuser demo (built on first start).
# Extra arguments go to streamlit, e.g. scripts/app.sh --server.port 8502
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
exec streamlit run app.py --server.headless true --browser.gatherUsageStats false "$@"
