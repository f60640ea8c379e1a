#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# convert.sh patch DIR   run kfree_rcu.cocci in patch mode over DIR of the
#                        prepared tree (. = all of it); the patch goes to
#                        $O/convert/
# convert.sh report      report mode over the whole tree, with counts/time
# convert.sh expect      the whole tree's convertible sites must be those of
#                        harness/cocci/whole-tree-7.3.expected
# convert.sh check PATCH apply PATCH to a scratch worktree and compile every
#                        file it changes with x86_64 allmodconfig
# convert.sh check       compile the files the series' conversion commits
#                        change (outside mm/, lib/, kernel/rcu/), the same way
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=$(kfb_tree)
cocci=scripts/coccinelle/api/kfree_rcu.cocci
dir=$O/convert
mkdir -p "$dir"
cd "$tree"

# Report mode over the whole tree, into $dir/kfree_rcu-report.txt.
whole_report() {
	run make -s coccicheck MODE=report COCCI="$cocci" J="$JOBS" \
		> "$dir/kfree_rcu-report.txt" 2> "$dir/report.err" ||
		{ cat "$dir/report.err"; die "coccicheck failed"; }
}

case "${1:-}" in
patch)
	m=${2:?usage: make convert M=<dir> (M=. for the whole tree)}
	m=${m%/}
	[ -d "$m" ] || die "M=$m is not a directory of the kernel tree"
	if [ "$m" = . ]; then
		# kbuild takes M=. for an external module: no M= is the tree.
		out=$dir/kfree_rcu-whole-tree.patch
		mflag=()
	else
		out=$dir/kfree_rcu-$(tr / - <<<"$m").patch
		mflag=(M="$m")
	fi
	t0=$(date +%s)
	run make -s coccicheck MODE=patch COCCI="$cocci" "${mflag[@]}" J="$JOBS" > "$out" 2> "$dir/convert.err" || {
		cat "$dir/convert.err"; die "coccicheck failed"; }
	# coccicheck's banner goes to the log, the patch keeps only the diffs.
	sed -n '/^diff /,$p' "$out" > "$out.tmp"
	sed -n '/^diff /q;p' "$out" >> "$dir/convert.err"
	mv "$out.tmp" "$out"
	sites=$(grep -c '^+.*kv\?free_rcu(' "$out" || true)
	files=$(grep -c '^+++ ' "$out" || true)
	echo "  CONVERT $m: $sites site(s) in $files file(s) in $(( $(date +%s) - t0 ))s -> $out"
	echo "  Review: less $out; build-check: make convert-check PATCH=$out" ;;
report)
	out=$dir/kfree_rcu-report.txt
	t0=$(date +%s)
	whole_report
	conv=$(grep -c ': WARNING: .*use kv\?free_rcu' "$out" || true)
	info=$(grep -c ': INFO: ' "$out" || true)
	notes=$(grep -c ': note: ' "$out" || true)
	files=$(sed -n 's/^\([0-9]*\) files match$/\1/p' "$out")
	echo "  REPORT  whole tree: $conv convertible site(s), $info not decided or kept (INFO), $notes note(s); ${files:-?} file(s) parsed, in $(( $(date +%s) - t0 ))s -> $out" ;;
expect)
	# The whole-tree report must list exactly the sites of the expected
	# file: a change to the script that converts more or fewer sites of
	# 7.3 shows here, with the diff.
	exp=$KFB_ROOT/harness/cocci/whole-tree-7.3.expected
	out=$dir/kfree_rcu-report.txt
	whole_report
	grep ': WARNING: ' "$out" | sed 's|^\./||' | sort > "$dir/whole-tree.sites"
	if diff -u "$exp" "$dir/whole-tree.sites"; then
		echo "  EXPECT  whole tree: the $(wc -l < "$exp") expected site(s), no other"
	else
		die "whole-tree sites differ from $exp (diff above)"
	fi ;;
check)
	# No PATCH: the series' own conversions, the C files it changes
	# outside mm/, lib/ and kernel/rcu/ (the converted subsystems' commits).
	patch=${2:-}
	[ -z "$patch" ] || [ -f "$patch" ] || die "PATCH=$patch: no such file"
	wt=$O/convert-tree
	out=$(kfb_out convert-allmodconfig)
	rev=$(git rev-parse HEAD)
	[ -d "$wt" ] || run git worktree add -q --detach "$wt" "$rev"
	git -C "$wt" checkout -q -f --detach "$rev"
	git -C "$wt" clean -q -fdx
	trap 'git -C "$wt" checkout -q -f "$rev"; git -C "$wt" clean -q -fdx' EXIT
	if [ -n "$patch" ]; then
		git -C "$wt" apply "$patch" ||
			die "$patch does not apply to the prepared tree"
		files=$(git -C "$wt" diff --name-only -- '*.c')
	else
		files=$(git -C "$wt" diff --name-only base HEAD -- '*.c' \
			':!mm/' ':!lib/' ':!kernel/rcu/')
		[ -n "$files" ] || die "the series converts no file outside mm/, lib/ and kernel/rcu/"
	fi
	if [ ! -f "$out/.config" ]; then
		run make -s -C "$wt" O="$out" ARCH=x86_64 allmodconfig
	fi
	run make -s -C "$wt" O="$out" ARCH=x86_64 CC="$KFB_CC" -j"$JOBS" prepare
	ok=0 bad=0
	for f in $files; do
		case $f in
		virt/kvm/*)
			# built by arch/x86/kvm/Makefile, through $(KVM)/
			target=("arch/x86/kvm/../../../${f%.c}.o") ;;
		tools/*)
			# selftests' test modules (bpf_testmod...) are external
			# modules: kbuild builds them with M=, in their directory.
			target=(M="$wt/$(dirname "$f")" "$(basename "${f%.c}").o") ;;
		*)
			target=("${f%.c}.o") ;;
		esac
		if run make -s -C "$wt" O="$out" ARCH=x86_64 CC="$KFB_CC" "${target[@]}"; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1)); echo "  FAILED  $f"
		fi
	done
	echo "  CONVERT-CHECK $ok file(s) compile, $bad fail (x86_64 allmodconfig)"
	[ "$bad" -eq 0 ] ;;
*) die "usage: convert.sh patch DIR | report | expect | check [PATCH]" ;;
esac
