// SPDX-License-Identifier: GPL-2.0
/*
 * kfree_rcu_bench: boot-time kfree_rcu() workloads that compare kernels.
 *
 * Boot with kfree_rcu_bench.workload=<name>.  The workload runs from a late
 * initcall (the sync level, after every other test built in with a late
 * initcall), before the kernel looks for a root file system, prints lines
 *
 *	kfree_rcu_bench: metric <name> <value>
 *
 * then "kfree_rcu_bench: done", and powers the machine off.  With
 * workload=hold the initcall only waits, so that a test started by another
 * built-in module (rcuscale's kfree test) finishes and powers off first;
 * from a subsys initcall, before that test starts, it watches memory and
 * counts, and at power-off it times kvfree_rcu_barrier() and prints the
 * figures as "metric hold_<name>".
 *
 * Only kfree_rcu(), the slab API, kvfree_rcu_barrier() and the polled RCU
 * API are used by the workloads, so the same file measures any kernel: the
 * kfree_batch harness builds it into stock 7.3 and into 7.3 with the
 * series.  What each kernel keeps for deferred frees is read where that
 * kernel keeps it: kfree_batch's counters, or on stock 7.3 the counters
 * that the benchmark's stock-only commit adds to the rcu_free sheaves and
 * the kvfree_rcu() pages of pointers.
 *
 * Workloads:
 *   mixed    one thread per CPU floods kfree_rcu() over four named caches
 *            and four kmalloc sizes, interleaved; with timed=1 also ns per
 *            allocation and per kfree_rcu() call
 *   collide  the same flood over eight named caches of which at least five
 *            would share one set of a 16-slot, 4-way per-cache table
 *   enqueue  nanoseconds per kfree_rcu() call, one thread, then one per CPU,
 *            freeing in allocation order, then in shuffled order
 *   destroy  kmem_cache_destroy() of a cache with a few kfree_rcu()'d
 *            objects while another thread floods a different cache
 *   sparse   one object every sparse_gap_us: time from kfree_rcu() to the
 *            object's release, and objects released together; with fill=1
 *            unwatched objects follow at the same rate until the watched
 *            ones are released
 *   idle     a few kfree_rcu() calls on every CPU but one, which then go
 *            idle: time until every object is released, and the IPIs that
 *            reach the idle CPUs
 *   barrier  only kvfree_rcu_barrier(), after the tests that ran before
 *            (lib/test_vmalloc.c's kvfree_rcu cases, for example)
 *
 * "sparse" and "idle" see an object's release through init_on_free=1: the
 * release zeroes the object, and with it a canary at its end that no
 * deferred-free path touches before the release.
 */

#define pr_fmt(fmt) "kfree_rcu_bench: " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/reboot.h>
#include <linux/sched/cputime.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/srcu.h>
#include <linux/kernel_stat.h>
#include <linux/vmstat.h>
#include <asm/hardirq.h>

/*
 * On a kernel with kfree_batch, kfree_rcu() is its client kvfree_rcu_batch:
 * its counters say what it holds and how it releases.
 */
#if __has_include(<linux/kfree_batch.h>)
#include <linux/kfree_batch.h>
#include <linux/kfree_srcu.h>
#define HAVE_KFREE_BATCH
extern struct kfree_batch kvfree_rcu_batch;
#else
/*
 * Stock 7.3, from the benchmark's stock-only commit: bytes of rcu_free
 * sheaves in use for kfree_rcu(), pages of pointers held, bytes allocated
 * for either, bulk releases (a sheaf, a kfree_bulk()) and the objects they
 * released, and objects freed one at a time.
 */
enum {
	KFRB_SHEAF_BYTES,
	KFRB_KRC_PAGES,
	KFRB_ALLOC_BYTES,
	KFRB_RELEASES,
	KFRB_RELEASED,
	KFRB_ALONE,
	KFRB_NR,
};

extern atomic_long_t kfree_rcu_bench_stock[KFRB_NR];
#endif

/* As a 16-slot, 4-way per-cache table picks a set: these caches collide. */
#define BENCH_SLOT_SETS	4

/* Counted in __call_rcu_common() by this benchmark's patch to RCU. */
DECLARE_PER_CPU(unsigned long, kfree_rcu_bench_ncbs);
/* kernel/rcu/tree.c: the normal and expedited grace-period sequences. */
unsigned long rcu_get_gp_seq(void);
unsigned long rcu_exp_batches_completed(void);

static char *workload = "";
module_param(workload, charp, 0444);
MODULE_PARM_DESC(workload, "mixed, collide, enqueue, destroy, sparse, idle, barrier, nolock, srcu or hold");

static unsigned int objs = 50000;
module_param(objs, uint, 0444);
MODULE_PARM_DESC(objs, "objects per thread (mixed, collide, enqueue)");

static unsigned int rounds = 50;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "kmem_cache_destroy() calls (destroy)");

static unsigned int sparse_objs = 150;
module_param(sparse_objs, uint, 0444);
MODULE_PARM_DESC(sparse_objs, "objects freed at a low rate (sparse)");

static unsigned int sparse_gap_us = 10000;
module_param(sparse_gap_us, uint, 0444);
MODULE_PARM_DESC(sparse_gap_us, "microseconds between two frees (sparse)");

static bool fill;
module_param(fill, bool, 0444);
MODULE_PARM_DESC(fill, "sparse: keep freeing unwatched objects until the watched ones are released");

static unsigned int idle_objs = 4;
module_param(idle_objs, uint, 0444);
MODULE_PARM_DESC(idle_objs, "objects freed by each CPU before it idles (idle)");

static unsigned int steady_ms = 2000;
module_param(steady_ms, uint, 0444);
MODULE_PARM_DESC(steady_ms, "idle: window after the releases in which IPIs are counted");

static unsigned int timeout_ms = 10000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "longest wait for a release (sparse, idle)");

static bool shutdown = true;
module_param(shutdown, bool, 0444);
MODULE_PARM_DESC(shutdown, "power off when the workload is done");

static bool timed;
module_param(timed, bool, 0444);
MODULE_PARM_DESC(timed, "mixed: also time allocations and kfree_rcu() calls apart");

#define BENCH_OBJ_SIZE	256
#define BENCH_MAGIC	0x6b667265655f7263ULL	/* "kfree_rc" */
#define ENQ_CHUNK	512

struct bench_obj {
	struct rcu_head rh;
	u64 data[];
};

static void metric(const char *name, s64 value)
{
	pr_info("metric %s %lld\n", name, value);
}

/* A figure with no value below the cap: nothing was released. */
static void metric_cap(const char *name)
{
	pr_info("metric %s cap\n", name);
}

static void metricf(const char *w, const char *name, s64 value)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s_%s", w, name);
	metric(buf, value);
}

/* ------------------------------------------------------------------ */
/* What a kernel keeps for deferred frees, and how it releases them.   */

