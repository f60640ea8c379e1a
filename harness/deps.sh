#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the harness needs from Debian's own archive (the system's
# apt configuration as it is), then build sparse from Debian's sid source
# package (sparse.sh).  Nothing is installed that is present.
#
# Besides each tool's own package: spatch runs kfree_rcu.cocci's Python
# rules through libpython3.X.so, which the coccinelle package does not
# depend on (libpython3-dev has it); the kernel's Sphinx extensions import
# yaml (python3-yaml); apt-get source, for sparse.sh, wants dpkg-dev.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs="gcc make flex bison bc libelf-dev libssl-dev ccache coccinelle
      qemu-system-x86 python3 git xz-utils cpio busybox-static rsync kmod patch perl
      gnuplot-nox ca-certificates debian-archive-keyring python3-ply
      python3-git python3-sphinx python3-sphinx-rtd-theme python3-yaml libpython3-dev
      dpkg-dev"
tools="gcc make flex bison bc ccache sparse spatch qemu-system-x86_64 python3
       git xz cpio busybox rsync patch perl gnuplot"

if [ ! -r /etc/debian_version ] || ! command -v dpkg-query >/dev/null; then
	missing=""
	for t in $tools; do command -v "$t" >/dev/null || missing="$missing $t"; done
	[ -z "$missing" ] && exit 0
	die "not a Debian machine and these tools are missing:$missing
  Install them with your distribution's packages (on Debian: $pkgs)"
fi

need=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		need="$need $p"
done
if [ -n "$need" ]; then
	[ "$(id -u)" -eq 0 ] || die "missing Debian packages:$need
  Install them as root: apt-get install$need"
	echo "  APT     installing$need"
	run apt-get -qq update
	DEBIAN_FRONTEND=noninteractive run apt-get -qq install -y --no-install-recommends $need >/dev/null
fi
"$(dirname "$0")/sparse.sh"
