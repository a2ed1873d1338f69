#!/usr/bin/env bash
# Build the Debian packages of this tree and check them with lintian.
#
#   packaging/deb-build.sh [OUTDIR]      (default: _build/deb)
#
# dpkg-buildpackage wants debian/ at the top of the source, and the project
# keeps it in packaging/debian/, so the tree is exported (the files git
# tracks plus new ones it does not ignore; the whole tree, less _build/, when
# it is not a git checkout) into a temporary directory, packaging/debian/ is
# copied in as debian/, and `dpkg-buildpackage -us -uc -b` runs there. The
# .deb files, the .changes and .buildinfo files, the build log and lintian's
# report land in OUTDIR. DEB_BUILD_OPTIONS defaults to "nocheck parallel=2"
# (CI runs the tests on its own build). Exits non-zero if the build fails or
# lintian reports an error; warnings are listed, not fatal.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/_build/deb}
export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-nocheck parallel=2}

# The package's version is the tree's: the changelog follows AC_INIT.
tree_version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' \
	"$root/configure.ac")
deb_version=$(dpkg-parsechangelog -l "$root/packaging/debian/changelog" \
	-S Version)
if [ "$tree_version" != "$deb_version" ]; then
	echo "packaging/debian/changelog is at $deb_version, configure.ac at" \
		"$tree_version: add a changelog entry (dch -v $tree_version)" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/openxdr-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
src="$work/openxdr-itglue-$tree_version"
mkdir -p "$src"

if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$root" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			[ -e "$f" ] && printf '%s\0' "$f"
		done | tar --null -T - -cf -) | tar -C "$src" -xf -
else
	tar -C "$root" --exclude=./_build --exclude=./debian -cf - . |
		tar -C "$src" -xf -
fi
rm -rf "$src/debian"
cp -R "$root/packaging/debian" "$src/debian"

mkdir -p "$out"
log="$out/build.log"
echo "dpkg-buildpackage -us -uc -b in $src (DEB_BUILD_OPTIONS=$DEB_BUILD_OPTIONS)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$log" 2>&1; then
	tail -40 "$log"
	echo "dpkg-buildpackage failed; the whole log is $log" >&2
	exit 1
fi

# Warnings are not errors in a package build (see debian/rules), so they
# are counted here: the compiler's, then those of the other build tools.
c_warning='\.[ch]:[0-9]+(:[0-9]+)?: warning: '
echo "compiler warnings: $(grep -cE "$c_warning" "$log" || true)"
grep -E "$c_warning" "$log" | sed 's/^/  /' || true
echo "other build warnings: $(grep ': warning: ' "$log" | grep -cvE "$c_warning" ||
	true)"
grep ': warning: ' "$log" | grep -vE "$c_warning" | sed 's/^/  /' || true

rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
changes=$(ls "$out"/*.changes)

# lintian: errors fail the build, everything else is shown.
lintian_rc=0
lintian --fail-on error --display-info "$changes" >"$out/lintian.txt" 2>&1 ||
	lintian_rc=$?
errors=$(grep -c '^E: ' "$out/lintian.txt" || true)
others=$(grep -c '^[WIP]: ' "$out/lintian.txt" || true)
echo "lintian: $errors errors, $others warnings and notes"
sed 's/^/  /' "$out/lintian.txt"

echo "packages in $out:"
for deb in "$out"/*.deb; do
	printf '  %s\t%s bytes\n' "${deb##*/}" "$(stat -c %s "$deb")"
done
[ "$lintian_rc" -eq 0 ] && [ "$errors" -eq 0 ]
