#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh ARCH [VARIANT] [SUITE-FILTER]
# Build and run our KUnit suites with the kernel's own kunit.py.
#   ARCH     um or x86_64 (x86_64 runs under QEMU with -smp 4)
#   VARIANT  plain (default), debug (lockdep, PROVE_RCU, KASAN, debug
#            objects), rt (PREEMPT_RT)
# KUNIT_BUILD_ONLY=1 configures and builds the kernel without running it.
# On x86_64 plain, slub_kunit is a module (harness/kunit-module.sh runs it).
# Writes $O/reports/kunit-ARCH-VARIANT.{log,result}; the result file holds
# "passed failed" counts of test cases.  Exits non-zero on any failure and
# on any kernel splat (WARNING, BUG, lockdep, KASAN) in the log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:-um}
variant=${2:-plain}
filter=${3:-${KUNIT_FILTER:-}}
tree=$(kfb_tree)
name=kunit-$arch-$variant
out=$(kfb_out "$name")
rep=$O/reports
mkdir -p "$rep" "$out"
log=$rep/$name.log

args=(--arch="$arch" --build_dir="$out" --jobs="$JOBS"
      --kunitconfig=lib/tests/kfree_batch.kunitconfig
      --make_options="CC=ccache gcc" --make_options="HOSTCC=ccache gcc")
# The kernel's own slab suite runs beside ours (kfree_rcu is our client):
# built in, or as a module on x86_64 plain (see harness/kunit-module.sh).
slab=slab
[ "$arch-$variant" = x86_64-plain ] && slab=slab-module
args+=(--kunitconfig="$KFB_ROOT/harness/kunit/$slab.kunitconfig")
for k in ${KUNIT_EXTRA_KUNITCONFIG:-}; do
	args+=(--kunitconfig="$k")
done
case "$arch" in
um) ;;
x86_64) args+=(--qemu_args="-smp 4" --qemu_args="-m 2048"
		--kconfig_add=CONFIG_SMP=y --kconfig_add=CONFIG_NR_CPUS=8)
	# TCG unless KVM=1: see harness/qemu/qemu-system-x86_64.
	export PATH=$KFB_ROOT/harness/qemu:$PATH ;;
*) die "ARCH=$arch: KUnit runs on um or x86_64" ;;
esac
case "$variant" in
plain) ;;
debug)
	for c in DEBUG_KERNEL PROVE_LOCKING PROVE_RCU KASAN KASAN_GENERIC \
		 DEBUG_OBJECTS DEBUG_OBJECTS_RCU_HEAD DEBUG_ATOMIC_SLEEP \
		 DEBUG_OBJECTS_WORK; do
		args+=(--kconfig_add="CONFIG_$c=y")
	done ;;
rt) args+=(--kconfig_add=CONFIG_EXPERT=y --kconfig_add=CONFIG_PREEMPT_RT=y
	   --kconfig_add=CONFIG_DEBUG_KERNEL=y --kconfig_add=CONFIG_PROVE_LOCKING=y
	   --kconfig_add=CONFIG_DEBUG_ATOMIC_SLEEP=y) ;;
*) die "unknown KUnit variant $variant (plain, debug, rt)" ;;
esac
if [ "${KUNIT_BUILD_ONLY:-0}" = 1 ]; then
	cd "$tree"
	exec python3 tools/testing/kunit/kunit.py build "${args[@]}"
fi
args=(run "${args[@]}" --timeout=1200)
[ -n "$filter" ] && args+=("$filter")

echo "  KUNIT   $arch $variant (log: $log)"
cd "$tree"
set +e
run python3 tools/testing/kunit/kunit.py "${args[@]}" 2>&1 | tee "$log" |
	if [ "$V" = 1 ]; then cat; else grep -E '^\[..:..:..\] (=|\[|Testing|Ran|Elapsed|ERROR|Error|Build|Configuring)' ; fi
rc=${PIPESTATUS[0]}
set -e

read -r passed failed <<<"$(kunit_counts "$log")"

# A splat fails the run even when every case passed.  Warnings that a
# case provokes on purpose (bad input) stand between the suite's
# "expected warnings begin/end" markers and are not counted.
rawlog=$out/test.log
splats=0
if [ -f "$rawlog" ]; then
	kunit_splats "$rawlog" > "$rawlog.splats"
	if [ -s "$rawlog.splats" ]; then
		splats=1
		echo "  KUNIT   $arch $variant: kernel splat(s) in $rawlog:"
		head -40 "$rawlog.splats"
	fi
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
	failed=1
	echo "  KUNIT   $arch $variant: no test ran (see $log)"
fi
[ "$splats" -gt 0 ] && failed=$((failed + 1))
echo "$passed $failed" > "$rep/$name.result"
echo "  KUNIT   $arch $variant: $passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