struct bench_store {
	unsigned long held;		/* bytes of storage now */
	unsigned long held_nonslab;	/* of which outside slab memory */
	unsigned long alloc;		/* bytes of storage allocated so far */
	unsigned long releases;		/* bulk releases so far */
	unsigned long released;		/* objects they released */
	unsigned long alone;		/* objects freed one at a time */
};

static void bench_store(struct bench_store *st)
{
#ifdef HAVE_KFREE_BATCH
	unsigned long v[KFREE_BATCH_NR_STATS];

	kfree_batch_get_stats(&kvfree_rcu_batch, v);
	/*
	 * Batch pages come from the page allocator, not from slabs.  Taken
	 * on one CPU and freed on another, they are summed without a
	 * snapshot: near zero the sum may dip below it for a moment.
	 */
	st->held = max_t(long, v[KFREE_BATCH_PAGES], 0) * PAGE_SIZE;
	st->held_nonslab = st->held;
	st->alloc = v[KFREE_BATCH_PAGES_ALLOCATED] * PAGE_SIZE;
	/* Fallback objects are freed one at a time (the workloads here
	 * free no vmalloc objects, whose batches are freed one by one). */
	st->releases = v[KFREE_BATCH_BULK_FREES];
	st->alone = v[KFREE_BATCH_FALLBACKS];
	st->released = v[KFREE_BATCH_RELEASED] - st->alone;
#else
	long v[KFRB_NR];
	int i;

	for (i = 0; i < KFRB_NR; i++)
		v[i] = max(atomic_long_read(&kfree_rcu_bench_stock[i]), 0L);
	/* Sheaves are kmalloc()ed: slab memory, already in NR_SLAB_*. */
	st->held_nonslab = v[KFRB_KRC_PAGES] * PAGE_SIZE;
	st->held = v[KFRB_SHEAF_BYTES] + st->held_nonslab;
	st->alloc = v[KFRB_ALLOC_BYTES];
	st->releases = v[KFRB_RELEASES];
	st->released = v[KFRB_RELEASED];
	st->alone = v[KFRB_ALONE];
#endif
}

/* Function-call IPIs received by @cpu (x86: /proc/interrupts' CAL). */
static unsigned long bench_ipis_cpu(int cpu)
{
#if defined(CONFIG_X86) && defined(CONFIG_SMP)
	return READ_ONCE(per_cpu(irq_stat, cpu).counts[IRQ_COUNT_CALL_FUNCTION]);
#else
	return 0;
#endif
}

static unsigned long bench_ipis(void)
{
	unsigned long sum = 0;
	int cpu;

	for_each_online_cpu(cpu)
		sum += bench_ipis_cpu(cpu);
	return sum;
}

static u64 bench_ncbs(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(kfree_rcu_bench_ncbs, cpu);
	return sum;
}

/*
 * Counts over a workload: normal and expedited grace periods, call_rcu()
 * callbacks, function-call IPIs, and the deferred-free releases.  Grace
 * periods from their sequence counters (rcu_state.gp_seq and
 * .expedited_sequence).
 */
struct bench_counts {
	unsigned long gp, exp, ipis;
	u64 cbs;
	struct bench_store st;
};

/*
 * Grace periods that ended between two reads of a sequence: its count
 * above the two state bits steps once as each ends.  Sequences start
 * near their wrap (to catch wrap bugs early), so the arithmetic is
 * modular.
 */
static long gps_ended(unsigned long from, unsigned long to)
{
	return (long)((to & ~3UL) - (from & ~3UL)) / 4;
}

static void counts_take(struct bench_counts *c)
{
	c->gp = rcu_get_gp_seq();
	c->exp = rcu_exp_batches_completed();
	c->ipis = bench_ipis();
	c->cbs = bench_ncbs();
	bench_store(&c->st);
}

/* The counts since @c0 for @total objects freed, as "<w>_<name>" metrics. */
static void counts_report(const char *w, const struct bench_counts *c0,
			  u64 total)
{
	struct bench_counts c;
	unsigned long rel;

	counts_take(&c);
	metricf(w, "gps", gps_ended(c0->gp, c.gp));
	metricf(w, "exp_gps", gps_ended(c0->exp, c.exp));
	metricf(w, "ipis", c.ipis - c0->ipis);
	rel = c.st.releases - c0->st.releases;
	metricf(w, "objs_per_release_x100", rel ?
		div_u64((u64)(c.st.released - c0->st.released) * 100, rel) : 0);
	metricf(w, "freed_alone", c.st.alone - c0->st.alone);
	if (!total)
		return;
	metricf(w, "cbs_per_mfree", div64_u64((c.cbs - c0->cbs) * 1000000, total));
	metricf(w, "pages_per_kobj_x100",
		div64_u64((u64)(c.st.alloc - c0->st.alloc) * 100 * 1000,
			  (u64)total * PAGE_SIZE));
}

/*
 * With CONFIG_SLUB_STATS (rcuscale-stats, mixed-stats), where objects
 * went, from the SLUB counters that this benchmark's patch to mm/slub.c
 * sums over every cache: objects allocated, objects freed to slabs,
 * objects that sheaves took back from slabs, full sheaves put in a barn.
 */
#ifdef CONFIG_SLUB_STATS
void kfree_rcu_bench_slub_stats(unsigned long v[4]);
#else
static void kfree_rcu_bench_slub_stats(unsigned long v[4]) { }
#endif
static unsigned long slub0[4];

static void slub_stats_begin(void)
{
	kfree_rcu_bench_slub_stats(slub0);
}

/* Per 1000 objects allocated meanwhile, and sheaves put in a barn. */
static void slub_stats_end(const char *w)
{
	unsigned long v[4], allocs;

	if (!IS_ENABLED(CONFIG_SLUB_STATS))
		return;
	kfree_rcu_bench_slub_stats(v);
	allocs = max(v[0] - slub0[0], 1UL);
	metricf(w, "slab_frees_pm",
		div_u64((u64)(v[1] - slub0[1]) * 1000, allocs));
	metricf(w, "slab_refills_pm",
		div_u64((u64)(v[2] - slub0[2]) * 1000, allocs));
	metricf(w, "barn_sheaves", v[3] - slub0[3]);
}

/*
 * Time the online CPUs were not idle, summed, in ns.  With
 * CONFIG_IRQ_TIME_ACCOUNTING a task's own runtime leaves out the
 * interrupts and softirqs that ran on its stack, so busy time minus the
 * workload threads' runtime is what the rest of the kernel spent: RCU
 * callbacks, workers, the grace-period kthread.
 */
static u64 bench_idle_ns(void)
{
	u64 sum = 0, t;
	int cpu;

	for_each_online_cpu(cpu) {
		t = get_cpu_idle_time_us(cpu, NULL);
		if (t == (u64)-1)
			return 0;
		sum += t * NSEC_PER_USEC;
	}
	return sum;
}

/* Time in hard interrupts and in softirqs on the online CPUs, in ns. */
static u64 bench_irq_ns(enum cpu_usage_stat which)
{
	u64 sum = 0;
	int cpu;

	for_each_online_cpu(cpu)
		sum += kcpustat_cpu(cpu).cpustat[which];
	return sum;
}

