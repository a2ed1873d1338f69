#!/usr/bin/env bash
# Build the libraries of the Windows plugin and host for x86_64-w64-mingw32:
# libcurl (Schannel), json-c, SQLite, zlib and libltdl, as DLLs with import
# libraries, headers and pkg-config files, and cmocka for the unit tests.
#
#   packaging/windows/build-deps.sh [PREFIX]     (default: _build/win-deps)
#
# The sources are Debian's own source packages of the release this machine
# runs (Debian's security fixes included), fetched with
# `apt-get source --download-only` through a private apt configuration that
# enables deb-src for the Debian archives already in the machine's apt
# sources; nothing else is downloaded. libltdl comes from the installed
# libtool package, which carries its source.
#
# Each library is skipped when PREFIX/stamps/<name> exists; the stamp records
# the source version it was built from. Delete a stamp (or the prefix) to
# rebuild. Sources, build trees and logs live in PREFIX.work/.
#
# When run as root, the missing toolchain packages are installed with
# apt-get; otherwise they are listed and the script stops.
#
# Afterwards:
#   PKG_CONFIG_LIBDIR=PREFIX/lib/pkgconfig \
#     pkg-config --libs libcurl json-c sqlite3 zlib cmocka
# works, and PREFIX/bin holds libcurl-4.dll, libjson-c.dll, libsqlite3-0.dll,
# zlib1.dll, cmocka.dll and libltdl-7.dll (libltdl has no .pc file: use
# -IPREFIX/include -LPREFIX/lib -lltdl).
set -euo pipefail

host=x86_64-w64-mingw32
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$(realpath -m "${1:-$root/_build/win-deps}")
work=$prefix.work
jobs=$(nproc 2>/dev/null || echo 2)

toolchain_packages="gcc-mingw-w64-x86-64-win32 binutils-mingw-w64-x86-64
	gcc make cmake tcl autoconf automake libtool pkg-config dpkg-dev
	patch xz-utils wine wine64"

script_start=$(date +%s)
summary=()

say() { printf '[build-deps] %s\n' "$*"; }
die() {
	printf '[build-deps] error: %s\n' "$*" >&2
	exit 1
}

# run_logged LOG CMD...: run CMD with its output in LOG; on failure show the
# end of the log, because the whole log of a cross build is long.
run_logged() {
	local log=$1
	shift
	if ! "$@" >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "failed: $* (the whole log is $log)"
	fi
}

# timed NAME CMD...: run one step and print how long it took.
timed() {
	local name=$1 start
	shift
	start=$(date +%s)
	say "$name ..."
	"$@"
	say "$name: $(($(date +%s) - start)) s"
}

install_toolchain() {
	local missing=() p
	for p in $toolchain_packages; do
		dpkg-query -W -f '${db:Status-Status}\n' "$p" 2>/dev/null |
			grep -qx installed || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		say "toolchain: all packages installed"
		return
	fi
	if [ "$(id -u)" -ne 0 ]; then
		die "missing packages (run as root, or: sudo apt-get install" \
			"${missing[*]})"
	fi
	say "toolchain: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# The package lists may be stale or absent on a fresh machine.
	if ! apt-get install -y -q --no-install-recommends "${missing[@]}" \
		>>"$work/logs/toolchain.log" 2>&1; then
		run_logged "$work/logs/toolchain.log" apt-get update -q
		run_logged "$work/logs/toolchain.log" apt-get install -y -q \
			--no-install-recommends "${missing[@]}"
	fi
}

# The deb-src twin of every apt source of this Debian release (its suites
# "codename" and "codename-*"), in the deb822 and the one-line formats.
write_deb_src_config() {
	local codename out=$work/apt/sources.list.d/deb-src.sources f
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
	mkdir -p "$work/apt/sources.list.d" "$work/apt/lists/partial"
	: >"$out"
	: >"$work/apt/sources.list.d/deb-src.list"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v cn="$codename" '
		BEGIN { RS = ""; ORS = "\n\n" }
		{
			n = split($0, line, "\n")
			keep = 0; binary = 0; out = ""
			for (i = 1; i <= n; i++) {
				l = line[i]
				if (l ~ /^Types:/) {
					binary = (l ~ /[ \t]deb([ \t]|$)/)
					l = "Types: deb-src"
				} else if (l ~ /^Suites:/) {
					m = split(l, s, /[ \t]+/)
					for (j = 2; j <= m; j++)
						if (s[j] ~ "^" cn "(-[a-z]+)?$")
							keep = 1
				} else if (l ~ /^Enabled:[ \t]*no/) {
					keep = -1
				}
				out = out l "\n"
			}
			if (keep == 1 && binary)
				print out
		}' "$f" >>"$out"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v cn="$codename" '
		/^deb[ \t]/ {
			l = $0
			sub(/\[[^]]*\]/, "", l)
			split(l, w, /[ \t]+/)
			if (w[3] ~ "^" cn "(-[a-z]+)?$") {
				sub(/^deb/, "deb-src")
				print
			}
		}' "$f" >>"$work/apt/sources.list.d/deb-src.list"
	done
	grep -qE '^(Types: deb-src|deb-src[ \t])' \
		"$work"/apt/sources.list.d/deb-src.* ||
		die "no apt source of Debian $codename found to enable deb-src for"
}

