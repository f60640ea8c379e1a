#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the sparse that `make sparse` uses into $O/tools/sparse/sparse.
# Debian 12's sparse (0.6.4) cannot parse 7.3's __typeof_unqual__, so
# kbuild would turn C=2 off; Debian's sid has 0.6.5~rc1, which can, but
# its binary needs a newer C library than Debian 12's.  Its source package
# is fetched through a private apt configuration under $O/apt-sparse (one
# deb-src line, the system's apt untouched) and built here; it needs only
# gcc and make.
#
# Variables: O= build folder, SPARSE_SUITE= (sid), MIRROR= (see lib.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

suite=${SPARSE_SUITE:-sid}
dest=$O/tools/sparse
[ -x "$dest/sparse" ] && exit 0

mirror=$(kfb_mirror)
apt=$O/apt-sparse
APT_CONFIG=$(kfb_apt "$apt" \
	"deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main")
export APT_CONFIG
echo "  SPARSE  source package from Debian $suite (private apt config: $apt/apt.conf)"
run apt-get -qq update || die "apt-get update failed for $suite deb-src (see above)"
rm -rf "$apt/src"
mkdir -p "$apt/src"
(cd "$apt/src" && run apt-get -qq source --download-only sparse) ||
	die "apt-get source --download-only sparse failed"
orig=$(ls "$apt/src"/sparse_*.orig.tar.* | head -n 1)
[ -n "$orig" ] || die "no sparse_*.orig.tar.* in $apt/src"
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
run tar -C "$dest.tmp" --strip-components=1 -xf "$orig"
run make -s -C "$dest.tmp" -j"$JOBS" sparse >/dev/null
# The tarball's own version string says 0.6.4: name Debian's version.
basename "$orig" | sed -E 's/^sparse_(.*)\.orig\.tar\..*/\1/' > "$dest.tmp/debian-version"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "  SPARSE  $(cat "$dest/debian-version") (Debian $suite source) in $dest"
