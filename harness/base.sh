#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian's linux-source-7.3 through a private apt configuration kept
# under $O/apt (the system's apt sources and package state are never
# touched), unpack it into $O/linux and make that a git repository whose
# first commit is tagged "base".
#
# Variables: O= build folder, BASE_SUITE= (trixie-backports),
# BASE_PKG= (linux-source-7.3), BASE_DEB= a .deb to use instead of apt,
# MIRROR= the Debian archive (default: the one the system's apt sources name).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BASE_SUITE=${BASE_SUITE:-trixie-backports}
BASE_PKG=${BASE_PKG:-linux-source-7.3}
tree=$O/linux

if [ -d "$tree/.git" ] && git -C "$tree" rev-parse -q --verify base >/dev/null; then
	exit 0
fi

[ -r /etc/debian_version ] || die "this is not a Debian machine: fetching the base tree needs apt-get and dpkg-deb (Debian 12 or later).
  Use your own kernel tree instead: make KSRC=/path/to/linux-7.3"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
	die "apt-get and dpkg-deb are needed: apt-get install apt dpkg"

apt=$O/apt
mirror=$(kfb_mirror)
APT_CONFIG=$(kfb_apt "$apt" \
	"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $BASE_SUITE main")
export APT_CONFIG

if [ -n "${BASE_DEB:-}" ]; then
	deb=$BASE_DEB
else
	echo "  BASE    $BASE_PKG from Debian $BASE_SUITE (private apt config: $apt/apt.conf)"
	run apt-get -qq update || die "apt-get update failed for $BASE_SUITE (see above)"
	ver=$(apt-cache policy "$BASE_PKG" 2>/dev/null | awk '/Candidate:/ { print $2 }')
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		die "Debian's $BASE_SUITE no longer serves $BASE_PKG.
  The series targets Linux 7.3.  Either:
   - point BASE_DEB= at a saved ${BASE_PKG}_*.deb,
   - or use a 7.3.y git tree: make KSRC=/path/to/linux-7.3.y,
   - or, to move the series to a newer base, set BASE_PKG=linux-source-X.Y and
     rebase the patches (make prepare names the first one that fails)."
	fi
	(cd "$apt/archives" && run apt-get -qq download "$BASE_PKG=$ver") ||
		die "apt-get download $BASE_PKG=$ver failed"
	deb=$(ls "$apt/archives/${BASE_PKG}_"*.deb | head -n 1)
fi

ver=$(dpkg-deb -f "$deb" Version)
echo "  UNPACK  $(basename "$deb")"
rm -rf "$O/deb" "$tree.tmp"
mkdir -p "$O/deb" "$tree.tmp"
run dpkg-deb -x "$deb" "$O/deb"
tarball=$(ls "$O/deb/usr/src/"linux-source-*.tar.* | head -n 1)
run tar -C "$tree.tmp" --strip-components=1 -xf "$tarball"
rm -rf "$O/deb"

sub=$(make -s -C "$tree.tmp" kernelversion)
echo "  GIT     base $sub ($BASE_PKG $ver)"
(
	cd "$tree.tmp"
	git init -q -b base-tree
	git config user.name "kfree_batch authors"
	git config user.email "kfree-batch@lists.invalid"
	git config core.autocrlf false
	git add -A -f . >/dev/null
	git commit -q -m "Linux $sub ($BASE_PKG $ver from Debian $BASE_SUITE)" --no-verify
	git tag base
)
printf 'KERNELVERSION=%s\nBASE_PKG=%s\nBASE_VERSION=%s\nBASE_SUITE=%s\n' \
	"$sub" "$BASE_PKG" "$ver" "$BASE_SUITE" > "$tree.tmp/.git/kfb-base"
rm -rf "$tree"
mv "$tree.tmp" "$tree"
