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
 * from a subsys initcall, before that test starts, it watches the pages
 * that hold objects (slab pages, and kfree_batch's pages of pointers),
 * and at power-off it waits for kvfree_rcu_barrier() and prints their
 * peak above what stays once every object is freed: "metric hold_peak_kb".
 * (Free memory would also count what other initcalls allocate meanwhile.)
 *
 * Only kfree_rcu(), the slab API, kvfree_rcu_barrier() and the polled RCU
 * API are used, so the same file measures any kernel: the kfree_batch
 * harness builds it into stock 7.3 and into 7.3 with the series.
 *
 * Workloads:
 *   mixed    one thread per CPU floods kfree_rcu() over four named caches
 *            and four kmalloc sizes, interleaved; with timed=1 also ns per
 *            allocation and per kfree_rcu() call
 *   enqueue  nanoseconds per kfree_rcu() call, one thread, then one per CPU
 *   destroy  kmem_cache_destroy() of a cache with a few kfree_rcu()'d
 *            objects while another thread floods a different cache
 *   sparse   one object every sparse_gap_us: time from kfree_rcu() to the
 *            object's release, and objects released together
 *   idle     a few kfree_rcu() calls on every CPU but one, which then go
 *            idle: time until every object is released
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
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/reboot.h>
#include <linux/sched/cputime.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/kernel_stat.h>
#include <linux/vmstat.h>

/*
 * On a kernel with kfree_batch, kfree_rcu() is its client kvfree_rcu_batch:
 * print that client's counters at the end, to show the traffic went there.
 * Without it (stock 7.3) the file builds and runs the same.
 */
#if __has_include(<linux/kfree_batch.h>)
#include <linux/kfree_batch.h>
#define HAVE_KFREE_BATCH
extern struct kfree_batch kvfree_rcu_batch;
#endif

/* Counted in __call_rcu_common() by this benchmark's patch to RCU. */
DECLARE_PER_CPU(unsigned long, kfree_rcu_bench_ncbs);

static char *workload = "";
module_param(workload, charp, 0444);
MODULE_PARM_DESC(workload, "mixed, enqueue, destroy, sparse, idle, barrier or hold");

static unsigned int objs = 50000;
module_param(objs, uint, 0444);
MODULE_PARM_DESC(objs, "objects per thread (mixed, enqueue)");

static unsigned int rounds = 50;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "kmem_cache_destroy() calls (destroy)");

static unsigned int sparse_objs = 150;
module_param(sparse_objs, uint, 0444);
MODULE_PARM_DESC(sparse_objs, "objects freed at a low rate (sparse)");

static unsigned int sparse_gap_us = 10000;
module_param(sparse_gap_us, uint, 0444);
MODULE_PARM_DESC(sparse_gap_us, "microseconds between two frees (sparse)");

static unsigned int idle_objs = 4;
module_param(idle_objs, uint, 0444);
MODULE_PARM_DESC(idle_objs, "objects freed by each CPU before it idles (idle)");

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

static u64 bench_ncbs(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(kfree_rcu_bench_ncbs, cpu);
	return sum;
}

/*
 * With CONFIG_SLUB_STATS (W=rcuscale-stats, W=mixed-stats), where objects
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
	static const char * const what[] = { "slab_frees_pm", "slab_refills_pm" };
	unsigned long v[4], allocs;
	char name[48];
	int i;

	if (!IS_ENABLED(CONFIG_SLUB_STATS))
		return;
	kfree_rcu_bench_slub_stats(v);
	allocs = max(v[0] - slub0[0], 1UL);
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "%s_%s", w, what[i]);
		metric(name, div_u64((u64)(v[i + 1] - slub0[i + 1]) * 1000, allocs));
	}
	snprintf(name, sizeof(name), "%s_barn_sheaves", w);
	metric(name, v[3] - slub0[3]);
}

/* Completed normal grace periods, from the polled API's cookie. */
static unsigned long bench_gp_seq(void)
{
	return get_state_synchronize_rcu();
}

static long bench_gps(unsigned long start)
{
	/* Cookies step by four (two low bits of state) per grace period. */
	return (long)(bench_gp_seq() - start) / 4;
}

