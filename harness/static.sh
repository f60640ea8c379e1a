#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# static.sh sparse|w1|kerneldoc|checkpatch|am
# Static checks of the series, each failing on any finding in our code:
#   sparse      make C=2 on every .c file the series adds or patches
#   w1          make W=1 on the same files
#   kerneldoc   scripts/kernel-doc -none -Wall on every file the series adds
#   checkpatch  scripts/checkpatch.pl --strict on the exported series
#   am          the exported series applies with git am to the base
# "Our code" is every line of a file the series adds, and the lines a
# patch adds to an upstream file: findings elsewhere in upstream files are
# upstream's and are shown but do not fail the check.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

what=$1
tree=$(kfb_tree)
rep=$O/reports
mkdir -p "$rep"
log=$rep/$what.log
cd "$tree"

range=base..kfree_batch
if [ -n "${KSRC:-}" ]; then
	n=$(python3 "$KFB_ROOT/harness/series.py" list | wc -l)
	range=HEAD~$n..HEAD
fi
from=${range%%..*}
added=$(git diff --name-only --diff-filter=A "$range")
changed_c=$(git diff --name-only --diff-filter=AM "$range" -- '*.c')

# Lines of file $1 that the series added (for patched upstream files).
our_lines() {
	git diff -U0 "$range" -- "$1" | sed -nE 's/^@@ -[0-9,]+ \+([0-9]+)(,([0-9]+))? @@.*/\1 \3/p' |
		while read -r start cnt; do
			cnt=${cnt:-1}
			for ((i = start; i < start + cnt; i++)); do echo "$i"; done
		done
}

# Keep the findings ("file:line:...") that are in our code.
ours() {
	local f line
	while IFS= read -r l; do
		f=${l%%:*}
		f=${f#./}
		line=$(cut -d: -f2 <<<"$l")
		if grep -qxF "$f" <<<"$added"; then
			echo "$l"
		elif grep -qxF "$f" <<<"$changed_c" && our_lines "$f" | grep -qx "$line"; then
			echo "$l"
		fi
	done
}

objects() { for f in $changed_c; do echo "${f%.c}.o"; done; }

compile_check() {
	local flag=$1 out
	out=$(kfb_out check-x86_64)
	mkdir -p "$out"
	if [ ! -f "$out/.config" ]; then
		# A realistic config for the files we touch: defconfig plus our
		# options (the KUnit suite is built so that it is checked too).
		run make -s O="$out" ARCH=x86_64 CC="$KFB_CC" defconfig
		cat >> "$out/.config" <<CONF
CONFIG_KUNIT=y
CONFIG_KFREE_BATCH_KUNIT_TEST=m
CONFIG_SLUB_KUNIT_TEST=m
CONF
		run make -s O="$out" ARCH=x86_64 CC="$KFB_CC" olddefconfig
	fi
	run make -s O="$out" ARCH=x86_64 CC="$KFB_CC" -j"$JOBS" prepare >/dev/null
	# Force the objects to be rebuilt, so that every finding is printed.
	for o in $(objects); do rm -f "$out/$o"; done
	echo "  \$ make O=$out ARCH=x86_64 CC=\"$KFB_CC\" -j$JOBS $flag" $(objects) >&2
	make O="$out" ARCH=x86_64 CC="$KFB_CC" -j"$JOBS" $flag $(objects) 2>&1 |
		grep -E '^[^ ]+:[0-9]+:([0-9]+:)? (warning|error)' |
		# gcc names a file relative to O= (../../linux/mm/...), sparse
		# relative to the tree or absolute: make each tree-relative.
		sed -E "s|^$tree/||; s|^(\.\./)+$(basename "$tree")/||" || true
}

case "$what" in
sparse)
	# The sparse that deps.sh builds from Debian sid's source package,
	# or SPARSE=.
	sparse=${SPARSE:-$O/tools/sparse/sparse}
	[ -x "$sparse" ] || command -v "$sparse" >/dev/null ||
		die "no sparse at $sparse: run make deps (it builds one) or give SPARSE=/path/to/sparse"
	# kbuild silently turns C=2 off when the checker cannot parse the
	# kernel (scripts/checker-valid.sh): that is a failure here, not a pass.
	if [ "$(sh scripts/checker-valid.sh "$sparse" -D__linux__ 2>/dev/null)" != 1 ]; then
		die "$sparse ($("$sparse" --version)) cannot parse this kernel (scripts/checker-valid.sh), so kbuild would turn C=2 off"
	fi
	compile_check "C=2 CHECK=$sparse" > "$log" ;;
