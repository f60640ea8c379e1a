#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# convert.sh patch DIR   run kfree_rcu.cocci in patch mode over DIR of the
#                        prepared tree; the patch goes to $O/convert/
# convert.sh report      report mode over the whole tree, with counts/time
# convert.sh check PATCH apply PATCH to a scratch worktree and compile every
#                        file it changes with x86_64 allmodconfig
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=$(kfb_tree)
cocci=scripts/coccinelle/api/kfree_rcu.cocci
dir=$O/convert
mkdir -p "$dir"
cd "$tree"

case "${1:-}" in
patch)
	m=${2:?usage: make convert M=<dir>}
	m=${m%/}
	[ -d "$m" ] || die "M=$m is not a directory of the kernel tree"
	out=$dir/kfree_rcu-$(tr / - <<<"$m").patch
	t0=$(date +%s)
	run make -s coccicheck MODE=patch COCCI="$cocci" M="$m" J="$JOBS" > "$out" 2> "$dir/convert.err" || {
		cat "$dir/convert.err"; die "coccicheck failed"; }
	sites=$(grep -c '^+.*kv\?free_rcu(' "$out" || true)
	files=$(grep -c '^+++ ' "$out" || true)
	echo "  CONVERT $m: $sites site(s) in $files file(s) in $(( $(date +%s) - t0 ))s -> $out"
	echo "  Review: less $out; build-check: make convert-check PATCH=$out" ;;
report)
	out=$dir/kfree_rcu-report.txt
	t0=$(date +%s)
	run make -s coccicheck MODE=report COCCI="$cocci" J="$JOBS" > "$out" 2> "$dir/report.err" || true
	conv=$(grep -c 'use kv\?free_rcu' "$out" || true)
	total=$(grep -c . "$out" || true)
	echo "  REPORT  whole tree: $conv convertible site(s), $((total - conv)) other line(s) (refusals, notes) in $(( $(date +%s) - t0 ))s -> $out" ;;
check)
	patch=${2:?usage: make convert-check PATCH=<file>}
	wt=$O/convert-tree
	out=$(kfb_out convert-allmodconfig)
	[ -d "$wt" ] || run git worktree add -q --detach "$wt" HEAD
	git -C "$wt" checkout -q -f --detach HEAD
	git -C "$wt" apply "$patch" || die "$patch does not apply to the prepared tree"
	if [ ! -f "$out/.config" ]; then
		run make -s -C "$wt" O="$out" ARCH=x86_64 allmodconfig
	fi
	run make -s -C "$wt" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" prepare
	ok=0 bad=0
	for f in $(git -C "$wt" diff --name-only -- '*.c'); do
		if run make -s -C "$wt" O="$out" ARCH=x86_64 CC="ccache gcc" "${f%.c}.o"; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1)); echo "  FAILED  $f"
		fi
	done
	git -C "$wt" checkout -q -f HEAD
	echo "  CONVERT-CHECK $ok file(s) compile, $bad fail (x86_64 allmodconfig)"
	[ "$bad" -eq 0 ] ;;
*) die "usage: convert.sh patch DIR | report | check PATCH" ;;
esac
