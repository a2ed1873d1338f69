#!/bin/sh
# win-package.sh BUILD SRC DEPS OUT.zip
# The Windows package of a cross build (see win-build.sh, which runs it):
# a zip of one folder, openxdr-itglue-<version>-win64/, holding
#   plugins/itglue.dll          the plugin, for the manager's plugin folder
#   bin/                        the DLLs the plugin needs (they go beside the
#                               manager's executable) and the reference host
#                               xdr-host.exe with the one more it needs
#   openxdr-itglue-<version>-win64.kp
#                               the knowledge pack, carrying itglue.dll
#   README.txt                  how to install it
# The DLLs are found by reading the import tables of the plugin and the
# host, recursively, in DEPS/bin: a DLL that is neither there nor Windows'
# own fails the build, so the zip never lacks one.
set -eu

[ $# -eq 4 ] || {
	echo "usage: $0 BUILD SRC DEPS OUT.zip" >&2
	exit 2
}
build=$1 src=$2 deps=$3 out=$(realpath -m "$4")
host=x86_64-w64-mingw32
version=$(sed -n 's/^PACKAGE_VERSION = //p' "$build/Makefile")
name=openxdr-itglue-$version-win64

plugin=$build/plugin/.libs/itglue.dll
hostexe=$build/host-sdk/xdr-host/.libs/xdr-host.exe
[ -f "$hostexe" ] || hostexe=$build/host-sdk/xdr-host/xdr-host.exe
for f in "$plugin" "$hostexe"; do
	[ -f "$f" ] || { echo "$0: $f is not built" >&2; exit 1; }
done
command -v zip >/dev/null || { echo "$0: zip is not installed" >&2; exit 1; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/win-package.XXXXXX")
trap 'rm -rf "$stage"' EXIT
top=$stage/$name
mkdir -p "$top/plugins" "$top/bin"

# Windows' own DLLs: the system's, and the C runtime every Windows has.
is_system_dll() {
	case $(echo "$1" | tr 'A-Z' 'a-z') in
	kernel32.dll | user32.dll | advapi32.dll | ws2_32.dll | crypt32.dll | \
		bcrypt.dll | msvcrt.dll | wldap32.dll | normaliz.dll | \
		secur32.dll | iphlpapi.dll | shell32.dll | ole32.dll | \
		api-ms-win-*) return 0 ;;
	esac
	return 1
}

# copy_imports FILE: copy into bin/ every non-system DLL FILE imports,
# and theirs in turn.
copy_imports() {
	# The import table into a file first: a failing objdump in the list
	# of a for loop would go unnoticed, and the zip lack every DLL.
	"$host-objdump" -p "$1" >"$stage/imports" || {
		echo "$0: $host-objdump cannot read $1" >&2
		exit 1
	}
	for dll in $(sed -n 's/^\tDLL Name: //p' "$stage/imports"); do
		is_system_dll "$dll" && continue
		[ -f "$top/bin/$dll" ] && continue
		[ -f "$deps/bin/$dll" ] || {
			echo "$0: $(basename "$1") needs $dll, which is not in $deps/bin" >&2
			exit 1
		}
		cp "$deps/bin/$dll" "$top/bin/$dll"
		copy_imports "$top/bin/$dll"
	done
}

"$host-strip" --strip-unneeded -o "$top/plugins/itglue.dll" "$plugin"
"$host-strip" --strip-unneeded -o "$top/bin/xdr-host.exe" "$hostexe"
copy_imports "$top/plugins/itglue.dll"
plugin_dlls=$(cd "$top/bin" && ls *.dll | tr '\n' ' ')
copy_imports "$top/bin/xdr-host.exe"

sh "$src/packaging/kp-build.sh" "$top/$name.kp" openxdr-itglue "$version" \
	"$top/plugins/itglue.dll" "$src/packaging/knowledge-pack" >/dev/null

# The README, with Windows line ends.
sed -e "s/@VERSION@/$version/g" -e "s/@NAME@/$name/g" \
	-e "s/@PLUGIN_DLLS@/$plugin_dlls/g" \
	"$src/packaging/windows/README-package.txt" |
	sed 's/$/\r/' >"$top/README.txt"

mkdir -p "$(dirname "$out")"
rm -f "$out" "$out.tmp"
(cd "$stage" && find "$name" -exec touch -d 2000-01-01T00:00:00Z {} + &&
	find "$name" -type f | LC_ALL=C sort | zip -q -X -9 "$out.tmp" -@)
mv "$out.tmp" "$out"
echo "$out: $(du -k "$out" | cut -f1) KB"
(cd "$stage" && find "$name" -type f | LC_ALL=C sort | sed 's/^/  /')
