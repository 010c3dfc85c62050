#!/usr/bin/env bash
# The whole test suite: setup, typecheck, lint (with import layering), unit tests,
# storage conformance on every backend, and e2e tests with real kubectl and etcd.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo "test: lint"
npx eslint --max-warnings=0 .
echo "test: unit, conformance and e2e tests"
node --test --test-concurrency=2 --enable-source-maps dist/
