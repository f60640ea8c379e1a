#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Break the engine on purpose and check that a named KUnit case catches
# each break.  A mutant is one or more sed expressions on mm/kfree_batch.c
# in the prepared tree (an expression "file=mm/slub.c" makes the ones after
# it edit that file instead); the suite runs under x86_64 QEMU -smp 4.
#
# First the unmutated suite runs: it must be green, or nothing below means
# anything.  Then, for each mutant, every expression must change the file
# (one that matches nothing means the mutant is stale: an error), and the
# mutant is caught only when a kfree_batch case whose name matches the
# mutant's expected case fails.  A build or boot failure, a timeout, a
# run where no case ran, or failures of other cases only, are errors, not
# catches.  The tree is restored afterwards.  Prints "mutants: N passed,
# N failed" where passed means caught as expected.  MUTANTS="name ..."
# runs only the mutants named.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tree=$(kfb_tree)
f=mm/kfree_batch.c
# Every file a mutant may edit.
files=(mm/kfree_batch.c mm/slub.c mm/kfree_srcu.c)
rep=$O/reports
mkdir -p "$rep"
json=$rep/kunit-x86_64-plain.json

# name@what it breaks@the case(s) that must fail (a glob)@KUnit filter (empty:
# the whole suite; set where the suite would hang instead of failing)@sed
# expression[@sed expression...]
mutants=(
"free-before-gp@poll says every grace period has passed@test_early_free/*@@s/return poll_state_synchronize_rcu_full(&c->rcu);/return true;/@s/return poll_state_synchronize_srcu(kb->ssp, c->seq);/return true;/"
"srcu-free-before-gp@the SRCU domain's poll says its grace periods have passed@test_early_free/*-srcu@@s/return poll_state_synchronize_srcu(kb->ssp, c->seq);/return true;/"
"no-recheck-and-no-gp@sealed batches are released without waiting for their grace period, and the check before the free passes@test_early_free/*@@s/if (!\*max || !kb->ops->poll(kb, \&b->cookie))$/if (!*max)/@s/if (WARN_ONCE(!kb->ops->poll(kb, c),$/if (WARN_ONCE(0,/"
"fallback-no-gp@a sealed fallback list is released without its grace period@test_early_free/fallback-*@@s/if (kc->heads_sealed \&\& kb->ops->poll(kb, \&kc->heads_cookie)) {/if (kc->heads_sealed) {/@s/if (WARN_ONCE(!kb->ops->poll(kb, c),$/if (WARN_ONCE(0,/"
"large-not-freed@large kmalloc objects are never freed@test_early_free/large-*@@s/^\tkfree_bulk(nr - start, objs + start);/\t;/"
"vmalloc-not-freed@vmalloc objects are never freed@test_early_free/vmalloc-*@@s/^\t\tkfb_vfree(objs\[i\]);/\t\t;/"
"mightsleep-no-gp@kfree_batch_add_mightsleep() with no storage frees without a grace period@test_early_free/mightsleep-*@@/^void kfree_batch_add_mightsleep/,/^}/s/^\tkb->ops->synchronize(kb);/\t;/"
"skip-barrier@kfree_batch_barrier() does nothing@test_*@@s/^\tkfb_drain_all(kb);/\t;/"
"skip-cache-barrier@kfree_batch_barrier_cache() does nothing@test_barrier_cache*@@s/^\t\t\tmore |= kfb_drain_sealed(kb, s);/\t\t\t;/"
"srcu-cache-barrier-no-gp@the SRCU domain's per-cache barrier does not wait for its grace period@test_barrier_cache_domains/srcu*@kfree_batch.test_barrier_cache_domains@/^static void kfb_srcu_sync(/,/^}/s/^\tsynchronize_srcu(kb->ssp);/\t;/"
"no-time-bound@a partly filled batch is never sealed by time@test_time_bound/*@@s/kcl_arm(kc, msecs_to_jiffies(READ_ONCE(seal_ms)));/;/"
"looser-time-bound@a partly filled batch is sealed at 1.5 seal_ms@test_time_bound/*@@s/^\tunsigned long delay = msecs_to_jiffies(READ_ONCE(seal_ms));/\tunsigned long delay = msecs_to_jiffies(READ_ONCE(seal_ms)) * 3 \/ 2;/"
"deferred-no-kick@an object deferred to the irq_work waits for the next add on its CPU@test_time_bound/none-nolock@@/if (llist_add((struct llist_node \*)head, \&kc->deferred))$/{n;s/^\t\tirq_work_queue(\&kc->deferred_work);/\t\tkc->kb = kb;/}"
"destroy-no-barrier@kfree_batch_destroy() does not release what is pending@test_destroy_frees@@/^void kfree_batch_destroy/,/^}/s/^\tkfree_batch_barrier(kb);/\t;/"
"shrinker-no-flush@the shrinker does not seal the open batches@test_shrinker_flushes@@/^static unsigned long kfb_scan/,/^}/s/^\t\tkfree_batch_flush(kb);/\t\tcond_resched();/"
"classify-no-start-check@an add takes a pointer inside an object as the object@test_bad_input_same_slab@kfree_batch.test_bad_input_same_slab@s/^\t\treturn kfb_slab_obj_start(slab, ptr) ? KFB_SLAB : KFB_BAD;$/\t\treturn KFB_SLAB;/"
"nested-add@an add on top of an add on its CPU changes the open batches under it@test_add_on_top_of_add@kfree_batch.test_add_on_top_of_add@/^\tif (READ_ONCE(kc->adding))$/{N;d}"
"barrier-no-owner-seal@a barrier does not have each CPU seal its open batch@test_*@@/kfb_has_open(kc, only))$/{n;s/kfb_on_owner(kc, cpu, \&op);/;/}"
"dead-cpu-left-open@what a CPU leaves open when it goes offline is never sealed@test_cpu_offline@kfree_batch.test_cpu_offline@s/^\t\tkc_seal_open(kc, true, 0, NULL);/\t\t;/"
"barrier-one-round@a barrier returns while a fallback list it should release waits behind an older one@test_fallback_barrier_behind_sealed@kfree_batch.test_fallback_barrier_behind_sealed@s/for (round = 0; round < 2; round++)/for (round = 0; round < 1; round++)/"
"nolock-opens-batch@a nolock add opens a block itself (a lock and a timer under any caller)@test_nolock_defers_open@kfree_batch.test_nolock_defers_open@s/queued = kfb_add_nolock_owned(kc, ptr, s);/queued = kfb_add_owned(kc, ptr, head, s, true);/"
"close-before-queue@a block leaves the open ones before it is queued as sealed, so a barrier can see it in neither@test_barrier_while_sealing@kfree_batch.test_barrier_while_sealing@s/^\tkc_seal(kc, kc->open);/\tstruct kfree_batch_block *b = kc->open;/@/^static void kc_close/,/^}/s/^\tkfb_test_point(KFREE_BATCH_TP_CLOSE, kc);/\t;/@/^static void kc_close/,/^}/s/^\tWRITE_ONCE(kc->open_more, 0);/\tWRITE_ONCE(kc->open_more, 0);\n\tkfb_test_point(KFREE_BATCH_TP_CLOSE, kc);\n\tkc_seal(kc, b);/"
"nolock-takes-deferred@a nolock add adds what earlier adds deferred (a lock and a timer under any caller)@test_nolock_takes_no_lock@kfree_batch.test_nolock_takes_no_lock@s/if (unlikely(!nolock \&\& kc_has_work(kc)))$/if (unlikely(kc_has_work(kc)))/"
"debugfs-under-mutex@a client's debugfs files are removed under the mutex their readers take@test_destroy_while_debugfs_read@kfree_batch.test_destroy_while_debugfs_read@s/^\tdir = kb->debugfs;/\tdir = NULL;\n\tdebugfs_remove_recursive(kb->debugfs);/"
"leak-warn-unlimited@every bad pointer is warned about@test_bad_input_ratelimited@kfree_batch.test_bad_input_ratelimited@s/^\tif (!__ratelimit(\&rs))/\tif (0 \&\& !__ratelimit(\&rs))/"
"offline-keeps-reserve@a CPU that goes offline keeps its reserve pages@test_offline_cpu_reserve@kfree_batch.test_offline_cpu_reserve@/^static int kfb_cpu_dead/,/^}/{/^\t\tkc->reserve = NULL;/d;/^\t\tkc->nr_reserve = 0;/d;s/^\t\treserve = kc->reserve;/\t\treserve = NULL;/}"
"barrier-holds-hotplug@a barrier holds cpus_read_lock() across its grace period@test_barrier_no_hotplug_wait@kfree_batch.test_barrier_no_hotplug_wait@/^static void kfb_drain_all/,/^}/s/^\t\tcpus_read_unlock();/\t\t;/@/^static void kfb_drain_all/,/^}/s/^\t\tif (!kfb_drain_sealed(kb, NULL))$/\t\tif (({ bool m = !kfb_drain_sealed(kb, NULL); cpus_read_unlock(); m; }))/"
"destroy-expedites@kmem_cache_destroy()'s per-cache barrier expedites its grace period unasked@test_no_expedited_gp@kfree_batch.test_no_expedited_gp@s/^\t\tif (only \&\& READ_ONCE(expedite_destroy) \&\&$/\t\tif (only \&\&/"
"lane-free-before-gp@kfree_rcu()'s sealed sheaves are released at once, without their grace period@test_kfree_rcu_reader_delays_free@kfree_batch.test_kfree_rcu_reader_delays_free@s/^\t\t\tif (!kb->ops->poll(kb, \&b->cookie))$/\t\t\tif (0)/@s/^\tkb->ops->call(kb, \&l->gp_head, kfb_lane_gp_done);/\tkfb_lane_gp_done(\&l->gp_head);/"
"lane-barrier-no-seal@a barrier does not have each CPU seal its open deferred sheaves@test_kfree_rcu_barrier_seals_open@kfree_batch.test_kfree_rcu_barrier_seals_open@/^static void kfb_lanes_seal/,/^}/s/^\t\t\tqueue_work_on(cpu, kfb_wq, \&l->seal_work);/\t\t\t;/"
"lane-no-time-bound@an open deferred sheaf is never sealed by time@test_kfree_rcu_idle_time_bound@kfree_batch.test_kfree_rcu_idle_time_bound@/^static void kfb_lane_arm/,/^}/s/^\tif (!timer_pending(\&l->timer))$/\tif (0)/"
"lane-dead-cpu-left-open@what a CPU leaves in its deferred sheaves when it goes offline is never sealed@test_kfree_rcu_cpu_offline@kfree_batch.test_kfree_rcu_cpu_offline@s/^\tkfb_lanes_cpu_dead(cpu);/\t;/"
"lane-no-start-check@a kfree_rcu() pointer into the middle of an object is released as an object@test_kfree_rcu_bad_pointer@kfree_batch.test_kfree_rcu_bad_pointer@s/^\t\tif (unlikely(!slab || slab->slab_cache != sheaf->cache ||$/\t\tif (0 \&\& unlikely(!slab || slab->slab_cache != sheaf->cache ||/"
"lane-remote-to-pages@kfree_rcu()'s objects of another node skip the deferred sheaves and their node's barn@test_kfree_rcu_remote_node@kfree_batch.test_kfree_rcu_remote_node@file=mm/slub.c@s/^\tsheaf = pcs->defer_remote\[lane\];/\treturn ERR_PTR(-EXDEV);/"
"lane-rcu-for-srcu@a client's sheaf lane waits for RCU's grace periods whatever the client's domain@test_srcu_sheaves_reader_delays_free@kfree_batch.test_srcu_sheaves_reader_delays_free@s/^\tkb->ops->snapshot(kb, \&now);/\tkfree_batch_rcu_ops.snapshot(kb, \&now);/@s/^\t\t\tif (!kb->ops->poll(kb, \&b->cookie))$/\t\t\tif (!kfree_batch_rcu_ops.poll(kb, \&b->cookie))/@s/^\tkb->ops->call(kb, \&l->gp_head, kfb_lane_gp_done);/\tcall_rcu_hurry(\&l->gp_head, kfb_lane_gp_done);/"
"lane-lease-kept@a destroyed client keeps its sheaf lane@test_lane_lease@kfree_batch.test_lane_lease@s/^\tWRITE_ONCE(kfb_lane_client\[lane\], NULL);/\t;/"
"srcu-client-rcu@kfree_srcu()'s client waits for RCU's grace periods, not its srcu_struct's@test_kfree_srcu_readers@kfree_batch.test_kfree_srcu_readers@file=mm/kfree_srcu.c@s/^\tc->kb.ops = \&kfree_batch_srcu_ops;/\tc->kb.ops = \&kfree_batch_rcu_ops;/"
"srcu-barrier-no-fallback@kfree_srcu_barrier() does not wait for what went to call_srcu() before the client was set up@test_kfree_srcu_readers@kfree_batch.test_kfree_srcu_readers@file=mm/kfree_srcu.c@/^void kfree_srcu_barrier/,/^}/s/^\t\tsrcu_barrier(ssp);/\t\t;/"
"srcu-cleanup-no-fallback@cleanup_srcu_struct() does not wait for what went to call_srcu() without a client@test_kfree_srcu_no_client@kfree_batch.test_kfree_srcu_no_client@file=mm/kfree_srcu.c@/^void kfree_srcu_cleanup/,/^}/s/^\t\tsrcu_barrier(ssp);/\t\t;/"
"nolock-irq-work-idle@kfree_nolock()'s deferred objects wait for a barrier, not for the irq_work@test_kfree_nolock_released@kfree_batch.test_kfree_nolock_*@s/^\tkfb_freed_release(container_of(work, struct kfree_batch_cpu,$/\tif (0) kfb_freed_release(container_of(work, struct kfree_batch_cpu,/"
"nolock-destroy-no-wait@kmem_cache_destroy()'s per-cache barrier does not wait for kfree_nolock()'s deferred objects@test_kfree_nolock_destroy@kfree_batch.test_kfree_nolock_*@s/^\t\t\tkfb_seal_all(kb, s);/\t\t\tif (!(kb->flags \& KFREE_BATCH_FREED))\n\t\t\t\tkfb_seal_all(kb, s);/"
"reuse-ignores-cap@a barn keeps released sheaves beyond MAX_FULL_SHEAVES whatever slab_reuse_kb says@test_reuse_cap@kfree_batch.test_reuse_cap@file=mm/slub.c@s/^\tif (over \&\& atomic_long_add_return(charge, \&slab_reuse_bytes) >$/\tif (0 \&\& atomic_long_add_return(charge, \&slab_reuse_bytes) >/@s/^\t\t    sheaf_reuse_charge(s) > slab_reuse_limit())$/\t\t    sheaf_reuse_charge(s) > slab_reuse_limit() \&\& 0)/"
"reuse-not-given-back@a full sheaf an allocation takes keeps its charge to slab_reuse_kb@test_reuse_cap@kfree_batch.test_reuse_cap@file=mm/slub.c@/^static inline void barn_take_full/,/^}/s/^\t\tatomic_long_sub(sheaf_reuse_charge(sheaf->cache),/\t\tatomic_long_sub(0 * sheaf_reuse_charge(sheaf->cache),/"
"reuse-no-shrinker@the slab-reuse shrinker leaves the kept sheaves in the barns@test_reuse_shrinker@kfree_batch.test_reuse_shrinker@file=mm/slub.c@s/^\t\t\t\tbytes += barn_trim_reuse(s, barn);/\t\t\t\tbytes += 0;/"
)