/* ------------------------------------------------------------------ */
/* Memory, sampled every millisecond or so.                            */

/*
 * Memory held for deferred frees, counted the same way on both kernels:
 * slab pages (the objects waiting, and stock's kmalloc()ed sheaves) plus
 * the deferred-free storage outside slab memory (kfree_batch's pages:
 * open, sealed, being released and reserve; stock's pages of pointers
 * and their cache).  Also the deferred-free storage alone, and the drop of
 * free memory.
 */
struct bench_mem {
	struct task_struct *task;
	unsigned long free0, min_free;	/* pages */
	unsigned long max_held;		/* bytes */
	unsigned long max_store;	/* bytes */
};

/*
 * Exact counts: the global counters lag the per-CPU deltas by up to a
 * threshold per CPU (hundreds of KiB on these guests), so add them in.
 */
static unsigned long bench_slab_pages(void)
{
	struct pglist_data *pgdat;
	long pages = 0;
	int cpu;

	for_each_online_pgdat(pgdat) {
		pages += atomic_long_read(&pgdat->vm_stat[NR_SLAB_UNRECLAIMABLE_B]);
		for_each_online_cpu(cpu)
			pages += per_cpu_ptr(pgdat->per_cpu_nodestats, cpu)
				->vm_node_stat_diff[NR_SLAB_UNRECLAIMABLE_B];
	}
	return max(pages, 0L);
}

static unsigned long bench_free_pages(void)
{
	unsigned long pages = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		pages += zone_page_state_snapshot(zone, NR_FREE_PAGES);
	return pages;
}

static unsigned long bench_held(struct bench_store *st)
{
	bench_store(st);
	return bench_slab_pages() * PAGE_SIZE + st->held_nonslab;
}

static void mem_sample(struct bench_mem *m)
{
	struct bench_store st;
	unsigned long nr;

	nr = bench_free_pages();
	if (nr < m->min_free)
		m->min_free = nr;
	nr = bench_held(&st);
	if (nr > m->max_held)
		m->max_held = nr;
	if (st.held > m->max_store)
		m->max_store = st.held;
}

static int mem_thread(void *arg)
{
	struct bench_mem *m = arg;

	while (!kthread_should_stop()) {
		mem_sample(m);
		usleep_range(500, 1000);
	}
	return 0;
}

static void mem_start(struct bench_mem *m)
{
	m->free0 = bench_free_pages();
	m->min_free = m->free0;
	m->max_held = 0;
	m->max_store = 0;
	mem_sample(m);
	m->task = kthread_run(mem_thread, m, "kfrb_mem");
	if (IS_ERR(m->task))
		m->task = NULL;
}

static void mem_stop(struct bench_mem *m)
{
	if (m->task)
		kthread_stop(m->task);
	m->task = NULL;
	mem_sample(m);
}

void kfree_rcu_bench_shrink_all(void);

/*
 * After kvfree_rcu_barrier(), and once every cache's CPU sheaves and
 * barns went back to the slabs (on both kernels; objects that wait in a
 * barn for reuse after a release count as held, not as settled): the peak
 * over the slab memory that stays (deferred-free storage that stays, such
 * as a reserve, is not taken off), what the shrink gave back, the
 * storage's own peak, and the deepest drop of free memory.  It changes
 * the slab counters: after slub_stats_end().
 */
static void mem_report(const char *w, struct bench_mem *m)
{
	unsigned long before, settled;

	before = bench_slab_pages() * PAGE_SIZE;
	kfree_rcu_bench_shrink_all();
	settled = bench_slab_pages() * PAGE_SIZE;
	metricf(w, "cached_kb", before > settled ? (before - settled) / 1024 : 0);
	metricf(w, "held_peak_kb",
		m->max_held > settled ? (m->max_held - settled) / 1024 : 0);
	metricf(w, "storage_peak_kb", m->max_store / 1024);
	metricf(w, "free_drop_kb",
		(m->free0 - m->min_free) * (PAGE_SIZE / 1024));
}

/* ------------------------------------------------------------------ */
/* Threads: one per CPU in a set, started together.                    */

struct bench_thread {
	struct task_struct *task;
	unsigned int cpu;
	u64 runtime_ns;		/* the thread's own CPU time */
	u64 timed_ns;		/* median chunk, ns per call */
	u64 mean_ns;		/* all timed calls, ns per call */
	u64 alloc_ns;		/* median ns per allocation (timed mixed) */
	unsigned long fails;
};

static DECLARE_WAIT_QUEUE_HEAD(bench_go_wq);
static bool bench_go;
static atomic_t bench_running;
static DECLARE_COMPLETION(bench_done);
static bool bench_stop;

static void bench_thread_start(void)
{
	wait_event(bench_go_wq, READ_ONCE(bench_go));
}

static void bench_thread_end(struct bench_thread *t)
{
	t->runtime_ns = task_sched_runtime(current);
	if (atomic_dec_and_test(&bench_running))
		complete(&bench_done);
}

/* Start fn on @n CPUs (the first @n online ones), return the threads. */
static struct bench_thread *bench_run(int (*fn)(void *), unsigned int n)
{
	struct bench_thread *t;
	unsigned int i = 0;
	int cpu;