apt_private() {
	local opts=(
		-q
		-o "Dir::Etc::SourceList=/dev/null"
		-o "Dir::Etc::SourceParts=$work/apt/sources.list.d"
		-o "Dir::State::Lists=$work/apt/lists"
		-o "Dir::Cache::pkgcache="
		-o "Dir::Cache::srcpkgcache="
	)
	# As root, apt downloads as the _apt user, who cannot write here.
	[ "$(id -u)" -ne 0 ] || opts+=(-o "APT::Sandbox::User=root")
	apt-get "${opts[@]}" "$@"
}

fetch_index() {
	write_deb_src_config
	run_logged "$work/logs/apt.log" apt_private update
}

# fetch_source PKG: download PKG's newest source package into
# $work/dl and print the path of its .dsc.
fetch_source() {
	local pkg=$1 dsc
	dsc=$(apt_private source --print-uris "$pkg" 2>>"$work/logs/apt.log" |
		awk '$2 ~ /\.dsc$/ { print $2; exit }')
	[ -n "$dsc" ] || die "no source package $pkg (see $work/logs/apt.log)"
	mkdir -p "$work/dl"
	(cd "$work/dl" && run_logged "$work/logs/apt.log" \
		apt_private source --download-only "$pkg")
	echo "$work/dl/$dsc"
}

dsc_version() { sed -n 's/^Version: //p' "$1"; }

# unpack DSC DIR: Debian's tree with Debian's patches applied.
unpack() {
	rm -rf "$2"
	mkdir -p "$(dirname "$2")"
	run_logged "$3" dpkg-source --no-copy -x "$1" "$2"
}

stamp_of() { echo "$prefix/stamps/$1"; }

write_stamp() { echo "$1 $2" >"$(stamp_of "$1")"; }

write_toolchain_file() {
	cat >"$work/mingw64.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER $host-gcc)
set(CMAKE_RC_COMPILER $host-windres)
set(CMAKE_FIND_ROOT_PATH /usr/$host $prefix)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
EOF
}

build_json_c() {
	local dsc=$1 log=$work/logs/json-c.log src=$work/src/json-c
	local bld=$work/build/json-c
	unpack "$dsc" "$src" "$log"
	write_toolchain_file
	rm -rf "$bld"
	# -static-libgcc: otherwise the DLL needs libgcc_s_seh-1.dll, and
	# libltdl only reports "Module not found" for the plugin.
	run_logged "$log" cmake -S "$src" -B "$bld" \
		-DCMAKE_TOOLCHAIN_FILE="$work/mingw64.cmake" \
		-DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_INSTALL_PREFIX="$prefix" \
		-DCMAKE_INSTALL_LIBDIR=lib \
		-DBUILD_SHARED_LIBS=ON -DBUILD_STATIC_LIBS=OFF \
		-DBUILD_TESTING=OFF -DBUILD_APPS=OFF -DDISABLE_WERROR=ON \
		-DCMAKE_SHARED_LINKER_FLAGS=-static-libgcc
	run_logged "$log" cmake --build "$bld" -j "$jobs"
	run_logged "$log" cmake --install "$bld"
	rm -rf "$src" "$bld"
}

build_sqlite() {
	local dsc=$1 log=$work/logs/sqlite3.log src=$work/src/sqlite3
	local bld=$work/build/sqlite3 version
	unpack "$dsc" "$src" "$log"
	rm -rf "$bld"
	mkdir -p "$bld" "$prefix/bin" "$prefix/lib/pkgconfig" "$prefix/include"
	# The source package is the full tree: the amalgamation is generated
	# by a native build (it needs tclsh), then compiled once for Windows.
	(cd "$bld" && run_logged "$log" "$src/configure" --disable-tcl &&
		run_logged "$log" make -j "$jobs" sqlite3.c)
	run_logged "$log" "$host-gcc" -O2 -DSQLITE_THREADSAFE=1 \
		-DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS5 \
		-DSQLITE_ENABLE_RTREE -I"$bld" \
		-shared -static-libgcc "$bld/sqlite3.c" \
		-o "$prefix/bin/libsqlite3-0.dll" \
		-Wl,--out-implib,"$prefix/lib/libsqlite3.dll.a"
	install -m 644 "$bld/sqlite3.h" "$src/src/sqlite3ext.h" \
		"$prefix/include/"
	version=$(sed -n 's/^#define SQLITE_VERSION *"\(.*\)"/\1/p' \
		"$bld/sqlite3.h")
	cat >"$prefix/lib/pkgconfig/sqlite3.pc" <<EOF
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: SQLite
Description: SQL database engine
Version: $version
Libs: -L\${libdir} -lsqlite3
Cflags: -I\${includedir}
EOF
	rm -rf "$src" "$bld"
}

