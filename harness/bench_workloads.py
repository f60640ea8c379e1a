# SPDX-License-Identifier: GPL-2.0
"""The benchmark's workloads, their metrics and goals, and the console parser.

A workload is one boot of a benchmark kernel under QEMU.  Its metrics come
from lines "kfree_rcu_bench: metric <name> <value>" that
lib/kfree_rcu_bench.c prints (bench/lib/), and for the rcuscale workloads
also from rcuscale's own summary line.  A metric named "<base>_<x>" by
the C workload <base> becomes "<workload>_<x>", so that variants of one
C workload (mixed-rt, mixed-smp8, ...) keep their figures apart.
"""

import collections
import re

import splats

SIZES = {
    'small': dict(rounds=3, objs=50000, collide_objs=50000, scale_objs=10000,
                  destroy_rounds=50, sparse_objs=150, sparse_gap_us=10000,
                  timeout_ms=10000, rcu_alloc=8000, rcu_loops=10,
                  mem_alloc=20000, mem_loops=40, vmalloc_loops=20000,
                  nolock_objs=25600, srcu_objs=50000),
    'large': dict(rounds=7, objs=400000, collide_objs=200000,
                  scale_objs=50000, destroy_rounds=300, sparse_objs=1000,
                  sparse_gap_us=5000, timeout_ms=20000, rcu_alloc=16000,
                  rcu_loops=40, mem_alloc=50000, mem_loops=200,
                  vmalloc_loops=200000, nolock_objs=102400,
                  srcu_objs=200000),
}

# Rounds of a workload whose rows have no goal (counts only): enough to
# see the spread, fewer boots of a 16-CPU guest.
COUNT_ROUNDS = 3
# Goals are judged only on this many rounds or more.
GOAL_ROUNDS = 7

# kfree_batch expedites no grace period unless asked to: this asks for
# one when a CPU has more than 10000 objects pending.
BACKLOG = 'kfree_batch.backlog=10000 '

Workload = collections.namedtuple(
    'Workload', 'flavour mem smp append base counts_only table what')


def rcuscale(extra='', alloc='{rcu_alloc}', loops='{rcu_loops}'):
    """rcuscale's kfree test (built in; it powers off when done), 4 threads."""
    return ('rcuscale.kfree_rcu_test=1 rcuscale.kfree_nthreads=4 %s'
            'rcuscale.kfree_alloc_num=%s rcuscale.kfree_loops=%s '
            'kfree_rcu_bench.workload=hold' % (extra, alloc, loops))


def bench(workload, params=''):
    """A workload of lib/kfree_rcu_bench.c."""
    return 'kfree_rcu_bench.workload=%s %s' % (workload, params)


def W(append, base, what, flavour='plain', mem=1024, smp=4,
      counts_only=False, table=True):
    return Workload(flavour, mem, smp, append, base, counts_only, table,
                    what)


MIXED = bench('mixed', 'kfree_rcu_bench.objs={objs}')
SPARSE = ('init_on_free=1 ' + bench(
    'sparse', 'kfree_rcu_bench.sparse_objs={sparse_objs} '
    'kfree_rcu_bench.sparse_gap_us={sparse_gap_us} '
    'kfree_rcu_bench.timeout_ms={timeout_ms}'))
DESTROY = bench('destroy', 'kfree_rcu_bench.rounds={destroy_rounds}')