/*
 * Time the online CPUs were not idle, summed, in ns.  With
 * CONFIG_IRQ_TIME_ACCOUNTING a task's own runtime leaves out the
 * interrupts and softirqs that ran on its stack, so busy time minus the
 * workload threads' runtime is what the rest of the kernel spent: RCU
 * callbacks, workers, the grace-period kthread.
 */
/* Time in hard interrupts and in softirqs on the online CPUs, in ns. */
static u64 bench_irq_ns(enum cpu_usage_stat which)
{
	u64 sum = 0;
	int cpu;

	for_each_online_cpu(cpu)
		sum += kcpustat_cpu(cpu).cpustat[which];
	return sum;
}

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

/* Threads: one per CPU in a set, started together. */
struct bench_thread {
	struct task_struct *task;
	unsigned int cpu;
	u64 runtime_ns;		/* the thread's own CPU time */
	u64 timed_ns;		/* median ns per call (enqueue, timed mixed) */
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

/* Mixed caches. */
#define NKINDS 8
static const unsigned int kind_size[NKINDS] = {
	48, 96, 200, 512,	/* named caches */
	32, 128, 256, 1024,	/* kmalloc */
};
static struct kmem_cache *kind_cache[NKINDS];

static struct bench_obj *kind_alloc(unsigned int k)
{
	if (kind_cache[k])
		return kmem_cache_alloc(kind_cache[k], GFP_KERNEL);
	return kmalloc(kind_size[k], GFP_KERNEL);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

#define MIX_CHUNK	256

/*
 * With timed=1, each chunk of MIX_CHUNK iterations sums the time of its
 * allocations and of its kfree_rcu() calls; the thread keeps the median
 * chunk of each, in ns per call, which a host descheduling the vCPU now
 * and then does not move (see enqueue_thread()).
 */
static int mixed_thread(void *arg)
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
				ta = te = 0;
			}
		} else {
			kfree_rcu(obj, rh);
		}
		if (!(i % 256))
			cond_resched();
	}
	bench_thread_end(t);
	if (c) {
		sort(a_ns, c, sizeof(*a_ns), cmp_u64, NULL);
		sort(e_ns, c, sizeof(*e_ns), cmp_u64, NULL);
		t->alloc_ns = a_ns[c / 2];
		t->timed_ns = e_ns[c / 2];
	}
	kfree(a_ns);
	kfree(e_ns);
	return 0;
}

/* Lowest count of free pages seen while the workload ran. */
static unsigned long bench_min_free;
/* Highest count of pages holding deferred objects (workload=hold). */
static unsigned long bench_max_held;

/*
 * Pages that hold objects: slab pages, plus on a kernel with kfree_batch
 * its pages of pointers (page allocator pages, one pointer per pending
 * object), which 7.3 keeps in slab-allocated sheaves.
 */
static unsigned long bench_held_pages(void)
{
	unsigned long pages = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
#ifdef HAVE_KFREE_BATCH
	unsigned long st[KFREE_BATCH_NR_STATS];

	kfree_batch_get_stats(&kvfree_rcu_batch, st);
	pages += DIV_ROUND_UP(st[KFREE_BATCH_PENDING] * sizeof(void *),
			      PAGE_SIZE);
#endif
	return pages;
}

static int monitor_thread(void *arg)
{
	unsigned long nr;
	bool hold = arg;

	while (!kthread_should_stop()) {
		nr = global_zone_page_state(NR_FREE_PAGES);
		if (nr < bench_min_free)
			bench_min_free = nr;
		if (hold) {
			nr = bench_held_pages();
			if (nr > bench_max_held)
				bench_max_held = nr;
		}
		usleep_range(500, 1000);
	}
	return 0;
}

static struct task_struct *hold_mon;

