#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: system packages the browser
# and HTML-validation tests need, the pinned npm checkers, a virtual environment, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in -h|--help)
  echo "usage: bash scripts/test.sh [PYTEST ARGS...]  (installs what the tests need, then runs pytest -n 2)"
  exit 0;;
esac

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
command -v npm >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (Debian packages for the browser and validator tests)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The HTML checker (vnu) and axe-core, at the versions pinned in package-lock.json.
npm ci --ignore-scripts --no-audit --no-fund --silent --prefix tests/tools

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest -n 2 "$@"