# In table order.  flavour: which pair of kernels (plain, rt, stats).
WORKLOADS = collections.OrderedDict([
    ('rcuscale', W(rcuscale(), 'hold',
                   "the kernel's rcuscale kfree test, 4 threads, then "
                   'kvfree_rcu_barrier()')),
    ('rcuscale-backlog', W(BACKLOG + rcuscale(), 'hold',
                           'rcuscale with kfree_batch.backlog=10000 '
                           '(expedited grace periods for a backlog)')),
    ('mixed', W(MIXED, 'mixed',
                'one thread per CPU floods kfree_rcu() over 4 named caches '
                'and 4 kmalloc sizes, then kvfree_rcu_barrier()')),
    ('mixed-backlog', W(BACKLOG + MIXED, 'mixed',
                        'mixed with kfree_batch.backlog=10000')),
    ('collide', W(bench('collide', 'kfree_rcu_bench.objs={collide_objs}'),
                  'collide',
                  'the flood over 8 named caches interleaved on each CPU, '
                  'at least 5 of which would share one set of a 16-slot, '
                  "4-way per-cache table (such a table's worst case)")),
    ('enqueue', W(bench('enqueue', 'kfree_rcu_bench.objs={objs}'), 'enqueue',
                  'ns per kfree_rcu() call, 1 thread then 1 per CPU, in '
                  'allocation order then shuffled (512-object chunks)')),
    ('destroy', W(DESTROY, 'destroy',
                  'create a cache, kfree_rcu() 8 objects, destroy it, while '
                  'another CPU floods another cache; at boot, where RCU '
                  'expedites synchronize_rcu() (the barrier\'s wait on the '
                  'patched kernel) but not call_rcu() (7.3\'s)')),
    ('destroy-normal', W('rcupdate.rcu_normal=1 ' + DESTROY, 'destroy',
                         'destroy with rcupdate.rcu_normal=1: no expedited '
                         'grace periods on either kernel')),
    ('sparse', W(SPARSE, 'sparse',
                 'one object every sparse_gap_us: time from kfree_rcu() to '
                 'the release, over the released objects')),
    ('sparse-fill', W(SPARSE.replace('sparse_objs=', 'fill=1 '
                                     'kfree_rcu_bench.sparse_objs='),
                      'sparse',
                      'sparse, then unwatched objects at the same rate '
                      'until every watched one is released (both kernels '
                      'fill their batches)')),
    ('idle', W('init_on_free=1 ' +
               bench('idle', 'kfree_rcu_bench.timeout_ms={timeout_ms}'),
               'idle',
               '4 kfree_rcu() calls on each CPU but one, which then idle: '
               'releases, and IPIs to the idle CPUs')),
    ('smallmem', W(rcuscale('rcuscale.kfree_mult=2 ', '{mem_alloc}',
                            '{mem_loops}'), 'hold',
                   'rcuscale with kfree_mult=2 and long loops in a 512 MB '
                   'VM', mem=512)),
    ('nolock', W(bench('nolock', 'kfree_rcu_bench.objs={nolock_objs}'),
                 'nolock',
                 'one thread per CPU: 256 allocations from a cache without '
                 'sheaves, then 256 kfree_nolock() with interrupts off, '
                 'which all defer to the irq_work')),
    ('srcu', W(bench('srcu', 'kfree_rcu_bench.objs={srcu_objs}'), 'srcu',
               'one thread per CPU frees objects after a grace period of '
               'one srcu_struct (kfree_srcu(); call_srcu() with a free-only '
               'callback on 7.3), then the barrier')),
    ('mixed-rt', W(MIXED, 'mixed', 'mixed on PREEMPT_RT builds of both '
                   'kernels', flavour='rt')),
    ('rcuscale-stats', W(rcuscale(), 'hold', 'rcuscale on CONFIG_SLUB_STATS '
                         'builds: where objects went', flavour='stats')),
    ('mixed-stats', W(MIXED, 'mixed', 'mixed on CONFIG_SLUB_STATS builds',
                      flavour='stats')),
    ('mixed-smp8', W(bench('mixed', 'kfree_rcu_bench.objs={scale_objs}'),
                     'mixed', 'mixed at -smp 8, counts only', smp=8,
                     counts_only=True)),
    ('mixed-smp16', W(bench('mixed', 'kfree_rcu_bench.objs={scale_objs}'),
                      'mixed', 'mixed at -smp 16, counts only', smp=16,
                      counts_only=True)),
    # Not in the table: mixed that also times allocations and kfree_rcu()
    # calls apart (the clock reads slow the flood down).
    ('mixed-timed', W(MIXED + ' kfree_rcu_bench.timed=1', 'mixed',
                      'mixed, timing allocations and calls apart',
                      table=False)),
    # Not in the table: make check runs them on the patched kernel.
    ('rcuscale-single', W(rcuscale('rcuscale.kfree_rcu_test_single=1 '),
                          'hold', 'rcuscale, kfree_rcu_mightsleep() only',
                          table=False)),
    ('rcuscale-double', W(rcuscale('rcuscale.kfree_rcu_test_double=1 '),
                          'hold', 'rcuscale, kfree_rcu() only',
                          table=False)),
    # lib/test_vmalloc.c's kvfree_rcu() cases (built in, a late initcall).
    ('vmalloc', W('test_vmalloc.run_test_mask=768 test_vmalloc.nr_threads=4 '
                  'test_vmalloc.test_loop_count={vmalloc_loops} ' +
                  bench('barrier'), 'barrier', "test_vmalloc's kvfree_rcu "
                  'cases', table=False)),
])