static void bench_kfree_batch_stats(void)
{
#ifdef HAVE_KFREE_BATCH
	unsigned long st[KFREE_BATCH_NR_STATS];

	kfree_batch_get_stats(&kvfree_rcu_batch, st);
	pr_info("kfree_batch kvfree_rcu: added %lu released %lu sealed %lu gp_waits %lu bulk_frees %lu fallbacks %lu expedited %lu pending %lu peak %lu\n",
		st[KFREE_BATCH_ADDED], st[KFREE_BATCH_RELEASED],
		st[KFREE_BATCH_SEALED], st[KFREE_BATCH_GP_WAITS],
		st[KFREE_BATCH_BULK_FREES], st[KFREE_BATCH_FALLBACKS],
		st[KFREE_BATCH_EXPEDITED], st[KFREE_BATCH_PENDING],
		st[KFREE_BATCH_PEAK]);
#endif
}

/* At power-off: the peak over what stays in use once everything is freed. */
static int hold_power_off(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	unsigned long settled;

	kthread_stop(hold_mon);
	kvfree_rcu_barrier();
	slub_stats_end("hold");
	settled = bench_held_pages();
	metric("hold_peak_kb", bench_max_held > settled ?
	       (bench_max_held - settled) * (PAGE_SIZE / 1024) : 0);
	bench_kfree_batch_stats();
	return NOTIFY_DONE;
}

static struct notifier_block hold_nb = {
	.notifier_call = hold_power_off,
};

/* Watch the pages that hold objects from before rcuscale's test starts. */
static int __init kfree_rcu_bench_hold(void)
{
	if (strcmp(workload, "hold"))
		return 0;
	slub_stats_begin();
	hold_mon = kthread_run(monitor_thread, (void *)true, "kfrb_mon");
	if (!IS_ERR(hold_mon))
		register_reboot_notifier(&hold_nb);
	return 0;
}
subsys_initcall(kfree_rcu_bench_hold);

static void bench_mixed(void)
{
	unsigned int n = num_online_cpus(), i, k;
	struct task_struct *mon;
	unsigned long gp, free0;
	u64 t0, t1, tb, cbs, idle, busy, own = 0, total, ta = 0, te = 0;
	u64 hardirq, softirq;
	struct bench_thread *t;
	unsigned long fails = 0;
	char name[16];

	for (k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "kfrb_%u", kind_size[k]);
		kind_cache[k] = kmem_cache_create(name, kind_size[k], 0, 0, NULL);
		if (!kind_cache[k])
			return;
	}
	free0 = global_zone_page_state(NR_FREE_PAGES);
	bench_min_free = free0;
	mon = kthread_run(monitor_thread, NULL, "kfrb_mon");

	gp = bench_gp_seq();
	cbs = bench_ncbs();
	idle = bench_idle_ns();
	hardirq = bench_irq_ns(CPUTIME_IRQ);
	softirq = bench_irq_ns(CPUTIME_SOFTIRQ);
	slub_stats_begin();
	t0 = ktime_get_ns();
	t = bench_run(mixed_thread, n);
	if (!t)
		return;
	bench_wait();
	tb = ktime_get_ns();
	kvfree_rcu_barrier();
	t1 = ktime_get_ns();
	busy = (t1 - t0) * n - (bench_idle_ns() - idle);
	hardirq = bench_irq_ns(CPUTIME_IRQ) - hardirq;
	softirq = bench_irq_ns(CPUTIME_SOFTIRQ) - softirq;
	cbs = bench_ncbs() - cbs;
	if (!IS_ERR(mon))
		kthread_stop(mon);

	for (i = 0; i < n; i++) {
		own += t[i].runtime_ns;
		fails += t[i].fails;
		ta += t[i].alloc_ns;
		te += t[i].timed_ns;
	}
	total = (u64)n * objs - fails;
	if (timed) {
		metric("mixed_alloc_ns", div_u64(ta, n));
		metric("mixed_enqueue_ns", div_u64(te, n));
	}
	metric("mixed_time_ms", div_u64(t1 - t0, NSEC_PER_MSEC));
	metric("mixed_barrier_ms", div_u64(t1 - tb, NSEC_PER_MSEC));
	metric("mixed_flood_cpu_ns_per_obj", div64_u64(own, total));
	metric("mixed_gps", bench_gps(gp));
	metric("mixed_cbs_per_mfree", div64_u64(cbs * 1000000, total));
	metric("mixed_peak_kb", (free0 - bench_min_free) * (PAGE_SIZE / 1024));
	metric("mixed_release_cpu_ns_per_obj",
	       busy > own ? div64_u64(busy - own, total) : 0);
	metric("mixed_irq_ns_per_obj", div64_u64(hardirq, total));
	metric("mixed_softirq_ns_per_obj", div64_u64(softirq, total));
	metric("mixed_alloc_fails", fails);
	slub_stats_end("mixed");
	kfree(t);
	for (k = 0; k < 4; k++)
		kmem_cache_destroy(kind_cache[k]);
}


