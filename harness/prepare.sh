#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the kernel tree carry the current series as git commits.
#   Default: $O/linux, Debian's linux-source-7.3 (see base.sh), branch
#            "kfree_batch" rebuilt from tag "base" whenever the series changed.
#   KSRC=    a maintainer's own clean git tree (7.3.y, mainline or mm): the
#            series goes on a new branch kfree_batch-<stamp> at its HEAD.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

stamp=$(python3 "$KFB_ROOT/harness/series.py" stamp)

check_version() {
	local v
	v=$(make -s -C "$1" kernelversion 2>/dev/null) ||
		die "KSRC=$1 is not a kernel tree (make kernelversion failed)"
	local maj=${v%%.*} rest=${v#*.}
	local min=${rest%%[.-]*}
	if [ "$maj" -lt 7 ] || { [ "$maj" -eq 7 ] && [ "$min" -lt 3 ]; }; then
		die "KSRC=$1 is Linux $v; the series needs 7.3 or later"
	fi
}

if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] && [ -f "$KSRC/mm/slab_common.c" ] ||
		die "KSRC=$KSRC is not a kernel tree (no Makefile or mm/slab_common.c)"
	check_version "$KSRC"
	git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1 ||
		die "KSRC=$KSRC is not a git repository: the series is applied as commits"
	git -C "$KSRC" rev-parse -q --verify HEAD^{commit} >/dev/null ||
		die "KSRC=$KSRC has no commit to apply the series onto: commit the kernel tree first"
	gitdir=$(git -C "$KSRC" rev-parse --absolute-git-dir)
	if [ "$(cat "$gitdir/kfb-stamp" 2>/dev/null)" = "$stamp" ] &&
	   git -C "$KSRC" symbolic-ref -q --short HEAD | grep -q '^kfree_batch-'; then
		exit 0
	fi
	if [ -n "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ]; then
		die "KSRC=$KSRC has uncommitted changes; commit or stash them first (nothing was touched)"
	fi
	branch=kfree_batch-${stamp:0:12}
	onto=$(git -C "$KSRC" rev-parse HEAD)
	# On a branch of an earlier series: start again from where it started.
	if git -C "$KSRC" symbolic-ref -q --short HEAD | grep -q '^kfree_batch-' &&
	   [ -f "$gitdir/kfb-onto" ]; then
		onto=$(cat "$gitdir/kfb-onto")
	fi
	echo "$onto" > "$gitdir/kfb-onto"
	echo "  SERIES  onto $KSRC $(git -C "$KSRC" describe --always "$onto"), new branch $branch"
	python3 "$KFB_ROOT/harness/series.py" apply "$KSRC" --branch "$branch" --onto "$onto"
	echo "$stamp" > "$gitdir/kfb-stamp"
	exit 0
fi

"$KFB_ROOT/harness/base.sh"
tree=$O/linux
if [ "$(cat "$tree/.git/kfb-stamp" 2>/dev/null)" = "$stamp" ] &&
   [ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	exit 0
fi
. "$tree/.git/kfb-base"
echo "  SERIES  onto Linux $KERNELVERSION ($BASE_PKG $BASE_VERSION)"
python3 "$KFB_ROOT/harness/series.py" apply "$tree"
echo "$stamp" > "$tree/.git/kfb-stamp"