build_curl() {
	local dsc=$1 log=$work/logs/curl.log src=$work/src/curl
	local bld=$work/build/curl
	unpack "$dsc" "$src" "$log"
	# The last two patches of Debian's series rename the library for its
	# GnuTLS and NSS flavours (libcurl-gnutls, libcurl-nss): undo them to
	# get plain libcurl; the build files they and others touch need
	# autoreconf, as in Debian's own build.
	(cd "$src" &&
		run_logged "$log" patch -R -p1 -i debian/patches/99_nss.patch &&
		run_logged "$log" patch -R -p1 -i debian/patches/90_gnutls.patch &&
		run_logged "$log" autoreconf -fi)
	rm -rf "$bld"
	mkdir -p "$bld"
	# Schannel only; every other TLS, compression and protocol library
	# off; HTTP and HTTPS only; no pthreads (else libwinpthread-1.dll).
	(cd "$bld" && run_logged "$log" "$src/configure" \
		--host="$host" --build="$(gcc -dumpmachine)" \
		--prefix="$prefix" --enable-shared --disable-static \
		--with-schannel --without-openssl --without-gnutls \
		--without-mbedtls --without-wolfssl --without-bearssl \
		--without-rustls --without-nss --without-zlib \
		--without-brotli --without-zstd --without-libidn2 \
		--without-libpsl --without-libgsasl --without-librtmp \
		--without-libssh2 --without-libssh --without-nghttp2 \
		--without-ngtcp2 --without-nghttp3 --without-quiche \
		--without-msh3 --without-hyper --without-gssapi \
		--without-ca-bundle --without-ca-path \
		--disable-ldap --disable-ldaps --disable-ftp --disable-file \
		--disable-dict --disable-gopher --disable-imap --disable-mqtt \
		--disable-pop3 --disable-rtsp --disable-smb --disable-smtp \
		--disable-telnet --disable-tftp --disable-manual \
		--disable-pthreads --enable-threaded-resolver \
		CFLAGS=-O2 LDFLAGS=-static-libgcc &&
		run_logged "$log" make -j "$jobs" -C lib &&
		run_logged "$log" make -C lib install &&
		run_logged "$log" make -C include install &&
		run_logged "$log" make install-pkgconfigDATA)
	rm -rf "$src" "$bld"
}

build_zlib() {
	local dsc=$1 log=$work/logs/zlib.log src=$work/src/zlib version
	unpack "$dsc" "$src" "$log"
	mkdir -p "$prefix/bin" "$prefix/lib/pkgconfig" "$prefix/include"
	# Debian's tarball has no win32/ makefiles: the library is its fifteen
	# C files, compiled once into a DLL like SQLite's amalgamation.
	run_logged "$log" "$host-gcc" -O2 -shared -static-libgcc -I"$src" \
		"$src"/{adler32,compress,crc32,deflate,gzclose,gzlib,gzread}.c \
		"$src"/{gzwrite,infback,inffast,inflate,inftrees,trees}.c \
		"$src"/{uncompr,zutil}.c \
		-o "$prefix/bin/zlib1.dll" \
		-Wl,--out-implib,"$prefix/lib/libz.dll.a"
	install -m 644 "$src/zlib.h" "$src/zconf.h" "$prefix/include/"
	version=$(sed -n 's/^#define ZLIB_VERSION "\(.*\)"/\1/p' \
		"$prefix/include/zlib.h")
	cat >"$prefix/lib/pkgconfig/zlib.pc" <<EOF
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: zlib
Description: zlib compression library
Version: $version
Libs: -L\${libdir} -lz
Cflags: -I\${includedir}
EOF
	rm -rf "$src"
}

