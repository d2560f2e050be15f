#!/bin/sh
# The registry packaged as a wheel, installed into a fresh virtual environment of a
# service, the service validating and starting up against it. Offline.
#
#   sh examples/installed_registry/demo.sh        (from the repository root)
set -eu
ROOT=$(pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1. The central registry's release job: build the wheel and the sdist.
.venv/bin/accord package --registry contracts --name acme-contracts --out "$WORK/dist"

# 2. The service's environment: a fresh venv. A real service would
#    `pip install accord acme-contracts` from its index; offline, this demo reuses the
#    repository's accord (and its dependencies) through a .pth file.
.venv/bin/python -m venv --without-pip "$WORK/venv"
SITE=$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
DEPS=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "import site; site.addsitedir('$DEPS')" > "$SITE/_accord_demo_deps.pth"
.venv/bin/python -m pip --python "$WORK/venv/bin/python" install --no-index --no-deps \
    "$WORK"/dist/acme_contracts-*.whl

# 3. The service: no contracts/ directory, no [tool.accord] registry.
cp -r "$ROOT/examples/installed_registry/service" "$WORK/service"
cd "$WORK/service"
env -u ACCORD_REGISTRY "$WORK/venv/bin/python" -m users_reader.app
env -u ACCORD_REGISTRY "$WORK/venv/bin/python" -m pytest -q -p no:cacheprovider