	t = kcalloc(n, sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	WRITE_ONCE(bench_go, false);
	reinit_completion(&bench_done);
	atomic_set(&bench_running, n);
	for_each_online_cpu(cpu) {
		if (i == n)
			break;
		t[i].cpu = cpu;
		t[i].task = kthread_create_on_cpu(fn, &t[i], cpu, "kfrb/%u");
		if (IS_ERR(t[i].task)) {
			pr_err("cannot create a thread on CPU %d\n", cpu);
			t[i].task = NULL;
			atomic_dec(&bench_running);
		} else {
			wake_up_process(t[i].task);
		}
		i++;
	}
	WRITE_ONCE(bench_go, true);
	wake_up_all(&bench_go_wq);
	return t;
}

static void bench_wait(void)
{
	wait_for_completion(&bench_done);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 pct(u64 *v, unsigned int n, unsigned int p)
{
	return n ? v[min(n - 1, n * p / 100)] : 0;
}

/* ------------------------------------------------------------------ */
/* Floods over several caches: mixed and collide.                      */

#define NKINDS 8
static unsigned int kind_size[NKINDS];
static struct kmem_cache *kind_cache[NKINDS];

static struct bench_obj *kind_alloc(unsigned int k)
{
	if (kind_cache[k])
		return kmem_cache_alloc(kind_cache[k], GFP_KERNEL);
	return kmalloc(kind_size[k], GFP_KERNEL);
}

#define MIX_CHUNK	256

/*
 * With timed=1, each chunk of MIX_CHUNK iterations sums the time of its
 * allocations and of its kfree_rcu() calls; the thread keeps the median
 * chunk of each, in ns per call.
 */
static int flood_kinds_thread(void *arg)
{
	unsigned int i, c = 0, chunks = DIV_ROUND_UP(objs, MIX_CHUNK);
	u64 ta = 0, te = 0, t0, t1, *a_ns = NULL, *e_ns = NULL;
	struct bench_thread *t = arg;
	struct bench_obj *obj;

	if (timed) {
		a_ns = kmalloc_array(chunks, sizeof(*a_ns), GFP_KERNEL);
		e_ns = kmalloc_array(chunks, sizeof(*e_ns), GFP_KERNEL);
	}
	bench_thread_start();
	for (i = 0; i < objs; i++) {
		if (a_ns && e_ns) {
			t0 = ktime_get_ns();
			obj = kind_alloc((i + t->cpu) % NKINDS);
			t1 = ktime_get_ns();
			ta += t1 - t0;
		} else {
			obj = kind_alloc((i + t->cpu) % NKINDS);
		}
		if (!obj) {
			t->fails++;
			continue;
		}
		obj->data[0] = i;
		if (a_ns && e_ns) {
			kfree_rcu(obj, rh);
			te += ktime_get_ns() - t1;
			if (!((i + 1) % MIX_CHUNK)) {
				a_ns[c] = div_u64(ta, MIX_CHUNK);
				e_ns[c++] = div_u64(te, MIX_CHUNK);
				ta = 0;
				te = 0;
			}
		} else {
			kfree_rcu(obj, rh);
		}
		if (!(i % 256))
			cond_resched();
	}
	if (c) {
		sort(a_ns, c, sizeof(*a_ns), cmp_u64, NULL);
		sort(e_ns, c, sizeof(*e_ns), cmp_u64, NULL);
		t->alloc_ns = a_ns[c / 2];
		t->timed_ns = e_ns[c / 2];
	}
	kfree(a_ns);
	kfree(e_ns);
	bench_thread_end(t);
	return 0;
}

/*
 * One thread per CPU floods the kinds, then kvfree_rcu_barrier(): time,
 * CPU (the flooders' own, and all busy time of every CPU from the start
 * of the flood to the end of the barrier), counts and memory.
 */
static void flood_kinds(const char *w)
{
	unsigned int n = num_online_cpus(), i;
	u64 t0, t1, tb, idle, busy, own = 0, total, ta = 0, te = 0;
	u64 hardirq, softirq;
	struct bench_counts c0;
	struct bench_thread *t;
	struct bench_mem mem;
	unsigned long fails = 0;

	mem_start(&mem);
	counts_take(&c0);
	idle = bench_idle_ns();
	hardirq = bench_irq_ns(CPUTIME_IRQ);
	softirq = bench_irq_ns(CPUTIME_SOFTIRQ);
	slub_stats_begin();
	t0 = ktime_get_ns();
	t = bench_run(flood_kinds_thread, n);
	if (!t) {
		mem_stop(&mem);
		return;
	}
	bench_wait();
	tb = ktime_get_ns();
	kvfree_rcu_barrier();
	t1 = ktime_get_ns();
	busy = (t1 - t0) * n - (bench_idle_ns() - idle);
	hardirq = bench_irq_ns(CPUTIME_IRQ) - hardirq;
	softirq = bench_irq_ns(CPUTIME_SOFTIRQ) - softirq;
	mem_stop(&mem);

	for (i = 0; i < n; i++) {
		own += t[i].runtime_ns;
		fails += t[i].fails;
		ta += t[i].alloc_ns;
		te += t[i].timed_ns;
	}
	total = max_t(u64, (u64)n * objs - fails, 1);
	if (timed) {
		metricf(w, "alloc_ns", div_u64(ta, n));
		metricf(w, "enqueue_ns", div_u64(te, n));
	}
	metricf(w, "time_ms", div_u64(t1 - t0, NSEC_PER_MSEC));
	metricf(w, "barrier_ms", div_u64(t1 - tb, NSEC_PER_MSEC));
	metricf(w, "cpu_ns_per_obj", div64_u64(busy, total));
	metricf(w, "flood_cpu_ns_per_obj", div64_u64(own, total));
	metricf(w, "release_cpu_ns_per_obj",
		busy > own ? div64_u64(busy - own, total) : 0);
	metricf(w, "irq_ns_per_obj", div64_u64(hardirq, total));
	metricf(w, "softirq_ns_per_obj", div64_u64(softirq, total));
	metricf(w, "alloc_fails", fails);
	counts_report(w, &c0, total);
	slub_stats_end(w);
	mem_report(w, &mem);
	kfree(t);
}

static void kinds_destroy(void)
{
	unsigned int k;

	for (k = 0; k < NKINDS; k++) {
		kmem_cache_destroy(kind_cache[k]);
		kind_cache[k] = NULL;
	}
}

/* Four named caches and four kmalloc sizes, interleaved. */
static void bench_mixed(void)
{
	static const unsigned int size[NKINDS] = {
		48, 96, 200, 512,	/* named caches */
		32, 128, 256, 1024,	/* kmalloc */
	};
	char name[16];
	unsigned int k;

	memcpy(kind_size, size, sizeof(size));
	for (k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "kfrb_%u", kind_size[k]);
		kind_cache[k] = kmem_cache_create(name, kind_size[k], 0, 0, NULL);
		if (!kind_cache[k])
			goto out;
	}
	flood_kinds("mixed");
out:
	kinds_destroy();
}

/*
 * Eight named caches, at least five of which hash to one of kfree_batch's
 * sets of open-batch slots (hash_ptr() of the cache, as kfb_slot() does),
 * so that more caches than a set has ways are used in turn on each CPU.
 * The same rule picks them on stock 7.3, where no set exists.
 */
#define COLLIDE_CANDIDATES	64
#define COLLIDE_SAME		5

static void bench_collide(void)
{
	struct kmem_cache *cand[COLLIDE_CANDIDATES] = { };
	unsigned int per_set[BENCH_SLOT_SETS] = { };
	unsigned int i, k = 0, set, best = 0, same = 0;
	char name[16];

	for (i = 0; i < COLLIDE_CANDIDATES; i++) {
		snprintf(name, sizeof(name), "kfrb_c%02u", i);
		cand[i] = kmem_cache_create(name, 64, 0, SLAB_NO_MERGE, NULL);
		if (!cand[i])
			goto out;
		set = hash_ptr(cand[i], ilog2(BENCH_SLOT_SETS));
		if (++per_set[set] > per_set[best])
			best = set;
	}
	/* COLLIDE_SAME of the largest set, then others to make eight. */
	for (i = 0; i < COLLIDE_CANDIDATES && k < COLLIDE_SAME; i++) {
		if (hash_ptr(cand[i], ilog2(BENCH_SLOT_SETS)) != best)
			continue;
		kind_cache[k++] = cand[i];
		cand[i] = NULL;
	}
	same = k;
	for (i = 0; i < COLLIDE_CANDIDATES && k < NKINDS; i++) {
		if (!cand[i] ||
		    hash_ptr(cand[i], ilog2(BENCH_SLOT_SETS)) == best)
			continue;
		kind_cache[k++] = cand[i];
		cand[i] = NULL;
	}
	for (i = 0; i < COLLIDE_CANDIDATES; i++) {
		kmem_cache_destroy(cand[i]);
		cand[i] = NULL;
	}
	if (k < NKINDS || same < COLLIDE_SAME) {
		pr_err("collide: found %u caches, %u in one set\n", k, same);
		goto out;
	}
	metric("collide_same_set", same);
	flood_kinds("collide");
out:
	for (i = 0; i < COLLIDE_CANDIDATES; i++)
		kmem_cache_destroy(cand[i]);
	kinds_destroy();
}

static void bench_kfree_batch_stats(void)
{
#ifdef HAVE_KFREE_BATCH
	unsigned long st[KFREE_BATCH_NR_STATS];

	kfree_batch_get_stats(&kvfree_rcu_batch, st);
	pr_info("kfree_batch kvfree_rcu: added %lu released %lu sealed %lu gp_waits %lu bulk_frees %lu fallbacks %lu expedited %lu pending %lu peak %lu pages %lu pages_allocated %lu\n",
		st[KFREE_BATCH_ADDED], st[KFREE_BATCH_RELEASED],
		st[KFREE_BATCH_SEALED], st[KFREE_BATCH_GP_WAITS],
		st[KFREE_BATCH_BULK_FREES], st[KFREE_BATCH_FALLBACKS],
		st[KFREE_BATCH_EXPEDITED], st[KFREE_BATCH_PENDING],
		st[KFREE_BATCH_PEAK], st[KFREE_BATCH_PAGES],
		st[KFREE_BATCH_PAGES_ALLOCATED]);
#endif
}

/* ------------------------------------------------------------------ */
/* The hold workload: rcuscale's kfree test, watched from outside.     */

static struct bench_mem hold_mem;
static struct bench_counts hold_c0;

/* At power-off: the final barrier, counts and memory. */
static int hold_power_off(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	u64 t0 = ktime_get_ns();

	kvfree_rcu_barrier();
	metric("hold_barrier_ms", div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC));
	mem_stop(&hold_mem);
	counts_report("hold", &hold_c0, 0);
	slub_stats_end("hold");
	mem_report("hold", &hold_mem);
	bench_kfree_batch_stats();
	return NOTIFY_DONE;
}