/*
 * Enqueue cost: only the kfree_rcu() calls are timed, ENQ_CHUNK at a time.
 * Each thread reports the median of its chunks' ns per call: under TCG a
 * vCPU thread is now and then descheduled by the host for milliseconds,
 * which a mean over all calls would charge to whichever kernel it hit.
 */
static int enqueue_thread(void *arg)
{
	struct bench_thread *t = arg;
	unsigned int i, j, c, n = 0, chunks = DIV_ROUND_UP(objs, ENQ_CHUNK);
	struct bench_obj **p;
	u64 t0, *per_call;

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
		t0 = ktime_get_ns();
		for (j = 0; j < c; j++)
			kfree_rcu(p[j], rh);
		if (c)
			per_call[n++] = div_u64(ktime_get_ns() - t0, c);
		cond_resched();
	}
	if (n) {
		sort(per_call, n, sizeof(*per_call), cmp_u64, NULL);
		t->timed_ns = per_call[n / 2];
	}
	kfree(per_call);
	kfree(p);
	bench_thread_end(t);
	return 0;
}

/* The mean over the threads of their median ns per call. */
static s64 enqueue_phase(unsigned int n)
{
	struct bench_thread *t;
	u64 ns = 0;
	unsigned int i, ok = 0;

	t = bench_run(enqueue_thread, n);
	if (!t)
		return -1;
	bench_wait();
	for (i = 0; i < n; i++) {
		if (!t[i].timed_ns)
			continue;
		ns += t[i].timed_ns;
		ok++;
	}
	kfree(t);
	kvfree_rcu_barrier();
	return ok ? div_u64(ns, ok) : -1;
}

static void bench_enqueue(void)
{
	metric("enqueue_1t_ns", enqueue_phase(1));
	metric("enqueue_nt_ns", enqueue_phase(num_online_cpus()));
}

/* Destroy latency under another cache's flood. */
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

static u64 pct(u64 *v, unsigned int n, unsigned int p)
{
	return n ? v[min(n - 1, n * p / 100)] : 0;
}

