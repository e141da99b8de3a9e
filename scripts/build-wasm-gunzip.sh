#!/bin/sh
# Builds src/lib/verify/wasm/gunzip.wasm (issue 15 micro-bench; not used by the app yet) from
# Debian bookworm's zlib 1.2.13 source and src/lib/verify/wasm/gunzip.c. Installs nothing.
# Needs (Debian bookworm): clang-14 (1:14.0.6-12), lld-14 (wasm-ld), wasi-libc
# (0.0~git20220510.9886d3d-2), libclang-rt-14-dev-wasm32, and a deb-src line for bookworm main
# for `apt-get source`. Usage: scripts/build-wasm-gunzip.sh [out.wasm]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/src/lib/verify/wasm/gunzip.wasm}
orig=zlib_1.2.13.dfsg.orig.tar.bz2
sum=71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source --download-only zlib=1:1.2.13.dfsg-1 >/dev/null
echo "$sum  $orig" | sha256sum -c - >/dev/null
tar xjf "$orig"
cd zlib-1.2.13.dfsg
clang-14 --target=wasm32-wasi --sysroot=/usr -I/usr/include/wasm32-wasi -L/usr/lib/wasm32-wasi \
  -O3 -msimd128 -DHAVE_HIDDEN -I. -nostartfiles -Wl,--no-entry -Wl,--strip-all \
  -o "$out" "$here/src/lib/verify/wasm/gunzip.c" inflate.c inftrees.c inffast.c zutil.c adler32.c crc32.c
sha256sum "$out"