static struct notifier_block hold_nb = {
	.notifier_call = hold_power_off,
};

/* Watch from before rcuscale's test starts. */
static int __init kfree_rcu_bench_hold(void)
{
	if (strcmp(workload, "hold"))
		return 0;
	slub_stats_begin();
	counts_take(&hold_c0);
	mem_start(&hold_mem);
	register_reboot_notifier(&hold_nb);
	return 0;
}
subsys_initcall(kfree_rcu_bench_hold);

/* ------------------------------------------------------------------ */
/* Enqueue cost.                                                       */

static bool enq_shuffle;

/*
 * A thread's own generator: get_random_u32_below() from every CPU at once
 * serialises on the not yet seeded base generator early in boot.
 */
static void shuffle_ptrs(struct bench_obj **p, unsigned int n,
			 struct rnd_state *rnd)
{
	unsigned int i, j;

	for (i = n - 1; i > 0; i--) {
		j = prandom_u32_state(rnd) % (i + 1);
		swap(p[i], p[j]);
	}
}

/*
 * Only the kfree_rcu() calls are timed, ENQ_CHUNK at a time, in the order
 * of allocation or shuffled.  Each thread reports the median of its
 * chunks' ns per call (a host descheduling a vCPU now and then does not
 * move it), and the mean over all its calls (it does: both are printed).
 */
static int enqueue_thread(void *arg)
{
	struct bench_thread *t = arg;
	unsigned int i, j, c, n = 0, chunks = DIV_ROUND_UP(objs, ENQ_CHUNK);
	u64 t0, dt, sum = 0, calls = 0, *per_call;
	struct rnd_state rnd;
	struct bench_obj **p;

	prandom_seed_state(&rnd, t->cpu + 1);
	p = kmalloc_array(ENQ_CHUNK, sizeof(*p), GFP_KERNEL);
	per_call = kmalloc_array(chunks, sizeof(*per_call), GFP_KERNEL);
	bench_thread_start();
	for (i = 0; p && per_call && i < objs; i += ENQ_CHUNK) {
		c = min(ENQ_CHUNK, objs - i);
		for (j = 0; j < c; j++) {
			p[j] = kmalloc(64, GFP_KERNEL);
			if (!p[j]) {
				t->fails++;
				break;
			}
		}
		c = j;
		if (enq_shuffle && c > 1)
			shuffle_ptrs(p, c, &rnd);
		t0 = ktime_get_ns();
		for (j = 0; j < c; j++)
			kfree_rcu(p[j], rh);
		dt = ktime_get_ns() - t0;
		if (c) {
			per_call[n++] = div_u64(dt, c);
			sum += dt;
			calls += c;
		}
		cond_resched();
	}
	if (n) {
		sort(per_call, n, sizeof(*per_call), cmp_u64, NULL);
		t->timed_ns = per_call[n / 2];
		t->mean_ns = div64_u64(sum, calls);
	}
	kfree(per_call);
	kfree(p);
	bench_thread_end(t);
	return 0;
}

/* The mean over the threads of their median and mean ns per call. */
static void enqueue_phase(const char *name, unsigned int n)
{
	struct bench_thread *t;
	u64 med = 0, mean = 0;
	unsigned int i, ok = 0;
	char buf[32];

	t = bench_run(enqueue_thread, n);
	if (!t)
		return;
	bench_wait();
	for (i = 0; i < n; i++) {
		if (!t[i].timed_ns)
			continue;
		med += t[i].timed_ns;
		mean += t[i].mean_ns;
		ok++;
	}
	kfree(t);
	kvfree_rcu_barrier();
	if (!ok)
		return;
	snprintf(buf, sizeof(buf), "%s_ns", name);
	metricf("enqueue", buf, div_u64(med, ok));
	snprintf(buf, sizeof(buf), "%s_mean_ns", name);
	metricf("enqueue", buf, div_u64(mean, ok));
}

static void bench_enqueue(void)
{
	enq_shuffle = false;
	enqueue_phase("1t", 1);
	enqueue_phase("nt", num_online_cpus());
	enq_shuffle = true;
	enqueue_phase("shuf_1t", 1);
	enqueue_phase("shuf_nt", num_online_cpus());
}

/* ------------------------------------------------------------------ */
/* Destroy latency under another cache's flood.                        */

#define GP_SAMPLES	9
static struct kmem_cache *flood_cache;

static int flood_thread(void *arg)
{
	struct bench_obj *obj;
	unsigned long i = 0;

	while (!READ_ONCE(bench_stop)) {
		obj = kmem_cache_alloc(flood_cache, GFP_KERNEL);
		if (obj)
			kfree_rcu(obj, rh);
		if (!(++i % 256))
			cond_resched();
	}
	return 0;
}

/* A cache with eight kfree_rcu()'d objects. */
static struct kmem_cache *destroy_cache(void)
{
	struct kmem_cache *s = kmem_cache_create("kfrb_destroy", 192, 0, 0,
						 NULL);
	struct bench_obj *obj;
	unsigned int j;

	for (j = 0; s && j < 8; j++) {
		obj = kmem_cache_alloc(s, GFP_KERNEL);
		if (obj)
			kfree_rcu(obj, rh);
	}
	return s;
}

/*
 * Two phases of @rounds rounds each, under the same flood: rounds that
 * time kmem_cache_destroy() alone, then rounds that time the kfree_rcu()
 * barrier on the cache alone (the destroy after it is not timed).
 */
static void bench_destroy(void)
{
	struct task_struct *flooder;
	struct bench_counts c0;
	struct kmem_cache *s;
	unsigned int r, nd = 0, nb = 0, j, k;
	u64 *lat, *bar, t0, gp[GP_SAMPLES];

	lat = kcalloc(rounds, sizeof(*lat), GFP_KERNEL);
	bar = kcalloc(rounds, sizeof(*bar), GFP_KERNEL);
	flood_cache = kmem_cache_create("kfrb_flood", 128, 0, 0, NULL);
	if (!lat || !bar || !flood_cache || num_online_cpus() < 2)
		return;
	WRITE_ONCE(bench_stop, false);
	flooder = kthread_create_on_cpu(flood_thread, NULL,
					cpumask_last(cpu_online_mask), "kfrb/%u");
	if (IS_ERR(flooder))
		return;
	wake_up_process(flooder);
	msleep(100);

	counts_take(&c0);
	for (r = 0; r < rounds; r++) {
		s = destroy_cache();
		if (!s)
			break;
		t0 = ktime_get_ns();
		kmem_cache_destroy(s);
		lat[nd++] = ktime_get_ns() - t0;
	}
	counts_report("destroy", &c0, 0);
	for (r = 0; r < rounds; r++) {
		s = destroy_cache();
		if (!s)
			break;
		t0 = ktime_get_ns();
		kvfree_rcu_barrier_on_cache(s);
		bar[nb++] = ktime_get_ns() - t0;
		kmem_cache_destroy(s);
	}
	/* The floor: one grace period, normal and expedited, same flood. */
	for (j = 0; j < 2; j++) {
		for (k = 0; k < GP_SAMPLES; k++) {
			t0 = ktime_get_ns();
			if (j)
				synchronize_rcu_expedited();
			else
				synchronize_rcu();
			gp[k] = ktime_get_ns() - t0;
		}
		sort(gp, GP_SAMPLES, sizeof(*gp), cmp_u64, NULL);
		metric(j ? "destroy_gp_exp_us" : "destroy_gp_us",
		       div_u64(gp[GP_SAMPLES / 2], NSEC_PER_USEC));
	}
	WRITE_ONCE(bench_stop, true);
	kthread_stop(flooder);
	kvfree_rcu_barrier();
	kmem_cache_destroy(flood_cache);

	sort(lat, nd, sizeof(*lat), cmp_u64, NULL);
	metric("destroy_median_us", div_u64(pct(lat, nd, 50), NSEC_PER_USEC));
	metric("destroy_p99_us", div_u64(pct(lat, nd, 99), NSEC_PER_USEC));
	sort(bar, nb, sizeof(*bar), cmp_u64, NULL);
	metric("destroy_barrier_median_us",
	       div_u64(pct(bar, nb, 50), NSEC_PER_USEC));
	kfree(bar);
	kfree(lat);
}

/* ------------------------------------------------------------------ */
/* Objects watched until their release zeroes their canary.            */

struct watched {
	struct bench_obj *obj;
	u64 canary;
	u64 t_add;
	u64 t_rel;		/* 0: not released yet */
};

static struct kmem_cache *watch_cache;

static u64 *canary_of(struct bench_obj *obj)
{
	return &obj->data[BENCH_OBJ_SIZE / sizeof(u64) - 3];
}

static void watch_add(struct watched *w, unsigned int idx)
{
	w->obj = kmem_cache_alloc(watch_cache, GFP_KERNEL);
	if (!w->obj)
		return;
	w->canary = BENCH_MAGIC ^ idx;
	WRITE_ONCE(*canary_of(w->obj), w->canary);
	w->t_add = ktime_get_ns();
	w->t_rel = 0;
	kfree_rcu(w->obj, rh);
}

/*
 * One pass over the watched objects; returns how many it found released.
 * An object whose address a new allocation returned was released too.
 */
static unsigned int watch_poll(struct watched *w, unsigned int n,
			       struct bench_obj *reused)
{
	unsigned int i, found = 0;
	u64 now = ktime_get_ns();

	for (i = 0; i < n; i++) {
		if (!w[i].obj || w[i].t_rel)
			continue;
		if (w[i].obj == reused ||
		    READ_ONCE(*canary_of(w[i].obj)) != w[i].canary) {
			w[i].t_rel = now;
			found++;
		}
	}
	return found;
}

static bool watch_setup(const char *name)
{
	if (!want_init_on_free()) {
		pr_err("%s needs init_on_free=1 on the command line\n", name);
		return false;
	}
	watch_cache = kmem_cache_create("kfrb_watch", BENCH_OBJ_SIZE, 0, 0,
					NULL);
	return watch_cache;
}

/*
 * Release times in ms of the released objects, sorted, into @ms; returns
 * how many were released.  An unreleased object has no time: it is
 * counted apart, and a percentile over none is printed as "cap".
 */
static unsigned int watch_report(struct watched *w, unsigned int n, u64 *ms)
{
	unsigned int i, rel = 0;

	for (i = 0; i < n; i++)
		if (w[i].t_rel)
			ms[rel++] = div_u64(w[i].t_rel - w[i].t_add,
					    NSEC_PER_MSEC);
	sort(ms, rel, sizeof(*ms), cmp_u64, NULL);
	return rel;
}

static void metric_pct(const char *name, u64 *ms, unsigned int n,
		       unsigned int p)
{
	if (n)
		metric(name, pct(ms, n, p));
	else
		metric_cap(name);
}

static struct watched *sparse_w;
static unsigned int sparse_events, sparse_fillers;

/*
 * Add one object every sparse_gap_us and watch.  With fill=1, once the
 * watched objects are in, unwatched objects of the same cache follow at
 * the same rate until every watched one is released or the time is up.
 */
static int sparse_thread(void *arg)
{
	struct watched *w = sparse_w;
	unsigned int added = 0, found, events = 0, released = 0, fillers = 0;
	u64 next = ktime_get_ns(), deadline = 0;
	struct bench_obj *reused, *obj;
	bool fresh;

	bench_thread_start();
	while (released < sparse_objs) {
		reused = NULL;
		fresh = false;
		if (ktime_get_ns() >= next) {
			if (added < sparse_objs) {
				watch_add(&w[added], added);
				reused = w[added].obj;
				fresh = true;
				added++;
				if (added == sparse_objs)
					deadline = ktime_get_ns() +
						   (u64)timeout_ms * NSEC_PER_MSEC;
			} else if (fill) {
				obj = kmem_cache_alloc(watch_cache, GFP_KERNEL);
				if (obj) {
					reused = obj;
					kfree_rcu(obj, rh);
					fillers++;
				}
			}
			next += (u64)sparse_gap_us * NSEC_PER_USEC;
		}
		/* Not the object just added: its canary is in place. */
		found = watch_poll(w, added - fresh, reused);
		if (found)
			events++;
		released += found;
		if (deadline && ktime_get_ns() > deadline)
			break;
		usleep_range(100, 200);
	}
	sparse_events = events;
	sparse_fillers = fillers;
	bench_thread_end(arg);
	return 0;
}

static void bench_sparse(void)
{
	static struct bench_thread t;
	struct bench_counts c0;
	struct watched *w;
	unsigned int rel;
	u64 *ms;

	if (!watch_setup("sparse"))
		return;
	w = kcalloc(sparse_objs, sizeof(*w), GFP_KERNEL);
	sparse_w = w;
	ms = kcalloc(sparse_objs, sizeof(*ms), GFP_KERNEL);
	if (!w || !ms)
		return;
	/* One thread, which adds and watches, on the last CPU. */
	WRITE_ONCE(bench_go, false);
	reinit_completion(&bench_done);
	atomic_set(&bench_running, 1);
	t.cpu = cpumask_last(cpu_online_mask);
	t.task = kthread_create_on_cpu(sparse_thread, &t, t.cpu, "kfrb/%u");
	if (IS_ERR(t.task))
		return;
	counts_take(&c0);
	wake_up_process(t.task);
	WRITE_ONCE(bench_go, true);
	wake_up_all(&bench_go_wq);
	bench_wait();
	counts_report("sparse", &c0, 0);

	rel = watch_report(w, sparse_objs, ms);
	metric_pct("sparse_median_ms", ms, rel, 50);
	metric_pct("sparse_p99_ms", ms, rel, 99);
	metric("sparse_unreleased", sparse_objs - rel);
	metric("sparse_watched_per_release_x100", sparse_events ?
	       div_u64((u64)rel * 100, sparse_events) : 0);
	metric("sparse_fillers", sparse_fillers);
	kfree(ms);
	kfree(w);
	kvfree_rcu_barrier();
	kmem_cache_destroy(watch_cache);
}

/* ------------------------------------------------------------------ */
/* Idle CPUs: each CPU but the first frees a few objects, then idles.  */

static struct watched *idle_w;

static int idle_thread(void *arg)
{
	struct bench_thread *t = arg;
	unsigned int i, base = (t->cpu - 1) * idle_objs;

	bench_thread_start();
	for (i = 0; i < idle_objs; i++)
		watch_add(&idle_w[base + i], base + i);
	bench_thread_end(t);
	return 0;
}

/* Function-call IPIs received by every online CPU but the first. */
static unsigned long idle_cpus_ipis(void)
{
	unsigned long sum = 0;
	int cpu;

	for_each_online_cpu(cpu)
		if (cpu != cpumask_first(cpu_online_mask))
			sum += bench_ipis_cpu(cpu);
	return sum;
}

static void bench_idle(void)
{
	unsigned int n = num_online_cpus(), total, released = 0, rel;
	unsigned long ipi0, ipi1;
	struct bench_thread *t;
	u64 deadline, *ms;
	int cpu;

	if (!watch_setup("idle") || n < 2)
		return;
	total = (n - 1) * idle_objs;
	idle_w = kcalloc(total, sizeof(*idle_w), GFP_KERNEL);
	ms = kcalloc(total, sizeof(*ms), GFP_KERNEL);
	if (!idle_w || !ms)
		return;
	/* The watcher stays on the first CPU; the others go idle. */
	cpu = cpumask_first(cpu_online_mask);
	set_cpus_allowed_ptr(current, cpumask_of(cpu));
	WRITE_ONCE(bench_go, false);
	reinit_completion(&bench_done);
	atomic_set(&bench_running, n - 1);
	t = kcalloc(n, sizeof(*t), GFP_KERNEL);
	if (!t)
		return;
	for_each_online_cpu(cpu) {
		if (cpu == 0 || cpu >= n)
			continue;
		t[cpu].cpu = cpu;
		t[cpu].task = kthread_create_on_cpu(idle_thread, &t[cpu], cpu,
						    "kfrb/%u");
		if (IS_ERR(t[cpu].task))
			return;
		wake_up_process(t[cpu].task);
	}
	WRITE_ONCE(bench_go, true);
	wake_up_all(&bench_go_wq);
	bench_wait();
	ipi0 = idle_cpus_ipis();

	deadline = ktime_get_ns() + (u64)timeout_ms * NSEC_PER_MSEC;
	while (released < total && ktime_get_ns() < deadline) {
		released += watch_poll(idle_w, total, NULL);
		usleep_range(500, 1000);
	}
	/* Steady state: the releases are over (or the time is up). */
	ipi1 = idle_cpus_ipis();
	msleep(steady_ms);
	rel = watch_report(idle_w, total, ms);
	metric_pct("idle_max_ms", ms, rel, 100);
	metric("idle_unreleased", total - rel);
	metric("idle_ipis", ipi1 - ipi0);
	metric("idle_steady_ipis", idle_cpus_ipis() - ipi1);
	kfree(t);
	kfree(ms);
	kfree(idle_w);
	kvfree_rcu_barrier();
	kmem_cache_destroy(watch_cache);
}

static void bench_barrier(void)
{
	u64 t0 = ktime_get_ns();

	kvfree_rcu_barrier();
	metric("barrier_us", div_u64(ktime_get_ns() - t0, NSEC_PER_USEC));
}

/* ------------------------------------------------------------------ */
/* kfree_nolock() where it must defer: nolock.                         */

#define NOLOCK_CHUNK	256

/* SLAB_NOLEAKTRACE: a cache without sheaves in 7.3 (and with kfree_batch). */
static struct kmem_cache *nolock_cache;

/*
 * Each chunk: allocate NOLOCK_CHUNK objects, then kfree_nolock() them
 * with interrupts off, as a tracing program would.  The cache has no
 * sheaves, so every free is deferred to the CPU's irq_work, which runs as
 * soon as interrupts are on again.  Per chunk, in ns per object: the
 * calls, and the release (interrupts on to return: the irq_work).
 */
