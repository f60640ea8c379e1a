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

# kunit_counts LOG: "passed failed" from kunit.py's summary line in LOG
# ("Testing complete. Ran N tests: passed: P, failed: F, crashed: C");
# crashed cases count as failed.
kunit_counts() {
	local summary p f c
	summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$1" | tail -n 1 || true)
	p=$(sed -nE 's/.*passed: ([0-9]+).*/\1/p' <<<"$summary")
	f=$(sed -nE 's/.*failed: ([0-9]+).*/\1/p' <<<"$summary")
	c=$(sed -nE 's/.*crashed: ([0-9]+).*/\1/p' <<<"$summary")
	echo "${p:-0} $(( ${f:-0} + ${c:-0} ))"
}

# kunit_splats CONSOLE: the kernel splats (WARNING, BUG, lockdep, KASAN,
# ...) in a console log, with three lines of context, leaving out those
# between the suite's "expected warnings begin/end" markers (bad input
# that a case provokes on purpose).  Prints nothing if there is none.
kunit_splats() {
	local re='(WARNING:|BUG:|Oops|possible (recursive|circular) locking|inconsistent lock state|suspicious RCU usage|KASAN:|ODEBUG:|sleeping function called from invalid context|Invalid wait context)'

	awk '/expected warnings begin/ { skip = 1 } /expected warnings end/ { skip = 0 } !skip' "$1" |
		grep -nE -A3 "$re" || true
}
