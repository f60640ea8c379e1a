# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the kfree_batch harness scripts.  Sourced, not run.

KFB_ROOT=${KFB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
O=${O:-$KFB_ROOT/build}
case "$O" in /*) ;; *) O=$KFB_ROOT/$O ;; esac
JOBS=${JOBS:-$(nproc)}
V=${V:-0}

die() { echo "kfree_batch: error: $*" >&2; exit 1; }
note() { echo "  $*"; }

# Print a command the way kbuild prints its steps, then run it.  The
# command is shown in full so it can be pasted into a real kernel tree.
run() {
	printf '  $ %s\n' "$*" >&2
	"$@"
}

# The tree the series is applied to: the prepared Debian base, or KSRC.
kfb_tree() {
	if [ -n "${KSRC:-}" ]; then echo "$KSRC"; else echo "$O/linux"; fi
}

# Where out-of-tree kernel builds go.
kfb_out() { echo "$O/out/$1"; }

export CCACHE_DIR=${CCACHE_DIR:-${HOME:-/root}/.cache/ccache}
# Builds with different O= share ccache hits (the source paths are the same).
export CCACHE_NOHASHDIR=1
# Out-of-tree kernel builds name the source by its absolute path: without a
# base directory, a clone in another place (CI checks out afresh) would miss
# every object this clone cached.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$O}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