restore() { git -C "$tree" checkout -q -- "${files[@]}"; }
trap restore EXIT
restore

# The unmutated suite first: every later red run is measured against it.
echo "  MUTANT  baseline: the unmutated suite"
if ! "$KFB_ROOT/harness/kunit.sh" x86_64 plain > "$rep/mutant-baseline.log" 2>&1; then
	grep -E 'KUNIT' "$rep/mutant-baseline.log" | tail -n 20
	echo "  MUTANT  baseline: the unmutated suite is not green (log $rep/mutant-baseline.log): no mutant is judged"
	echo "0 1" > "$rep/mutants.result"
	echo "mutants: 0 passed, 1 failed"
	exit 1
fi
echo "  MUTANT  baseline: green ($(tail -n 1 "$rep/mutant-baseline.log" | sed 's/^ *KUNIT *//'))"

caught=0 errors=0
for m in "${mutants[@]}"; do
	IFS='@' read -r -a parts <<<"$m"
	name=${parts[0]} what=${parts[1]} expect=${parts[2]} filter=${parts[3]}
	# MUTANTS="name ..." runs only those (rerun one that failed).
	[ -n "${MUTANTS:-}" ] && [[ " $MUTANTS " != *" $name "* ]] && continue
	restore
	stale="" mf=$f
	for expr in "${parts[@]:4}"; do
		if [[ $expr == file=* ]]; then
			mf=${expr#file=}
			continue
		fi
		before=$(md5sum < "$tree/$mf")
		sed -i "$expr" "$tree/$mf"
		[ "$(md5sum < "$tree/$mf")" = "$before" ] && stale="$stale [$mf: $expr]"
	done
	if [ -n "$stale" ]; then
		echo "  MUTANT  $name: ERROR: an expression matches nothing (update harness/mutants.sh):$stale"
		errors=$((errors + 1))
		continue
	fi
	echo "  MUTANT  $name: $what"
	rm -f "$json"
	"$KFB_ROOT/harness/kunit.sh" x86_64 plain ${filter:+"$filter"} > "$rep/mutant-$name.log" 2>&1
	if [ ! -s "$json" ]; then
		echo "  MUTANT  $name: ERROR: no results (build or boot failure, or timeout; log $rep/mutant-$name.log)"
		errors=$((errors + 1))
		continue
	fi
	failed=$(python3 "$KFB_ROOT/harness/kunit-result.py" --failed "$json")
	ran=$(tail -n 1 "$rep/kunit-x86_64-plain.cases" 2>/dev/null)
	if [ -z "$failed" ]; then
		if [ "${ran:-0 0}" = "0 0" ]; then
			echo "  MUTANT  $name: ERROR: no case ran (log $rep/mutant-$name.log)"
		else
			echo "  MUTANT  $name: NOT caught: no case failed"
		fi
		errors=$((errors + 1))
		continue
	fi
	hit=""
	while read -r c; do
		# shellcheck disable=SC2053 # $expect is a glob
		[[ ${c%% *} == $expect ]] && hit="$hit ${c}"
	done <<<"$failed"
	if [ -n "$hit" ]; then
		set -- $hit
		if [ $# -gt 6 ]; then
			echo "  MUTANT  $name: caught by ${*:1:6} (and $(($# - 6)) more cases)"
		else
			echo "  MUTANT  $name: caught by $*"
		fi
		caught=$((caught + 1))
	else
		echo "  MUTANT  $name: ERROR: only cases that should not reach it failed: $(echo $failed) (expected $expect)"
		errors=$((errors + 1))
	fi
done
restore
echo "$caught $errors" > "$rep/mutants.result"
echo "mutants: $caught passed, $errors failed"
[ "$errors" -eq 0 ]
