#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Regression tests for scripts/coccinelle/api/kfree_rcu.cocci.
#
# For every harness/cocci/tests/NAME.c:
#   - patch mode: spatch -D patch ... NAME.c -o OUT, OUT must equal NAME.res
#     (for a case that must not change, NAME.res is a copy of NAME.c);
#   - report mode, when NAME.report exists: the sorted report lines, with
#     the test directory stripped from the file names, must equal it.
#
# Output is TAP; the last line is "cocci: N passed, N failed" and the exit
# status is non-zero if anything failed.
#
# Usage (from the repo root):  bash harness/cocci-test.sh
# Environment: SPATCH    spatch binary (default: spatch)
#              NICE      command prefix (default: "nice -n 19"; set to ""
#                        to run spatch at normal priority)
#              UPDATE=1  rewrite the .res/.report files from the current
#                        output instead of comparing (check with git diff!)

set -u

cd "$(dirname "$0")/.." || exit 2

SPATCH=${SPATCH:-spatch}
NICE=${NICE-nice -n 19}
COCCI=scripts/coccinelle/api/kfree_rcu.cocci
TESTS=harness/cocci/tests

if ! command -v "$SPATCH" >/dev/null 2>&1; then
	echo "cocci-test: spatch not found (SPATCH=$SPATCH)" >&2
	echo "cocci: 0 passed, 1 failed"
	exit 2
fi

# The same options "make coccicheck" takes from the script's header.
read -ra opts <<<"$(sed -n 's|^// Options: *||p' "$COCCI")"
read -ra nice_cmd <<<"$NICE"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cocci-test.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

shopt -s nullglob
cases=("$TESTS"/*.c)
reports=("$TESTS"/*.report)
echo "1..$(( ${#cases[@]} + ${#reports[@]} ))"

n=0
passed=0
failed=0
shown=0

# show the first command of each kind, ready to paste
show() {
	local kind=$1
	shift
	case " $shown " in
	*" $kind "*) ;;
	*)
		echo "# $*"
		shown="$shown $kind"
		;;
	esac
}

result() {	# result OK NAME [file with details]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		passed=$((passed + 1))
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && sed 's/^/# /' "$3"
	fi
}

for c in "${cases[@]}"; do
	name=$(basename "$c" .c)
	res=$TESTS/$name.res
	out=$TMP/$name.out
	log=$TMP/$name.log

	cmd=("${nice_cmd[@]}" "$SPATCH" --very-quiet "${opts[@]}" -D patch
	     --sp-file "$COCCI" "$c" -o "$out")
	show patch "${cmd[*]}"
	st=0
	"${cmd[@]}" >"$log" 2>&1 || st=$?
	# A file the script's token prefilter skips (no call_rcu() at all) is
	# never parsed, and spatch then refuses -o: the output is the input.
	if [ ! -f "$out" ] && grep -q 'no modified files' "$log"; then
		cp "$c" "$out"
		st=0
	fi
	if [ "$st" -ne 0 ] || [ ! -f "$out" ]; then
		echo "spatch failed (exit status or no output file):" >>"$log"
		result fail "$name" "$log"
		continue
	fi
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$out" "$res"
	fi
	if [ ! -f "$res" ]; then
		echo "missing $res" >"$log"
		result fail "$name" "$log"
	elif diff -u "$res" "$out" >"$TMP/$name.diff"; then
		result ok "$name"
	else
		result fail "$name" "$TMP/$name.diff"
	fi
done

for r in "${reports[@]}"; do
	name=$(basename "$r" .report)
	c=$TESTS/$name.c
	out=$TMP/$name.rep
	log=$TMP/$name.replog

	cmd=("${nice_cmd[@]}" "$SPATCH" --very-quiet "${opts[@]}" -D report
	     --sp-file "$COCCI" "$c")
	show report "${cmd[*]}"
	if [ ! -f "$c" ]; then
		echo "missing $c" >"$log"
		result fail "$name (report)" "$log"
		continue
	fi
	if ! "${cmd[@]}" >"$out.raw" 2>"$log"; then
		echo "spatch failed" >>"$log"
		result fail "$name (report)" "$log"
		continue
	fi
	sed "s|^$TESTS/||" "$out.raw" | LC_ALL=C sort >"$out"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$out" "$r"
	fi
	if diff -u "$r" "$out" >"$TMP/$name.rdiff"; then
		result ok "$name (report)"
	else
		result fail "$name (report)" "$TMP/$name.rdiff"
	fi
done

echo "cocci: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
