# Sourced by the scripts: where tools and build outputs live.
# The cargo target directory sits outside the clone so that a fresh clone reuses the
# compiled dependencies of the previous run (CI keeps it as a cache).
export RELAIS_CACHE="${RELAIS_CACHE:-$HOME/.cache/relais}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$RELAIS_CACHE/target}"
export RELAIS_TOOLS="${RELAIS_TOOLS:-$RELAIS_CACHE/tools}"
# wasm-opt from npm first on PATH, before any Debian binaryen.
export PATH="$RELAIS_TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# CI builds each fresh clone once: incremental caches would only pile up in
# the shared target directory (tens of GB over a few runs).
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi
