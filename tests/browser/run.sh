#!/bin/sh
# run.sh: the console's browser suite (walk-throughs and security cases) in
# Debian's chromium, driven by playwright-core, printing TAP.
#
#   top_builddir=_build top_srcdir=. sh tests/browser/run.sh [FILE...]
#
# make check-browser runs it with both exported. Each of node (20 or later),
# $CHROMIUM (default /usr/bin/chromium) and node_modules/playwright-core
# must be there: a missing one fails the run and says what to install; the
# suite never skips. Screenshots go to $BROWSER_ARTEFACTS (default
# $top_builddir/tests/browser/artefacts). With FILEs (paths under
# tests/browser), only those run.
set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?export top_builddir (the build tree), or run make check-browser}"
: "${top_srcdir:?export top_srcdir (the source tree), or run make check-browser}"
top_builddir=$(cd "$top_builddir" && pwd)
top_srcdir=$(cd "$top_srcdir" && pwd)
export top_builddir top_srcdir

missing=0
need() {
	echo "Bail out! $1"
	echo "run.sh: $1" >&2
	missing=1
}

if ! command -v node >/dev/null 2>&1; then
	need "node is not installed: apt-get install nodejs npm (Node.js 20 or later)"
else
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	[ "$major" -ge 20 ] ||
		need "node $(node --version) is too old: playwright-core 1.64.1 needs Node.js 20 or later"
fi
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
[ -x "$CHROMIUM" ] ||
	need "no chromium at $CHROMIUM: apt-get install chromium (or set CHROMIUM)"
[ -f "$here/node_modules/playwright-core/package.json" ] ||
	need "playwright-core is not installed: npm ci --prefix $here --no-audit --no-fund"
for p in host-sdk/xdr-host/xdr-host host-sdk/sandbox/itglue-sandbox plugin/.libs/itglue.so; do
	[ -x "$top_builddir/$p" ] || [ -f "$top_builddir/$p" ] ||
		need "$top_builddir/$p is not built: make (itglue-sandbox and the console need libmicrohttpd-dev)"
done
[ "$missing" -eq 0 ] || exit 1

BROWSER_ARTEFACTS=${BROWSER_ARTEFACTS:-"$top_builddir/tests/browser/artefacts"}
mkdir -p "$BROWSER_ARTEFACTS" || exit 1
BROWSER_ARTEFACTS=$(cd "$BROWSER_ARTEFACTS" && pwd)
export BROWSER_ARTEFACTS

cd "$here" || exit 1
if [ $# -eq 0 ]; then
	set -- walk/ security/
fi
node --test --test-concurrency=1 --test-reporter=tap "$@"
rc=$?
echo "# screenshots: $BROWSER_ARTEFACTS"
exit "$rc"