TABLE_WORKLOADS = [w for w, s in WORKLOADS.items() if s.table]
# SIZE=small (what `make` runs) leaves out the PREEMPT_RT and SLUB_STATS
# kernels and the 8- and 16-CPU guests: they would double its time.
SMALL_WORKLOADS = [w for w in TABLE_WORKLOADS
                   if WORKLOADS[w].flavour == 'plain' and
                   WORKLOADS[w].smp == 4]

# Metrics of a counts-only workload: figures that an overcommitted host
# (16 vCPUs on fewer cores) does not distort.
COUNT_METRICS = ('gps', 'exp_gps', 'ipis', 'cbs_per_mfree', 'freed_alone',
                 'objs_per_release_x100', 'pages_per_kobj_x100',
                 'held_peak_kb', 'storage_peak_kb', 'alloc_fails')

# metric: (goal, one line of explanation).  Goals: "<= x" or ">= x" on
# the ratio of the medians (patched/stock), "patched = 0" on the worst
# round, "patched >= x" on the worst round; "" for figures without a goal.
# Metrics that a run prints and this list lacks are still in the table,
# after these, without a goal.
METRICS = [
    ('rcuscale_total_ms', '<= 0.8',
     'rcuscale: time of the kfree test plus the final kvfree_rcu_barrier()'),
    ('rcuscale_time_ms', '', "rcuscale: its own time (before the barrier)"),
    ('rcuscale_barrier_ms', '', 'rcuscale: the final kvfree_rcu_barrier()'),
    ('rcuscale_gps', '<= 1.0', "rcuscale: normal grace periods "
     "(rcuscale's count)"),
    ('rcuscale_exp_gps', '', 'rcuscale: expedited grace periods, boot to '
     'barrier'),
    ('rcuscale_ipis', '', 'rcuscale: function-call IPIs, boot to barrier'),
    ('rcuscale_held_peak_kb', '<= 1.0',
     'rcuscale: peak memory held for deferred frees (slab + storage), '
     'over the slab left once every cache is shrunk'),
    ('rcuscale_cached_kb', '', 'rcuscale: slab memory that shrinking every '
     "cache's sheaves and barns gave back at the end"),
    ('rcuscale_storage_peak_kb', '',
     'rcuscale: peak deferred-free storage (sheaves, pages of pointers, '
     'batch pages with reserve)'),
    ('rcuscale_free_drop_kb', '', 'rcuscale: deepest drop of free memory'),
    ('rcuscale_mem_mb', '', "rcuscale: its own footprint figure"),
    ('rcuscale_objs_per_release_x100', '', 'rcuscale: objects per release'),
    ('rcuscale-backlog_total_ms', '', 'rcuscale, backlog=10000: '
     'time incl. barrier'),
    ('rcuscale-backlog_gps', '', 'rcuscale, backlog=10000: '
     'normal grace periods'),
    ('rcuscale-backlog_exp_gps', '', 'rcuscale, backlog=10000: '
     'expedited grace periods'),
    ('rcuscale-backlog_held_peak_kb', '', 'rcuscale, backlog=10000: '
     'peak memory held'),
    ('mixed_cpu_ns_per_obj', '<= 0.8',
     'mixed: busy CPU time of all CPUs per object, flood to end of barrier'),
    ('mixed_flood_cpu_ns_per_obj', '', "mixed: the flooders' own CPU time "
     'per object'),
    ('mixed_release_cpu_ns_per_obj', '', 'mixed: CPU time outside the '
     'flooders per object'),
    ('mixed_irq_ns_per_obj', '', 'mixed: of which in hard interrupts'),
    ('mixed_softirq_ns_per_obj', '', 'mixed: of which in softirqs'),
    ('mixed_time_ms', '', 'mixed: flood + kvfree_rcu_barrier()'),
    ('mixed_barrier_ms', '', 'mixed: the final kvfree_rcu_barrier()'),
    ('mixed_gps', '', 'mixed: normal grace periods'),
    ('mixed_exp_gps', '', 'mixed: expedited grace periods'),
    ('mixed_ipis', '', 'mixed: function-call IPIs'),
    ('mixed_cbs_per_mfree', '', 'mixed: call_rcu() callbacks per million '
     'frees'),
    ('mixed_objs_per_release_x100', '', 'mixed: objects per release'),
    ('mixed_pages_per_kobj_x100', '', 'mixed: storage allocated, pages per '
     '1000 objects'),
    ('mixed_held_peak_kb', '<= 1.0', 'mixed: peak memory held for deferred '
     'frees, over the slab left once every cache is shrunk'),
    ('mixed_cached_kb', '', "mixed: slab memory that shrinking every cache's "
     'sheaves and barns gave back at the end'),
    ('mixed_storage_peak_kb', '', 'mixed: peak deferred-free storage'),
    ('mixed_free_drop_kb', '', 'mixed: deepest drop of free memory'),
    ('mixed-backlog_cpu_ns_per_obj', '', 'mixed, backlog=10000: '
     'busy CPU per object'),
    ('mixed-backlog_exp_gps', '', 'mixed, backlog=10000: '
     'expedited grace periods'),
    ('mixed-backlog_held_peak_kb', '', 'mixed, backlog=10000: '
     'peak memory held'),
    ('collide_objs_per_release_x100', 'patched >= 100',
     'colliding caches: objects per release (bulk free or sheaf)'),
    ('collide_pages_per_kobj_x100', '', 'colliding caches: storage '
     'allocated, pages per 1000 objects'),
    ('collide_cpu_ns_per_obj', '', 'colliding caches: busy CPU per object'),
    ('enqueue_1t_ns', '<= 0.9', 'enqueue, 1 thread, in order: median chunk, '
     'ns per call'),
    ('enqueue_1t_mean_ns', '<= 0.9', 'enqueue, 1 thread, in order: mean'),
    ('enqueue_nt_ns', '<= 0.9', 'enqueue, 1 thread per CPU, in order: '
     'median chunk'),
    ('enqueue_nt_mean_ns', '<= 0.9', 'enqueue, 1 thread per CPU, in order: '
     'mean'),
    ('enqueue_shuf_1t_ns', '<= 0.9', 'enqueue, 1 thread, shuffled: median '
     'chunk'),
    ('enqueue_shuf_1t_mean_ns', '<= 0.9', 'enqueue, 1 thread, shuffled: '
     'mean'),
    ('enqueue_shuf_nt_ns', '<= 0.9', 'enqueue, 1 thread per CPU, shuffled: '
     'median chunk'),
    ('enqueue_shuf_nt_mean_ns', '<= 0.9', 'enqueue, 1 thread per CPU, '
     'shuffled: mean'),
    ('destroy-normal_median_us', '<= 0.2',
     'kmem_cache_destroy() under a flood, rcu_normal=1: median'),
    ('destroy-normal_p99_us', '', 'the same, 99th percentile'),
    ('destroy-normal_barrier_median_us', '',
     'kvfree_rcu_barrier_on_cache() alone, rcu_normal=1'),
    ('destroy-normal_exp_gps', '', 'destroy rounds, rcu_normal=1: expedited '
     'grace periods'),
    ('destroy_median_us', '', 'kmem_cache_destroy() under a flood: median'),
    ('destroy_p99_us', '', 'the same, 99th percentile'),
    ('destroy_barrier_median_us', '', 'kvfree_rcu_barrier_on_cache() alone'),
    ('destroy_exp_gps', '', 'destroy rounds: expedited grace periods'),
    ('destroy_ipis', '', 'destroy rounds: function-call IPIs'),
    ('destroy_gp_us', '', 'synchronize_rcu() under the same flood'),
    ('destroy_gp_exp_us', '', 'synchronize_rcu_expedited() under the flood'),
    ('sparse_median_ms', '<= 1.0', 'sparse: kfree_rcu() to release, median '
     'of the released'),
    ('sparse_p99_ms', '', 'sparse: 99th percentile of the released'),
    ('sparse_unreleased', 'patched = 0', 'sparse: objects not released '
     'before the cap'),
    ('sparse-fill_median_ms', '<= 1.0', 'sparse-fill: median of the '
     'released'),
    ('sparse-fill_p99_ms', '', 'sparse-fill: 99th percentile'),
    ('sparse-fill_unreleased', 'patched = 0', 'sparse-fill: objects not '
     'released before the cap'),
    ('idle_max_ms', '', 'idle CPUs: longest time to release, of the '
     'released'),
    ('idle_unreleased', 'patched = 0', 'idle CPUs: objects never released'),
    ('idle_ipis', '', 'idle CPUs: function-call IPIs they received while '
     'their objects were pending'),
    ('idle_steady_ipis', 'patched = 0', 'idle CPUs: IPIs they received in '
     'steady state (2 s after the releases)'),
    ('smallmem_oom', 'patched = 0', '512 MB: OOM reports'),
    ('smallmem_held_peak_kb', '<= 1.0', '512 MB: peak memory held for '
     'deferred frees'),
    ('smallmem_storage_peak_kb', '', '512 MB: peak deferred-free storage'),
    ('smallmem_free_drop_kb', '', '512 MB: deepest drop of free memory'),
    ('smallmem_total_ms', '', '512 MB: time incl. the final barrier'),
    ('nolock_release_ns', '<= 1.0', 'nolock: interrupts on to the end of '
     "the irq_work's release, median chunk, ns per object"),
    ('nolock_call_ns', '', 'nolock: kfree_nolock() calls, median chunk, ns '
     'per call'),
    ('nolock_total_ns', '', 'nolock: calls and release, ns per object'),
    ('nolock_cpu_ns_per_obj', '', 'nolock: busy CPU time of all CPUs per '
     'object, mostly the allocations (a cache without sheaves: each one '
     "takes the node's list lock)"),
    ('srcu_time_ms', '', 'srcu: flood + barrier'),
    ('srcu_barrier_ms', '', 'srcu: the final barrier'),
    ('srcu_cpu_ns_per_obj', '', 'srcu: busy CPU time of all CPUs per '
     'object, flood to end of barrier'),
    ('srcu_flood_cpu_ns_per_obj', '', "srcu: the flooders' own CPU time "
     'per object'),
    ('srcu_release_cpu_ns_per_obj', '', 'srcu: CPU time outside the '
     'flooders per object'),
    ('srcu_held_peak_kb', '', 'srcu: peak memory held for deferred frees'),
    ('mixed-rt_cpu_ns_per_obj', '<= 0.7', 'PREEMPT_RT mixed: busy CPU per '
     'object'),
    ('mixed-rt_release_cpu_ns_per_obj', '', 'PREEMPT_RT mixed: CPU outside '
     'the flooders per object'),
    ('mixed-rt_time_ms', '', 'PREEMPT_RT mixed: run time'),
    ('mixed-rt_cbs_per_mfree', '', 'PREEMPT_RT mixed: callbacks per million '
     'frees'),
    ('rcuscale-stats_slab_frees_pm', '<= 0.5',
     'rcuscale, SLUB_STATS: objects freed to slabs per 1000 allocated'),
    ('rcuscale-stats_slab_refills_pm', '<= 0.5',
     'rcuscale, SLUB_STATS: objects sheaves took from slabs per 1000'),
    ('rcuscale-stats_barn_sheaves', '', 'rcuscale, SLUB_STATS: full sheaves '
     'put in a barn'),
    ('mixed-stats_slab_frees_pm', '<= 0.5',
     'mixed, SLUB_STATS: objects freed to slabs per 1000 allocated'),
    ('mixed-stats_slab_refills_pm', '<= 0.5',
     'mixed, SLUB_STATS: objects sheaves took from slabs per 1000'),
    ('mixed-stats_barn_sheaves', '', 'mixed, SLUB_STATS: full sheaves put '
     'in a barn'),
]