w1)
	compile_check W=1 > "$log" ;;
kerneldoc)
	files=$(grep -E '\.(c|h)$' <<<"$added" || true)
	echo "  \$ scripts/kernel-doc -none -Wall" $files
	scripts/kernel-doc -none -Wall $files > "$log" 2>&1 || true ;;
am)
	# The exported series must apply with git am to a clean base tree.
	"$KFB_ROOT/harness/series-export.sh" >/dev/null
	rm -rf "$O/am-test"
	run git clone -q --shared "$tree" "$O/am-test"
	git -C "$O/am-test" checkout -q --detach "$from"
	patches=$(ls "$O"/series/*.patch | grep -v /0000-cover-letter.patch)
	# shellcheck disable=SC2086 # one word per patch file
	if ! run git -C "$O/am-test" -c user.name=am -c user.email=am@localhost \
		am -q $patches > "$log" 2>&1; then
		cat "$log"
		echo "  CHECK   am: FAILED (git am of the exported series onto $from)"
		exit 1
	fi
	n=$(git -C "$O/am-test" rev-list --count "$from"..HEAD)
	rm -rf "$O/am-test"
	echo "  CHECK   am: the exported series ($n patches) applies with git am onto $from"
	exit 0 ;;
checkpatch)
	"$KFB_ROOT/harness/series-export.sh" >/dev/null
	: > "$log"
	for p in "$O"/series/00*.patch; do
		case "$p" in *0000-cover-letter.patch) continue ;; esac
		echo "  \$ scripts/checkpatch.pl --strict --quiet --no-summary $p"
		# Debian's python3 (with python3-ply) for checkpatch's spdxcheck.py.
		PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict --quiet --no-summary "$p" >> "$log" 2>&1 || true
	done ;;
htmldocs)
	# make htmldocs for the mm book (SPHINXDIRS=mm), with Debian's
	# Sphinx; its warnings about our files fail the check (those about
	# links out of the mm book come from SPHINXDIRS and are not ours).
	hout=$(kfb_out htmldocs)
	echo "  \$ make O=$hout SPHINXDIRS=mm htmldocs"
	PATH=/usr/bin:$PATH make O="$hout" SPHINXDIRS=mm htmldocs > "$log.all" 2>&1 ||
		{ tail -20 "$log.all"; die "make htmldocs failed (log $log.all)"; }
	grep -E 'kfree_batch' "$log.all" | grep -E 'WARNING|ERROR' > "$log" || true
	[ -f "$hout/Documentation/output/mm/kfree_batch.html" ] ||
		echo "no Documentation/output/mm/kfree_batch.html" >> "$log" ;;
*) die "unknown check $what" ;;
esac

case "$what" in
sparse|w1) mine=$(ours < "$log") ;;
*) mine=$(cat "$log") ;;
esac
upstream=$(($(grep -c . "$log" || true) - $(grep -c . <<<"$mine" || true)))
if [ -n "$mine" ]; then
	echo "$mine"
	echo "  CHECK   $what: FAILED ($(grep -c . <<<"$mine") finding(s) in our code; full log $log)"
	exit 1
fi
echo "  CHECK   $what: clean ($upstream finding(s) in upstream code left as they are; log $log)"