static void bench_destroy(void)
{
	struct task_struct *flooder;
	struct bench_obj *obj;
	struct kmem_cache *s;
	unsigned int r, j, k;
	u64 *lat, *bar, t0, gp[GP_SAMPLES];

	lat = kcalloc(rounds, sizeof(*lat), GFP_KERNEL);
	bar = kcalloc(rounds / 2 + 1, sizeof(*bar), GFP_KERNEL);
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

	for (r = 0; r < rounds; r++) {
		s = kmem_cache_create("kfrb_destroy", 192, 0, 0, NULL);
		if (!s)
			break;
		for (j = 0; j < 8; j++) {
			obj = kmem_cache_alloc(s, GFP_KERNEL);
			if (obj)
				kfree_rcu(obj, rh);
		}
		t0 = ktime_get_ns();
		if (r & 1) {
			/* Odd rounds: the kfree_rcu() barrier part alone. */
			kvfree_rcu_barrier_on_cache(s);
			bar[r / 2] = ktime_get_ns() - t0;
		}
		kmem_cache_destroy(s);
		lat[r] = ktime_get_ns() - t0;
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

	sort(lat, r, sizeof(*lat), cmp_u64, NULL);
	metric("destroy_median_us", div_u64(pct(lat, r, 50), NSEC_PER_USEC));
	metric("destroy_p99_us", div_u64(pct(lat, r, 99), NSEC_PER_USEC));
	sort(bar, r / 2, sizeof(*bar), cmp_u64, NULL);
	metric("destroy_barrier_median_us",
	       div_u64(pct(bar, r / 2, 50), NSEC_PER_USEC));
	kfree(bar);
	kfree(lat);
}

/* Objects watched until their release zeroes their canary. */
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

/* Release times in ms (timeout_ms for unreleased objects), sorted. */
static unsigned int watch_report(struct watched *w, unsigned int n,
				 u64 *ms)
{
	unsigned int i, left = 0;

	for (i = 0; i < n; i++) {
		if (!w[i].t_rel)
			left++;
		ms[i] = w[i].t_rel ?
			div_u64(w[i].t_rel - w[i].t_add, NSEC_PER_MSEC) :
			timeout_ms;
	}
	sort(ms, n, sizeof(*ms), cmp_u64, NULL);
	return left;
}

static struct watched *sparse_w;
static unsigned int sparse_events;

static int sparse_thread(void *arg)
{
	struct watched *w = sparse_w;
	unsigned int added = 0, found, events = 0, released = 0;
	u64 next = ktime_get_ns(), deadline = 0;
	struct bench_obj *reused;

	bench_thread_start();
	while (released < sparse_objs) {
		reused = NULL;
		if (added < sparse_objs && ktime_get_ns() >= next) {
			watch_add(&w[added], added);
			reused = w[added].obj;
			added++;
			next += (u64)sparse_gap_us * NSEC_PER_USEC;
			if (added == sparse_objs)
				deadline = ktime_get_ns() +
					   (u64)timeout_ms * NSEC_PER_MSEC;
		}
		found = watch_poll(w, added - (reused ? 1 : 0), reused);
		if (found)
			events++;
		released += found;
		if (deadline && ktime_get_ns() > deadline)
			break;
		usleep_range(100, 200);
	}
	sparse_events = events;
	bench_thread_end(arg);
	return 0;
}

static void bench_sparse(void)
{
	static struct bench_thread t;
	struct watched *w;
	unsigned int left;
	u64 *ms;

	if (!watch_setup("sparse"))
		return;
	w = kcalloc(sparse_objs, sizeof(*w), GFP_KERNEL);
	sparse_w = w;
	ms = kcalloc(sparse_objs, sizeof(*ms), GFP_KERNEL);
	if (!w || !ms)
		return;
	/* One thread, which adds and watches, on the second CPU. */
	WRITE_ONCE(bench_go, false);
	reinit_completion(&bench_done);
	atomic_set(&bench_running, 1);
	t.cpu = cpumask_last(cpu_online_mask);
	t.task = kthread_create_on_cpu(sparse_thread, &t, t.cpu, "kfrb/%u");
	if (IS_ERR(t.task))
		return;
	wake_up_process(t.task);
	WRITE_ONCE(bench_go, true);
	wake_up_all(&bench_go_wq);
	bench_wait();

	left = watch_report(w, sparse_objs, ms);
	metric("sparse_median_ms", pct(ms, sparse_objs, 50));
	metric("sparse_p99_ms", pct(ms, sparse_objs, 99));
	metric("sparse_objs_per_release_x100",
	       sparse_events ?
	       div_u64((u64)(sparse_objs - left) * 100, sparse_events) : 0);
	metric("sparse_unreleased", left);
	kfree(ms);
	kfree(w);
	kvfree_rcu_barrier();
	kmem_cache_destroy(watch_cache);
}

/* Idle CPUs: each CPU but the first frees a few objects, then idles. */
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

static void bench_idle(void)
{
	unsigned int n = num_online_cpus(), total, released = 0, left;
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

	deadline = ktime_get_ns() + (u64)timeout_ms * NSEC_PER_MSEC;
	while (released < total && ktime_get_ns() < deadline) {
		released += watch_poll(idle_w, total, NULL);
		usleep_range(500, 1000);
	}
	left = watch_report(idle_w, total, ms);
	metric("idle_max_ms", ms[total - 1]);
	metric("idle_unreleased", left);
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

static int __init kfree_rcu_bench_init(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} w[] = {
		{ "mixed", bench_mixed },
		{ "enqueue", bench_enqueue },
		{ "destroy", bench_destroy },
		{ "sparse", bench_sparse },
		{ "idle", bench_idle },
		{ "barrier", bench_barrier },
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