# Why a goal is missed, from the figures of the same run (SLUB_STATS
# rows, storage and IPI counts).  RESULTS.md prints the reason beside
# every goal a run misses; a missed goal without one says so.
REASONS = {
    'rcuscale_held_peak_kb':
    "not storage (rcuscale_storage_peak_kb: sheaves against 7.3's pages "
    "of pointers) but pending objects and released whole sheaves that the "
    "barns keep for reuse within slab_reuse_kb (rcuscale_cached_kb: what "
    "the final shrink gave back).  The peak varies widely between rounds "
    "(its 95% CI).",
    'smallmem_held_peak_kb':
    "not analysed: the storage is a small part (smallmem_storage_peak_kb), "
    "so the rest is pending objects or released sheaves kept in the barns; "
    "the interval is wide.",
    'rcuscale_total_ms':
    "rcuscale's time is its kfree_rcu() flood (rcuscale_time_ms), and a "
    "kfree_rcu() costs about what 7.3's does (enqueue_1t_ns); the final "
    "barrier is shorter (rcuscale_barrier_ms).",
    'mixed_cpu_ns_per_obj':
    "the flooders' own time is not lower (mixed_flood_cpu_ns_per_obj): a "
    "kfree_rcu() costs about what 7.3's does (enqueue_1t_ns), and each "
    "sheaf sealed takes a full cookie and the lane's raw lock; the release "
    "costs less than 7.3's (mixed_release_cpu_ns_per_obj).",
    'mixed-rt_cpu_ns_per_obj':
    "the release costs less than half of 7.3's "
    "(mixed-rt_release_cpu_ns_per_obj) but the flooders' own time, the "
    "larger part, is not lower (mixed-rt_flood_cpu_ns_per_obj), as on !RT "
    "(mixed_cpu_ns_per_obj).",
    'enqueue_1t_ns':
    "both kernels store into the cache's per-CPU sheaf under the CPU's "
    "trylock of it, which is all 7.3's kfree_rcu() does; kfree_rcu() "
    "reaches the sheaf through one more call (kfree_batch's add), checks "
    "that the pointer is in the linear map and counts the add per CPU.  "
    "In order and shuffled cost the same.",
    'enqueue_1t_mean_ns':
    "as enqueue_1t_ns; the mean also counts sheaf seals (a full cookie, "
    "the lane's raw lock) and the release work that runs on the same CPU, "
    "and varies widely between rounds (its 95% CI).",
    'enqueue_nt_ns': "as enqueue_1t_ns.",
    'enqueue_nt_mean_ns': "as enqueue_1t_mean_ns.",
    'enqueue_shuf_1t_ns': "as enqueue_1t_ns.",
    'enqueue_shuf_1t_mean_ns': "as enqueue_1t_mean_ns.",
    'enqueue_shuf_nt_ns': "as enqueue_1t_ns.",
    'enqueue_shuf_nt_mean_ns': "as enqueue_1t_mean_ns.",
    'destroy-normal_median_us':
    "with normal grace periods the per-cache barrier waits for one "
    "(destroy-normal_gp_us, as long as 7.3's): 0.2x of 7.3's destroy is "
    "below one normal grace period under this flood.",
    'sparse_median_ms':
    "a batch waits up to kfree_batch.seal_ms (1 s) for company before its "
    "grace period starts; 7.3's sheaf of this cache fills in 28 frees.",
    'sparse-fill_median_ms': "as sparse_median_ms.",
    'idle_steady_ipis':
    "most are the clocksource watchdog, which under TCG reads the TSC of "
    "other CPUs by function call, on both kernels: booted with "
    "tsc=reliable (no watchdog), two boots each gave stock 0 and 0, "
    "patched 0 and 1.  That one IPI is not attributed yet.  The deferred "
    "sheaves' seal and release works are queued on their own CPU, from "
    "its timer or its grace-period callback.",
    'rcuscale-stats_slab_frees_pm':
    "the barns keep released sheaves beyond MAX_FULL_SHEAVES only within "
    "slab_reuse_kb (1/256 of memory: 4 MiB in the 1 GB VM); what a grace "
    "period releases beyond that goes to the slabs, and the allocations "
    "after it refill from them.",
    'rcuscale-stats_slab_refills_pm': "as rcuscale-stats_slab_frees_pm.",
    'mixed-stats_slab_frees_pm':
    "as rcuscale-stats_slab_frees_pm: the mixed flood releases eight caches "
    "of objects up to 1000 bytes, more than slab_reuse_kb per grace period "
    "(full sheaves put in a barn: mixed-stats_barn_sheaves).",
    'mixed-stats_slab_refills_pm': "as mixed-stats_slab_frees_pm.",
}