static int nolock_thread(void *arg)
{
	unsigned int i, c, chunks = max(objs / NOLOCK_CHUNK, 1U);
	u64 t0, t1, t2, *call_ns, *rel_ns, sum = 0;
	struct bench_thread *t = arg;
	unsigned long flags;
	void **p;

	p = kmalloc_array(NOLOCK_CHUNK, sizeof(*p), GFP_KERNEL);
	call_ns = kmalloc_array(chunks, sizeof(*call_ns), GFP_KERNEL);
	rel_ns = kmalloc_array(chunks, sizeof(*rel_ns), GFP_KERNEL);
	bench_thread_start();
	for (c = 0; p && call_ns && rel_ns && c < chunks; c++) {
		for (i = 0; i < NOLOCK_CHUNK; i++) {
			p[i] = kmem_cache_alloc(nolock_cache, GFP_KERNEL);
			if (!p[i])
				t->fails++;
		}
		local_irq_save(flags);
		t0 = ktime_get_ns();
		for (i = 0; i < NOLOCK_CHUNK; i++)
			kfree_nolock(p[i]);
		t1 = ktime_get_ns();
		local_irq_restore(flags);
		t2 = ktime_get_ns();
		call_ns[c] = div_u64(t1 - t0, NOLOCK_CHUNK);
		rel_ns[c] = div_u64(t2 - t1, NOLOCK_CHUNK);
		sum += t2 - t0;
		cond_resched();
	}
	if (p && call_ns && rel_ns) {
		sort(call_ns, chunks, sizeof(*call_ns), cmp_u64, NULL);
		sort(rel_ns, chunks, sizeof(*rel_ns), cmp_u64, NULL);
		t->timed_ns = call_ns[chunks / 2];
		t->alloc_ns = rel_ns[chunks / 2];
		t->mean_ns = div_u64(sum, chunks * NOLOCK_CHUNK);
	}
	kfree(p);
	kfree(call_ns);
	kfree(rel_ns);
	bench_thread_end(t);
	return 0;
}

static void bench_nolock(void)
{
	unsigned int n = num_online_cpus(), i;
	u64 call = 0, rel = 0, mean = 0, t0, busy, idle;
	struct bench_thread *t;

	nolock_cache = kmem_cache_create("kfrb_nolock", 64, 0,
					 SLAB_NOLEAKTRACE | SLAB_NO_MERGE,
					 NULL);
	if (!nolock_cache)
		return;
	idle = bench_idle_ns();
	t0 = ktime_get_ns();
	t = bench_run(nolock_thread, n);
	if (t) {
		bench_wait();
		busy = (ktime_get_ns() - t0) * n - (bench_idle_ns() - idle);
		for (i = 0; i < n; i++) {
			call += t[i].timed_ns;
			rel += t[i].alloc_ns;
			mean += t[i].mean_ns;
		}
		metric("nolock_call_ns", div_u64(call, n));
		metric("nolock_release_ns", div_u64(rel, n));
		metric("nolock_total_ns", div_u64(mean, n));
		metric("nolock_cpu_ns_per_obj",
		       div64_u64(busy, max_t(u64, (u64)n * objs, 1)));
		kfree(t);
	}
	kmem_cache_destroy(nolock_cache);
}

/* ------------------------------------------------------------------ */
/* Frees after an SRCU grace period: srcu.                             */

DEFINE_STATIC_SRCU(bench_srcu);
static struct kmem_cache *srcu_cache;

#ifndef HAVE_KFREE_BATCH
/* Stock 7.3: the free-only callback that kfree_srcu() replaces. */
static void srcu_free_cb(struct rcu_head *head)
{
	kmem_cache_free(srcu_cache, container_of(head, struct bench_obj, rh));
}
#endif

static int srcu_thread(void *arg)
{
	struct bench_thread *t = arg;
	struct bench_obj *obj;
	unsigned int i;

	bench_thread_start();
	for (i = 0; i < objs; i++) {
		obj = kmem_cache_alloc(srcu_cache, GFP_KERNEL);
		if (!obj) {
			t->fails++;
			continue;
		}
#ifdef HAVE_KFREE_BATCH
		kfree_srcu(&bench_srcu, obj, rh);
#else
		call_srcu(&bench_srcu, &obj->rh, srcu_free_cb);
#endif
		if (!(i % 256))
			cond_resched();
	}
	bench_thread_end(t);
	return 0;
}

/*
 * One thread per CPU frees objects after a grace period of one
 * srcu_struct, then waits for them: kfree_srcu() and kfree_srcu_barrier()
 * with kfree_batch, call_srcu() with a free-only callback and
 * srcu_barrier() on 7.3.
 */
static void bench_srcu_flood(void)
{
	unsigned int n = num_online_cpus(), i;
	u64 t0, tb, t1, idle, busy, own = 0, total;
	unsigned long fails = 0;
	struct bench_thread *t;
	struct bench_mem mem;

	srcu_cache = kmem_cache_create("kfrb_srcu", 64, 0, 0, NULL);
	if (!srcu_cache)
		return;
	mem_start(&mem);
	idle = bench_idle_ns();
	t0 = ktime_get_ns();
	t = bench_run(srcu_thread, n);
	if (!t) {
		mem_stop(&mem);
		goto out;
	}
	bench_wait();
	tb = ktime_get_ns();
#ifdef HAVE_KFREE_BATCH
	kfree_srcu_barrier(&bench_srcu);
#else
	srcu_barrier(&bench_srcu);
#endif
	t1 = ktime_get_ns();
	busy = (t1 - t0) * n - (bench_idle_ns() - idle);
	mem_stop(&mem);
	for (i = 0; i < n; i++) {
		own += t[i].runtime_ns;
		fails += t[i].fails;
	}
	total = max_t(u64, (u64)n * objs - fails, 1);
	metric("srcu_time_ms", div_u64(t1 - t0, NSEC_PER_MSEC));
	metric("srcu_barrier_ms", div_u64(t1 - tb, NSEC_PER_MSEC));
	metric("srcu_cpu_ns_per_obj", div64_u64(busy, total));
	metric("srcu_flood_cpu_ns_per_obj", div64_u64(own, total));
	metric("srcu_release_cpu_ns_per_obj",
	       busy > own ? div64_u64(busy - own, total) : 0);
	metric("srcu_alloc_fails", fails);
	mem_report("srcu", &mem);
	kfree(t);
out:
	kmem_cache_destroy(srcu_cache);
}

static int __init kfree_rcu_bench_init(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} w[] = {
		{ "mixed", bench_mixed },
		{ "collide", bench_collide },
		{ "enqueue", bench_enqueue },
		{ "destroy", bench_destroy },
		{ "sparse", bench_sparse },
		{ "idle", bench_idle },
		{ "barrier", bench_barrier },
		{ "nolock", bench_nolock },
		{ "srcu", bench_srcu_flood },
	};
	unsigned int i;

	if (!*workload)
		return 0;
	if (!strcmp(workload, "hold")) {
		/* Another built-in test runs and powers off. */
		pr_info("holding for another test\n");
		for (;;)
			msleep_interruptible(60 * MSEC_PER_SEC);
	}
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		if (strcmp(workload, w[i].name))
			continue;
		pr_info("workload %s on %u CPUs\n", workload,
			num_online_cpus());
		w[i].fn();
		break;
	}
	if (i == ARRAY_SIZE(w))
		pr_err("unknown workload %s\n", workload);
	bench_kfree_batch_stats();
	pr_info("done\n");
	if (shutdown)
		kernel_power_off();
	return 0;
}
late_initcall_sync(kfree_rcu_bench_init);
