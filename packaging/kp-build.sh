#!/bin/sh
# kp-build.sh OUT.kp NAME VERSION PLUGIN.so OBJECTS-DIR
# Build a knowledge pack (format 1, see host-sdk/README.md): a gzip-compressed
# tar of manifest.json, plugin/<plugin file> and objects/<kind>/<file>.json,
# with the SHA-256 of every file in the manifest. The archive is reproducible:
# sorted names, fixed owner and times.
set -eu

[ $# -eq 5 ] || {
	echo "usage: $0 OUT.kp NAME VERSION PLUGIN.so OBJECTS-DIR" >&2
	exit 2
}
out=$1 name=$2 version=$3 plugin=$4 objects=$5

[ -f "$plugin" ] || { echo "$0: no plugin file '$plugin'" >&2; exit 1; }
[ -d "$objects" ] || { echo "$0: no objects folder '$objects'" >&2; exit 1; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/kp-build.XXXXXX")
trap 'rm -rf "$stage"' EXIT

sha() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$stage/plugin" "$stage/objects"
pfile=$(basename "$plugin")
cp "$plugin" "$stage/plugin/$pfile"
(cd "$objects" && find . -mindepth 2 -maxdepth 2 -name '*.json' -type f) |
	LC_ALL=C sort | while read -r f; do
	f=${f#./}
	mkdir -p "$stage/objects/$(dirname "$f")"
	cp "$objects/$f" "$stage/objects/$f"
done

{
	printf '{\n  "format": 1,\n  "name": "%s",\n  "version": "%s",\n' \
		"$name" "$version"
	printf '  "plugin": {"file": "plugin/%s", "sha256": "%s"},\n' \
		"$pfile" "$(sha "$stage/plugin/$pfile")"
	printf '  "objects": [\n'
	sep=
	(cd "$stage" && find objects -type f -name '*.json') | LC_ALL=C sort |
		while read -r f; do
			printf '%s    {"file": "%s", "sha256": "%s"}' "$sep" \
				"$f" "$(sha "$stage/$f")"
			sep=',
'
		done
	printf '\n  ]\n}\n'
} >"$stage/manifest.json"

tmp="$out.tmp.$$"
(cd "$stage" && tar --format=ustar --sort=name --owner=0 --group=0 \
	--numeric-owner --mtime=@0 -cf - manifest.json plugin objects) |
	gzip -n -9 >"$tmp"
mv "$tmp" "$out"
echo "$out: $name $version, $(grep -c '"file": "objects/' \
	"$stage/manifest.json") objects"
