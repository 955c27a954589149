#!/usr/bin/env bash
# Installs what is needed (Python packages; Debian's chromium for the browser test where apt-get can) and runs
# every test. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installiere chromium (Debian) für den Browser-Test …"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
        || echo "chromium ließ sich nicht installieren: der Browser-Test wird übersprungen."
fi
if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installiere Pango (Debian) für die PDF-Ausgabe (WeasyPrint) …"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
        >/dev/null) || echo "Pango ließ sich nicht installieren: die PDF-Tests schlagen fehl."
fi
if [ ! -d tests/oidc/node_modules/oidc-provider ]; then
    if ! command -v npm >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "Installiere nodejs und npm (Debian) für den OIDC-Anbieter des Anmelde-Tests …"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null) || true
    fi
    if command -v npm >/dev/null; then
        echo "Installiere den OIDC-Anbieter für den Anmelde-Test (tests/oidc, npm ci) …"
        (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
    else
        echo "npm fehlt: der Anmelde-Test mit echtem OIDC-Anbieter wird übersprungen."
    fi
fi
if [ ! -d tests/axe/node_modules/axe-core ] && command -v npm >/dev/null; then
    echo "Installiere axe-core für die Barrierefreiheits-Tests (tests/axe, npm ci) …"
    (cd tests/axe && npm ci --no-audit --no-fund --loglevel=error) \
        || echo "axe-core ließ sich nicht installieren: die Barrierefreiheits-Tests werden übersprungen."
fi
if ! fc-list 2>/dev/null | grep -qi carlito && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installiere die Schrift Carlito (Debian) für Word, PowerPoint und PDF …"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-crosextra-carlito >/dev/null) \
        || echo "Carlito ließ sich nicht installieren: Dokumente nutzen die Ersatzschrift."
fi
set +e
python -m pytest -q -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "pytest hat keinen Test gefunden – das ist ein Fehler." >&2
    exit 1
fi
exit "$status"