# The splats of harness/splats.py, and a cache destroyed with objects left.
SPLAT = re.compile(splats.SPLAT.pattern + r'|still has objects')
RCUSCALE = re.compile(r"Total time taken by all kfree'ers: (\d+) ns, "
                      r"loops: \d+, batches: (-?\d+), "
                      r"memory footprint: (-?\d+)MB")


def parse(workload, text):
    """The metrics of one boot's console, and '_'-prefixed facts."""
    spec = WORKLOADS[workload]
    m = {}
    for k, v in re.findall(r'kfree_rcu_bench: metric (\S+) (-?\d+|cap)\b',
                           text):
        if k.startswith(spec.base + '_'):
            k = workload + k[len(spec.base):]
        m[k] = v if v == 'cap' else int(v)
    r = RCUSCALE.search(text)
    if r and spec.base == 'hold':
        m[workload + '_time_ms'] = int(r.group(1)) // 1000000
        m[workload + '_gps'] = int(r.group(2))
        m[workload + '_mem_mb'] = int(r.group(3))
        if workload + '_barrier_ms' in m:
            m[workload + '_total_ms'] = (m[workload + '_time_ms'] +
                                         m[workload + '_barrier_ms'])
    if spec.mem < 1024:
        m[workload + '_oom'] = len(re.findall(r'Out of memory|oom-kill',
                                              text))
    for name, ok, bad in re.findall(
            r'Summary: (\S+) passed: (\d+) failed: (\d+)', text):
        m['vmalloc_' + name] = int(ok) if not int(bad) else -int(bad)
    if spec.counts_only:
        m = {k: v for k, v in m.items()
             if k[len(workload) + 1:] in COUNT_METRICS}
    kb = re.search(r'kfree_batch kvfree_rcu: (.*)', text)
    if kb:
        m['_kfree_batch'] = kb.group(1).strip()
    m['_splats'] = len([ln for ln in text.splitlines() if SPLAT.search(ln)])
    m['_done'] = int('kfree_rcu_bench: done' in text or r is not None)
    if workload == 'vmalloc' and not all(
            m.get('vmalloc_kvfree_rcu_%d_arg_vmalloc_test' % i, 0) > 0
            for i in (1, 2)):
        m['_done'] = 0
    return m
