#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh ARCH [VARIANT] [SUITE-FILTER]
# Build and run our KUnit suites with the kernel's own kunit.py.
#   ARCH     um or x86_64 (x86_64 runs under QEMU with -smp 4; plain on
#            three NUMA nodes, one of them without CPUs)
#   VARIANT  plain (default), debug (lockdep, PROVE_RCU, KASAN, debug
#            objects), rt (PREEMPT_RT), lazy (RCU_LAZY, RCU_NOCB_CPU, the
#            suite as a module: build only, harness/kunit-module.sh runs it)
# KUNIT_BUILD_ONLY=1 configures and builds the kernel without running it.
# On x86_64 plain, slub_kunit is a module (harness/kunit-module.sh runs it).
# Writes $O/reports/kunit-ARCH-VARIANT.{log,json,cases,result}; the result
# file holds "passed failed" counts of test cases (kunit-result.py: a
# kfree_batch case count other than harness/kunit/expected says, or a skip
# it does not allow, counts as a failure).  Exits non-zero on any failure
# and on any kernel splat in the console log (splats.py).
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
      --make_options="CC=$KFB_CC" --make_options="HOSTCC=$KFB_CC")
# The kernel's own slab suite runs beside ours (kfree_rcu is our client):
# built in, or as a module on x86_64 plain (see harness/kunit-module.sh).
slab=slab
case "$arch-$variant" in x86_64-plain|x86_64-lazy) slab=slab-module ;; esac
args+=(--kunitconfig="$KFB_ROOT/harness/kunit/$slab.kunitconfig")
for k in ${KUNIT_EXTRA_KUNITCONFIG:-}; do
	args+=(--kunitconfig="$k")
done
case "$arch" in
um) ;;
x86_64) args+=(--qemu_args="-smp 4,sockets=2,cores=2,threads=1"
		--qemu_args="-m 2048"
		--kconfig_add=CONFIG_SMP=y --kconfig_add=CONFIG_NR_CPUS=8)
	# TCG unless KVM=1: see harness/qemu/qemu-system-x86_64.
	export PATH=$KFB_ROOT/harness/qemu:$PATH ;;
*) die "ARCH=$arch: KUnit runs on um or x86_64" ;;
esac
case "$variant" in
# Two NUMA nodes of two CPUs each, one socket each, and a third with
# memory only: frees meet objects of the other nodes.
plain)	if [ "$arch" = x86_64 ]; then
		args+=(--kconfig_add=CONFIG_PCI=y --kconfig_add=CONFIG_NUMA=y
		       --qemu_args="-object memory-backend-ram,id=m0,size=1G"
		       --qemu_args="-object memory-backend-ram,id=m1,size=768M"
		       --qemu_args="-object memory-backend-ram,id=m2,size=256M"
		       --qemu_args="-numa node,nodeid=0,cpus=0-1,memdev=m0"
		       --qemu_args="-numa node,nodeid=1,cpus=2-3,memdev=m1"
		       --qemu_args="-numa node,nodeid=2,memdev=m2")
	fi ;;
debug)
	for c in DEBUG_KERNEL PROVE_LOCKING PROVE_RCU KASAN KASAN_GENERIC \
		 DEBUG_OBJECTS DEBUG_OBJECTS_RCU_HEAD DEBUG_ATOMIC_SLEEP \
		 DEBUG_OBJECTS_WORK; do
		args+=(--kconfig_add="CONFIG_$c=y")
	done ;;
rt) args+=(--kconfig_add=CONFIG_EXPERT=y --kconfig_add=CONFIG_PREEMPT_RT=y
	   --kconfig_add=CONFIG_DEBUG_KERNEL=y --kconfig_add=CONFIG_PROVE_LOCKING=y
	   --kconfig_add=CONFIG_DEBUG_ATOMIC_SLEEP=y) ;;
# A lazy call_rcu() callback may wait about 10 s (jiffies_lazy_flush):
# the time-bound cases fail if the engine's grace-period callback is lazy.
# RCU is lazy only once the kernel has booted, so the suite is a module
# here, which harness/kunit-module.sh loads after boot.
lazy) [ "${KUNIT_BUILD_ONLY:-0}" = 1 ] ||
	die "the lazy variant runs through harness/kunit-module.sh lazy"
      args+=(--kconfig_add=CONFIG_RCU_EXPERT=y --kconfig_add=CONFIG_RCU_NOCB_CPU=y
	     --kconfig_add=CONFIG_RCU_LAZY=y
	     --kconfig_add=CONFIG_KFREE_BATCH_KUNIT_TEST=m) ;;
*) die "unknown KUnit variant $variant (plain, debug, rt, lazy)" ;;
esac
if [ "${KUNIT_BUILD_ONLY:-0}" = 1 ]; then
	cd "$tree"
	exec python3 tools/testing/kunit/kunit.py build "${args[@]}"
fi
json=$rep/$name.json
# Nothing of an earlier run may stand in for this one.
rm -f "$json" "$rep/$name.result" "$out/test.log"
args=(run "${args[@]}" --timeout=1200 --json="$json")
[ -n "$filter" ] && args+=("$filter")

echo "  KUNIT   $arch $variant (log: $log)"
cd "$tree"
set +e
run python3 tools/testing/kunit/kunit.py "${args[@]}" 2>&1 | tee "$log" |
	if [ "$V" = 1 ]; then cat; else grep -E '^\[..:..:..\] (=|\[|Testing|Ran|Elapsed|ERROR|Error|Build|Configuring)' ; fi
rc=${PIPESTATUS[0]}
set -e

# The cases: every failure and skip by name, and the number of kfree_batch
# cases against harness/kunit/expected (not for a filtered run).
if [ -n "$filter" ]; then
	python3 "$KFB_ROOT/harness/kunit-result.py" "$json" "$arch-$variant" - \
		> "$rep/$name.cases" || true
else
	python3 "$KFB_ROOT/harness/kunit-result.py" "$json" "$arch-$variant" \
		"$KFB_ROOT/harness/kunit/expected" > "$rep/$name.cases" || true
fi
sed '$d' "$rep/$name.cases"
read -r passed failed <<<"$(tail -n 1 "$rep/$name.cases")"
[ -n "$filter" ] && [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && failed=1 &&
	echo "  KUNIT   $arch $variant: no case ran with filter $filter"

# A splat fails the run even when every case passed (harness/splats.py:
# warnings that a case provokes on purpose are matched by their text); so
# does a missing console log.
rawlog=$out/test.log
if ! python3 "$KFB_ROOT/harness/splats.py" "$rawlog" > "$rawlog.splats"; then
	echo "  KUNIT   $arch $variant: kernel splat(s), or no console log ($rawlog):"
	head -40 "$rawlog.splats"
	failed=$((failed + 1))
fi
echo "$passed $failed" > "$rep/$name.result"
echo "  KUNIT   $arch $variant: $passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
