#!/bin/bash
# The Prometheus alerting rules (dist/dmswap-trace.rules.yml): valid for
# promtool, their unit tests (tests/host/alerts.test.yml) pass, the tests
# catch a known mistake (a first violation not alerting), and every
# dmswap_* metric the rules use is one that user/metrics.c writes.
set -u
rules=dist/dmswap-trace.rules.yml
tests=tests/host/alerts.test.yml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS host/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/$1"
}

if ! command -v promtool >/dev/null; then
	fail alerts-promtool "no promtool (Debian package prometheus; scripts/install-deps)"
	exit 0
fi

if out=$(promtool check rules "$rules" 2>&1); then
	pass alerts-rules-valid
else
	fail alerts-rules-valid "$(echo "$out" | tail -3)"
fi

if out=$(promtool test rules "$tests" 2>&1); then
	pass alerts-unit-tests
else
	fail alerts-unit-tests "$(echo "$out" | grep -v '^ *$' | head -12)"
fi

# The same tests against rules whose violation alert is a bare increase():
# they must fail (a new series' first sample is no increase).
sed '/or (dmswap_violations_total unless/d' "$rules" >"$tmp/broken.rules.yml"
sed "s|^  - .*dmswap-trace.rules.yml|  - $tmp/broken.rules.yml|" "$tests" >"$tmp/broken.test.yml"
if grep -q "$tmp/broken.rules.yml" "$tmp/broken.test.yml" &&
	! cmp -s "$rules" "$tmp/broken.rules.yml" &&
	! promtool test rules "$tmp/broken.test.yml" >/dev/null 2>&1; then
	pass alerts-tests-catch-missed-first-violation
else
	fail alerts-tests-catch-missed-first-violation "the unit tests pass on rules that miss a first violation"
fi

unknown=""
while read -r m; do
	grep -q "\"${m}\|${m}[ {\"]" user/metrics.c || unknown="$unknown $m"
done < <(grep -o 'dmswap_[a-z_]*' "$rules" | sort -u)
if [ -z "$unknown" ]; then
	pass alerts-use-written-metrics
else
	fail alerts-use-written-metrics "not written by user/metrics.c:$unknown"
fi
