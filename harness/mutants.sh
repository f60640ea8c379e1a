#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Break the engine on purpose and check that the KUnit suite turns red.
# Each mutant is a sed edit of mm/kfree_batch.c in the prepared tree; the
# suite runs under x86_64 QEMU -smp 4 and must report at least one failed
# case.  The tree is restored afterwards.  Prints "mutants: N passed, N
# failed" where passed means the suite caught the mutant.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tree=$(kfb_tree)
f=mm/kfree_batch.c
rep=$O/reports
mkdir -p "$rep"

# name@sed expression@what it breaks[@KUnit filter, when the whole suite
# would hang instead of failing]
mutants=(
"free-before-gp@s/return poll_state_synchronize_rcu_full(&c->rcu);/return true;/;s/return poll_state_synchronize_srcu(kb->ssp, c->seq);/return true;/@poll says every grace period has passed"
"no-recheck-and-no-gp@s/if (!kb->ops->poll(kb, \&b->cookie))$/if (0)/;s/kb->ops->synchronize(kb);/;/;s/kb->ops->synchronize_expedited(kb);/;/@release sealed batches without their grace period"
"skip-barrier@s/^\tkfb_drain_all(kb, NULL);/\t;/@kfree_batch_barrier() does nothing"
"skip-cache-barrier@s/^\t\tkfb_drain_all(kb, s);/\t\t;/@kfree_batch_barrier_cache() does nothing"
"no-time-bound@s/kc_arm(kc, msecs_to_jiffies(READ_ONCE(seal_ms)));/;/@a partly filled batch is never sealed by time"
"memo-no-index-check@s/^\tif (off != s->size/\tif (0 \&\& off != s->size/@an add takes a pointer inside an object of the slab it remembers for an object@kfree_batch.test_bad_input_same_slab"
"nested-add@/^\tif (READ_ONCE(kc->adding))$/{N;d}@an add on top of an add on its CPU changes the open batches under it@kfree_batch.test_add_on_top_of_add"
"barrier-no-ipi@/kc_has_open(kc, only))$/{n;s/kfb_on_owner(kc, cpu, \&op);/;/}@a barrier does not have each CPU seal its open batches"
"dead-cpu-left-open@s/^\t\tkc_seal_open(kc, true, 0, NULL);/\t\t;/@what a CPU leaves open when it goes offline is never sealed@kfree_batch.test_cpu_offline"
"barrier-one-round@s/for (round = 0; round < 2; round++)/for (round = 0; round < 1; round++)/@a barrier returns while a fallback list it should release waits behind an older one@kfree_batch.test_fallback_barrier_behind_sealed"
"nolock-opens-batch@s/queued = kfb_add_nolock_owned(kc, ptr, kind, s, slab);/queued = kfb_add_owned(kc, ptr, head, kind, s, slab);/@a nolock add opens a batch itself (a lock and a timer under any caller)@kfree_batch.test_nolock_defers_open"
)

caught=0 missed=0
trap 'git -C "$tree" checkout -q -- "$f"' EXIT
for m in "${mutants[@]}"; do
	IFS='@' read -r name expr what filter <<<"$m"
	git -C "$tree" checkout -q -- "$f"
	sed -i "$expr" "$tree/$f"
	if git -C "$tree" diff --quiet -- "$f"; then
		echo "  MUTANT  $name: the edit did not apply (update harness/mutants.sh)"
		missed=$((missed + 1))
		continue
	fi
	echo "  MUTANT  $name: $what"
	"$KFB_ROOT/harness/kunit.sh" x86_64 plain ${filter:+"$filter"} > "$rep/mutant-$name.log" 2>&1
	read -r p fl < "$rep/kunit-x86_64-plain.result"
	if [ "${fl:-0}" -gt 0 ]; then
		echo "  MUTANT  $name: caught ($fl case(s) failed:$(grep -oE '\[FAILED\] [a-z0-9_-]+' "$rep/mutant-$name.log" | sed 's/\[FAILED\]//' | tr '\n' ' '))"
		caught=$((caught + 1))
	else
		echo "  MUTANT  $name: NOT caught (the suite stayed green)"
		missed=$((missed + 1))
	fi
done
git -C "$tree" checkout -q -- "$f"
echo "$caught $missed" > "$rep/mutants.result"
echo "mutants: $caught passed, $missed failed"
[ "$missed" -eq 0 ]