build_cmocka() {
	local dsc=$1 log=$work/logs/cmocka.log src=$work/src/cmocka
	local bld=$work/build/cmocka
	unpack "$dsc" "$src" "$log"
	# cmocka 1.1.5 reports a skipped test as "not ok N # SKIP", which
	# automake's TAP driver counts as a failure; later cmocka prints
	# "ok N # SKIP", as TAP has it.
	sed -i 's/"not ok %u # SKIP %s\\n"/"ok %u # SKIP %s\\n"/' \
		"$src/src/cmocka.c"
	grep -q '"ok %u # SKIP %s\\n"' "$src/src/cmocka.c" ||
		die "cmocka: the TAP skip line was not found to correct"
	write_toolchain_file
	rm -rf "$bld"
	run_logged "$log" cmake -S "$src" -B "$bld" \
		-DCMAKE_TOOLCHAIN_FILE="$work/mingw64.cmake" \
		-DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_INSTALL_PREFIX="$prefix" \
		-DCMAKE_INSTALL_LIBDIR=lib \
		-DWITH_STATIC_LIB=OFF -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
		-DCMAKE_SHARED_LINKER_FLAGS=-static-libgcc
	run_logged "$log" cmake --build "$bld" -j "$jobs"
	run_logged "$log" cmake --install "$bld"
	rm -rf "$src" "$bld"
}

build_ltdl() {
	local log=$work/logs/libltdl.log src=$work/src/libltdl
	rm -rf "$src"
	mkdir -p "$src"
	(cd "$src" && run_logged "$log" libtoolize --ltdl --copy)
	# libtoolize copies the configure script without its execute bit.
	chmod +x "$src/libltdl/configure"
	(cd "$src/libltdl" && run_logged "$log" ./configure \
		--host="$host" --build="$(gcc -dumpmachine)" \
		--prefix="$prefix" --enable-ltdl-install --disable-static \
		CFLAGS=-O2 LDFLAGS=-static-libgcc &&
		run_logged "$log" make -j "$jobs" &&
		run_logged "$log" make install)
	rm -rf "$src"
}

# A DLL that needs the MinGW runtime DLLs fails to load on a machine
# without them: only Windows' own DLLs and ours are allowed.
check_imports() {
	local dll bad
	for dll in "$prefix"/bin/*.dll; do
		"$host-objdump" -p "$dll" >"$work/imports" ||
			die "$host-objdump cannot read $dll"
		bad=$(sed -n 's/^\tDLL Name: //p' "$work/imports" |
			grep -iE '^(libgcc|libwinpthread|libstdc)' || true)
		[ -z "$bad" ] || die "$(basename "$dll") needs $bad"
	done
}

# build_source NAME SOURCE-PACKAGE BUILDER: one Debian source package.
build_source() {
	local name=$1 pkg=$2 builder=$3 dsc version start
	if [ -f "$(stamp_of "$name")" ]; then
		summary+=("$(cat "$(stamp_of "$name")") (skipped)")
		say "$name: already built ($(cat "$(stamp_of "$name")"))"
		return
	fi
	start=$(date +%s)
	if [ -z "$index_fetched" ]; then
		timed "Debian source index" fetch_index
		index_fetched=yes
	fi
	dsc=$(fetch_source "$pkg")
	version=$(dsc_version "$dsc")
	say "$name $version ..."
	: >"$work/logs/$name.log"
	"$builder" "$dsc"
	write_stamp "$name" "$version"
	summary+=("$name $version (built)")
	say "$name $version: $(($(date +%s) - start)) s"
}

build_libltdl() {
	local version start
	if [ -f "$(stamp_of libltdl)" ]; then
		summary+=("$(cat "$(stamp_of libltdl)") (skipped)")
		say "libltdl: already built ($(cat "$(stamp_of libltdl)"))"
		return
	fi
	start=$(date +%s)
	version=$(dpkg-query -W -f '${Version}' libtool)
	say "libltdl $version (from the libtool package) ..."
	: >"$work/logs/libltdl.log"
	build_ltdl
	write_stamp libltdl "$version"
	summary+=("libltdl $version (built)")
	say "libltdl $version: $(($(date +%s) - start)) s"
}

mkdir -p "$prefix/stamps" "$work/logs"
exec 9>"$work/lock"
flock -n 9 || die "another build-deps.sh is using $prefix"
say "prefix $prefix, work folder $work"

timed toolchain install_toolchain
command -v "$host-gcc" >/dev/null || die "$host-gcc not found"

index_fetched=
build_source json-c json-c build_json_c
build_source sqlite3 sqlite3 build_sqlite
build_source curl curl build_curl
build_source zlib zlib build_zlib
build_source cmocka cmocka build_cmocka
build_libltdl

# libtool archives hold absolute build paths and are useless to a consumer
# that links through pkg-config.
find "$prefix/lib" -name '*.la' -delete
check_imports
PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig pkg-config --exists \
	libcurl json-c sqlite3 zlib cmocka || die "pkg-config cannot find the libraries"

say "done in $(($(date +%s) - script_start)) s:" \
	"$(IFS=,; printf '%s' "${summary[*]}" | sed 's/,/, /g') in $prefix"
