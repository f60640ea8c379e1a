#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test and check, in one run.  Each step runs even when
# an earlier one failed; the last line counts test cases and checks as
# "check: N passed, N failed", and the exit status is non-zero on any
# failure.  CHECK_STEPS= runs a subset (space separated step names).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

steps=${CHECK_STEPS:-"bench-selftest kunit-um kunit-x86_64 kunit-module rcuscale vmalloc mutants bisect sparse w1 kerneldoc htmldocs checkpatch am cocci cocci-tree kunit-x86_64-debug kunit-x86_64-rt kunit-x86_64-lazy"}
H=$KFB_ROOT/harness
rep=$O/reports
mkdir -p "$rep"
passed=0 failed=0 skipped=0
summary=()
start=$(date +%s)

tally() { # name rc [result-file]; rc 77 means skipped
	local name=$1 rc=$2 file=${3:-} p f
	if [ "$rc" -eq 77 ]; then
		skipped=$((skipped + 1))
		summary+=("$(printf '%-22s skipped (see above)' "$name")")
		return
	fi
	if [ -n "$file" ] && [ -f "$file" ]; then
		read -r p f < "$file"
	elif [ "$rc" -eq 0 ]; then p=1 f=0; else p=0 f=1; fi
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	passed=$((passed + p)); failed=$((failed + f))
	summary+=("$(printf '%-22s %4d passed %4d failed' "$name" "$p" "$f")")
}

step() { # name command...
	local name=$1 t0 rc
	shift
	echo "==> $name"
	t0=$(date +%s)
	"$@"
	rc=$?
	echo "<== $name: $(case $rc in 0) echo ok ;; 77) echo skipped ;; *) echo FAILED ;; esac) in $(( $(date +%s) - t0 ))s"
	return $rc
}

if ! step prepare "$H/prepare.sh"; then
	echo "check: 0 passed, 1 failed"
	exit 1
fi

for s in $steps; do
	rm -f "$rep"/*.result
	case "$s" in
	kunit-um) step "$s" "$H/kunit.sh" um plain; tally "$s" $? "$rep/kunit-um-plain.result" ;;
	kunit-x86_64) step "$s" "$H/kunit.sh" x86_64 plain; tally "$s" $? "$rep/kunit-x86_64-plain.result" ;;
	kunit-module) step "$s" "$H/kunit-module.sh"; tally "$s" $? "$rep/kunit-x86_64-module.result" ;;
	kunit-x86_64-debug) step "$s" "$H/kunit.sh" x86_64 debug; tally "$s" $? "$rep/kunit-x86_64-debug.result" ;;
	kunit-x86_64-rt) step "$s" "$H/kunit.sh" x86_64 rt; tally "$s" $? "$rep/kunit-x86_64-rt.result" ;;
	kunit-x86_64-lazy) step "$s" "$H/kunit-module.sh" lazy; tally "$s" $? "$rep/kunit-x86_64-lazy.result" ;;
	bisect) step "$s" "$H/bisect.sh"; tally "$s" $? "$rep/bisect.result" ;;
	rcuscale)
		# The kernel's own kfree_rcu() test on the patched kernel, both
		# forms: it must finish, with no splat (bench kernel, -smp 4).
		for w in rcuscale-single rcuscale-double; do
			step "$s $w" python3 "$H/bench.py" run patched "$w"
			tally "$s-${w#rcuscale-}" $?
		done ;;
	bench-selftest)
		# The benchmark's parser, statistics and goal rules.
		step "$s" python3 "$H/test_bench.py"
		tally "$s" $? ;;
	vmalloc)
		# lib/test_vmalloc.c's kvfree_rcu_{1,2}_arg_vmalloc_test.
		step "$s" python3 "$H/bench.py" run patched vmalloc
		tally "$s" $? ;;
	mutants) step "$s" "$H/mutants.sh"; tally "$s" $? "$rep/mutants.result" ;;
	sparse|w1|kerneldoc|htmldocs|checkpatch|am) step "$s" "$H/static.sh" "$s"; tally "$s" $? ;;
	cocci)
		if [ -f "$KFB_ROOT/harness/cocci-test.sh" ]; then
			step "$s" bash "$H/cocci-test.sh" | tee "$rep/cocci.log"
			rc=${PIPESTATUS[0]}
			sed -nE 's/^cocci: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$rep/cocci.log" > "$rep/cocci.result"
			tally "$s" "$rc" "$rep/cocci.result"
		fi ;;
	cocci-tree) step "$s" "$H/convert.sh" expect; tally "$s" $? ;;
	*) echo "unknown step $s"; tally "$s" 1 ;;
	esac
done

echo
echo "Summary ($(( ($(date +%s) - start) / 60 )) min):"
printf '  %s\n' "${summary[@]}"
echo "check: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
