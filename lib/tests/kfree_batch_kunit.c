// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kfree_batch.
 *
 * Each case asserts what can be seen from outside the engine: an object
 * keeps its contents while a reader that started before its add is still
 * reading, it is really freed (its memory zeroed, see below) after a
 * barrier or within the time bound, a cache can be destroyed with no
 * object left over.
 *
 * The suite runs with init_on_free (CONFIG_INIT_ON_FREE_DEFAULT_ON, in
 * kfree_batch.kunitconfig): every free zeroes the object, so a reader that
 * finds the pattern it wrote changed has seen the object freed, whichever
 * path (batch, fallback list, deferred list, synchronous fallback) freed
 * it, and a case sees an object really freed when its pattern is gone.
 *
 * Run with (SMP is where a per-CPU engine breaks):
 *	./tools/testing/kunit/kunit.py run \
 *		--kunitconfig=lib/tests/kfree_batch.kunitconfig \
 *		--arch=x86_64 --qemu_args="-smp 4"
 *
 * Copyright (C) 2026 The kfree_batch authors.
 */

#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debug_locks.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kasan.h>
#include <linux/kfence.h>
#include <linux/kfree_batch.h>
#include <linux/kfree_srcu.h>
#include <linux/kmsg_dump.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/nodemask.h>
#include <linux/seq_file.h>
#include <linux/uio.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/vmalloc.h>

#include "../../mm/kfree_batch.h"
#include "../../mm/slab.h"

/* Not a SLUB poison byte (0x6b, 0x5a, 0xa5, 0xbb, 0xcc), nor init_on_free's 0. */
#define MAGIC	0x3c

/*
 * Lines between these markers hold the WARNINGs that bad input must give;
 * the harness fails the run on any other splat there, and on one of these
 * whose message does not contain the text the begin marker names.
 */
#define EXPECT_WARN_BEGIN(text)	"kfree_batch_kunit: expected warnings begin: " text "\n"
#define EXPECT_WARN_END		"kfree_batch_kunit: expected warnings end\n"
#define NOT_FREED		"not freed"
#define ADDED_TWICE		"ODEBUG: activate active"

static struct kunit_resource slab_errors_res;
static int slab_errors;

DEFINE_STATIC_SRCU(test_srcu);

struct test_obj {
	struct kfree_batch_head head;
	u8 data[56];
};

static unsigned long stat(struct kfree_batch *kb, enum kfree_batch_stat_item i)
{
	unsigned long stats[KFREE_BATCH_NR_STATS];

	kfree_batch_get_stats(kb, stats);
	return stats[i];
}

static void client_exit(void *data)
{
	kfree_batch_destroy(data);
}

/*
 * A client named @name with @flags, torn down (everything released) when
 * the test ends.
 */
static struct kfree_batch *new_flags_client(struct kunit *test,
					    const char *name,
					    const struct kfree_batch_gp_ops *ops,
					    unsigned long flags)
{
	struct kfree_batch *kb = kunit_kzalloc(test, sizeof(*kb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, kb);
	kb->name = name;
	kb->ops = ops;
	kb->ssp = &test_srcu;
	kb->flags = flags;
	KUNIT_ASSERT_EQ(test, kfree_batch_init(kb), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, client_exit, kb), 0);
	return kb;
}

static struct kfree_batch *new_named_client(struct kunit *test, const char *name,
					    const struct kfree_batch_gp_ops *ops)
{
	return new_flags_client(test, name, ops, 0);
}

static struct kfree_batch *new_client(struct kunit *test,
				      const struct kfree_batch_gp_ops *ops)
{
	return new_named_client(test, "kunit", ops);
}

static struct kmem_cache *new_cache(const char *name, unsigned int size)
{
	struct kmem_cache *s = kmem_cache_create(name, size, 0, SLAB_NO_MERGE,
						 NULL);

	/* As in slub_kunit: keep KFENCE out of leftover-object counting. */
	if (s)
		s->flags |= SLAB_SKIP_KFENCE;
	return s;
}

/* Kernels where the engine checks an object before an add owns its CPU. */
static bool checks_first(void)
{
	return IS_ENABLED(CONFIG_KASAN) ||
	       IS_ENABLED(CONFIG_DEBUG_OBJECTS_RCU_HEAD) ||
	       IS_ENABLED(CONFIG_DEBUG_KMEMLEAK);
}

static bool intact(const u8 *p, size_t size)
{
	return !memchr_inv(p, MAGIC, size);
}

/*
 * Wait up to @ms for the client to have released @n objects.  Polls with
 * sleeps: used only where the engine must release on its own.
 */
static bool wait_released(struct kfree_batch *kb, unsigned long n,
			  unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (stat(kb, KFREE_BATCH_RELEASED) < n && time_before(jiffies, end))
		msleep(20);
	return stat(kb, KFREE_BATCH_RELEASED) >= n;
}

/*
 * Read bytes of an object that may have been freed (to see whether it
 * was): a read after the free is the point here, not a bug to report.
 */
static bool peek_intact(const void *p, size_t size)
{
	bool ok;

	kasan_disable_current();
	ok = !memchr_inv(p, MAGIC, size);
	kasan_enable_current();
	return ok;
}

/*
 * The bytes of an object that a case filled with MAGIC and watches.  A
 * freed vmalloc area is unmapped: its first page is read through the
 * direct map, as long as the area still maps it.
 */
struct watch {
	const u8 *p;
	size_t len;
	bool vmalloc;
};

static void watch_init(struct watch *w, void *p, size_t len)
{
	w->p = p;
	w->len = min_t(size_t, len, PAGE_SIZE - offset_in_page(p));
	w->vmalloc = is_vmalloc_addr(p);
	memset(p, MAGIC, w->len);
}

/* Still allocated, with the contents the case gave it? */
static bool watch_intact(const struct watch *w)
{
	struct page *page;

	if (!w->vmalloc)
		return peek_intact(w->p, w->len);
	page = vmalloc_to_page(w->p);
	return page && peek_intact(page_address(page) + offset_in_page(w->p),
				   w->len);
}

/*
 * Really freed?  init_on_free zeroed it (or vfree() unmapped it).  An
 * object that KFENCE took is not read after its free (KFENCE would report
 * the read): it counts as freed.
 */
static bool watch_freed(const struct watch *w)
{
	if (!w->vmalloc && is_kfence_address(w->p))
		return true;
	return !watch_intact(w);
}

/* Wait up to @ms for the object to be freed; the milliseconds it took. */
static long wait_freed(const struct watch *w, ktime_t since, unsigned int ms)
{
	ktime_t end = ktime_add_ms(since, ms);

	while (!watch_freed(w)) {
		if (ktime_after(ktime_get(), end))
			return -1;
		usleep_range(1000, 2000);
	}
	return ktime_ms_delta(ktime_get(), since);
}

static bool is_srcu(const struct kfree_batch_gp_ops *ops)
{
	return ops == &kfree_batch_srcu_ops;
}

/*
 * A reader of a client's domain, on a kthread: it enters its read section,
 * then checks the objects it watches all along, until told to stop or
 * @hold_ms have passed.  An object whose contents change meanwhile was
 * freed under it.  An SRCU reader sleeps between checks; an RCU reader
 * spins, on a CPU of its own.
 */
struct reader {
	const struct kfree_batch_gp_ops *ops;
	struct watch *w;
	unsigned int nr;
	unsigned int hold_ms;
	struct completion in, out;
	bool stop;
	unsigned int broken;
};

static void reader_check(struct reader *r)
{
	unsigned int i;

	for (i = 0; i < r->nr; i++)
		r->broken += !watch_intact(&r->w[i]);
}

static int reader_fn(void *data)
{
	struct reader *r = data;
	unsigned long end;
	int idx = 0;

	if (is_srcu(r->ops))
		idx = srcu_read_lock(&test_srcu);
	else
		rcu_read_lock();
	complete(&r->in);
	end = jiffies + msecs_to_jiffies(r->hold_ms);
	do {
		reader_check(r);
		if (is_srcu(r->ops))
			usleep_range(500, 1000);
		else
			mdelay(1);
	} while (!READ_ONCE(r->stop) && time_before(jiffies, end));
	reader_check(r);
	if (is_srcu(r->ops))
		srcu_read_unlock(&test_srcu, idx);
	else
		rcu_read_unlock();
	complete(&r->out);
	return 0;
}

/*
 * An RCU reader spins on a CPU of its own: a case that needs one is
 * skipped on a single CPU.  Called before anything is set up.
 */
static void reader_need(struct kunit *test, const struct kfree_batch_gp_ops *ops)
{
	if (!is_srcu(ops) && num_online_cpus() < 2)
		kunit_skip(test, "an RCU reader needs a CPU of its own");
}

/*
 * Start a reader of @ops watching @w[@nr], and return once it is inside
 * its read section.  An RCU reader runs on another CPU than this one (see
 * reader_need()).
 */
static struct reader *reader_start(struct kunit *test,
				   const struct kfree_batch_gp_ops *ops,
				   struct watch *w, unsigned int nr,
				   unsigned int hold_ms)
{
	struct reader *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct task_struct *t;
	unsigned int cpu;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->ops = ops;
	r->w = w;
	r->nr = nr;
	r->hold_ms = hold_ms;
	init_completion(&r->in);
	init_completion(&r->out);
	if (is_srcu(ops)) {
		t = kthread_run(reader_fn, r, "kfb_reader");
	} else {
		cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
		t = kthread_run_on_cpu(reader_fn, r, cpu, "kfb_reader/%u");
	}
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&r->in);
	return r;
}

/* Stop the reader; the number of checks that found an object freed. */
static unsigned int reader_stop(struct reader *r)
{
	WRITE_ONCE(r->stop, true);
	wait_for_completion(&r->out);
	return r->broken;
}

/*
 * Wait (sleeping) up to @ms until the worker has sealed what was flushed
 * and either released it or queued a grace-period callback for it: by
 * then an early release has happened.  False if it did neither.
 */
static bool wait_worker(struct kfree_batch *kb, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (!stat(kb, KFREE_BATCH_GP_WAITS) && !stat(kb, KFREE_BATCH_RELEASED)) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(5000, 10000);
	}
	/* The release (a bug) may still be on its way. */
	msleep(50);
	return true;
}

/* An RCU reader that started before the add keeps the object alive. */
static void test_rcu_reader_delays_free(struct kunit *test)
{
	struct kfree_batch *kb;
	struct reader *r;
	struct watch w;
	u8 *p;

	reader_need(test, &kfree_batch_rcu_ops);
	kb = new_client(test, &kfree_batch_rcu_ops);
	p = kmalloc(256, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	watch_init(&w, p, 256);
	/* A reader on another CPU, from before the add: the GP cannot end. */
	r = reader_start(test, &kfree_batch_rcu_ops, &w, 1, 10000);
	kfree_batch_add(kb, p);
	kfree_batch_flush(kb);
	KUNIT_EXPECT_TRUE(test, wait_worker(kb, 5000));
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 0);
	KUNIT_EXPECT_TRUE(test, watch_intact(&w));
	KUNIT_EXPECT_EQ(test, reader_stop(r), 0);

	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 1);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
}

/* The same with a sleeping SRCU reader, which also works on one CPU. */
static void test_srcu_reader_delays_free(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_srcu_ops);
	u8 *p = kmalloc(128, GFP_KERNEL);
	int idx;

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, MAGIC, 128);
	idx = srcu_read_lock(&test_srcu);
	kfree_batch_add(kb, p);
	kfree_batch_flush(kb);
	msleep(300);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_SEALED), 1);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 0);
	KUNIT_EXPECT_TRUE(test, intact(p, 128));
	srcu_read_unlock(&test_srcu, idx);

	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 1);
}

struct ptr_kind {
	const char *name;
	size_t size;		/* kmalloc size, or cache object size */
	bool cache;		/* from a named kmem_cache */
	bool vmalloc;
	unsigned int count;
};

static const struct ptr_kind ptr_kinds[] = {
	{ "cache-32", 32, true, false, 2000 },
	{ "cache-1000", 1000, true, false, 500 },
	{ "kmalloc-8", 8, false, false, 2000 },
	{ "kmalloc-192", 192, false, false, 1000 },
	{ "kmalloc-4096", 4096, false, false, 200 },
	{ "kmalloc-large", KMALLOC_MAX_CACHE_SIZE + 1, false, false, 16 },
	{ "vmalloc", 3 * PAGE_SIZE, false, true, 16 },
};

static void ptr_kind_desc(const struct ptr_kind *k, char *desc)
{
	strscpy(desc, k->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ptr_kinds, ptr_kinds, ptr_kind_desc);

/* Every kind of pointer is freed after the barrier, and none before. */
static void test_pointer_kinds(struct kunit *test)
{
	const struct ptr_kind *k = test->param_value;
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct kmem_cache *s = NULL;
	struct reader *r = NULL;
	unsigned int i, nw, broken;
	struct watch w[8];
	void **objs;

	objs = kunit_kcalloc(test, k->count, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	if (k->cache) {
		s = new_cache("kfree_batch_kunit_kind", k->size);
		KUNIT_ASSERT_NOT_NULL(test, s);
	}
	for (i = 0; i < k->count; i++) {
		if (s)
			objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		else if (k->vmalloc)
			objs[i] = vmalloc(k->size);
		else
			objs[i] = kmalloc(k->size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		memset(objs[i], MAGIC, min_t(size_t, k->size, 64));
	}

	/* A reader on another CPU, from before the adds (none on one CPU). */
	nw = min_t(unsigned int, k->count, ARRAY_SIZE(w));
	for (i = 0; i < nw; i++)
		watch_init(&w[i], objs[i], min_t(size_t, k->size, 64));
	if (num_online_cpus() > 1)
		r = reader_start(test, &kfree_batch_rcu_ops, w, nw, 10000);
	for (i = 0; i < k->count; i++)
		kfree_batch_add(kb, objs[i]);
	kfree_batch_flush(kb);
	if (r) {
		KUNIT_EXPECT_TRUE(test, wait_worker(kb, 5000));
		KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 0);
		/* One expectation for all objects: a flood would drop lines. */
		for (i = 0, broken = 0; i < k->count; i++)
			broken += !peek_intact(objs[i], min_t(size_t, k->size, 64));
		KUNIT_EXPECT_EQ(test, broken, 0);
		KUNIT_EXPECT_EQ(test, reader_stop(r), 0);
	}

	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), k->count);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_LEAKED), 0);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/* A flood into one cache is released in bulk, many objects per call. */
static void test_bulk_release(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct kmem_cache *s = new_cache("kfree_batch_kunit_bulk", 64);
	unsigned long released, bulk, pages;
	void **objs;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	objs = kunit_kmalloc_array(test, 10000, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < 10000; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	/*
	 * The pages that hold 10000 pending pointers are counted: a reader
	 * keeps every batch pending until they are.
	 */
	rcu_read_lock();
	for (i = 0; i < 10000; i++)
		kfree_batch_add(kb, objs[i]);
	pages = stat(kb, KFREE_BATCH_PAGES);
	rcu_read_unlock();
	KUNIT_EXPECT_GE(test, pages, DIV_ROUND_UP(10000 * sizeof(void *), PAGE_SIZE));
	KUNIT_EXPECT_GE(test, stat(kb, KFREE_BATCH_PAGES_ALLOCATED), pages);
	kfree_batch_barrier(kb);
	released = stat(kb, KFREE_BATCH_RELEASED);
	bulk = stat(kb, KFREE_BATCH_BULK_FREES);
	KUNIT_EXPECT_EQ(test, released, 10000);
	KUNIT_ASSERT_GT(test, bulk, 0);
	kunit_info(test, "%lu objects in %lu bulk frees\n", released, bulk);
	KUNIT_EXPECT_GT(test, released / bulk, 100);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * Caches used in turn on one CPU share its open block, which fills up
 * whatever the number of caches; its release makes one bulk free per
 * cache.
 */
static void test_interleaved_caches(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	const struct cpumask *here = cpumask_of(raw_smp_processor_id());
	struct kmem_cache *s[KFREE_BATCH_BLOCK_CACHES];
	void *p[KFREE_BATCH_BLOCK_CACHES];
	char name[32];
	int i, j, n = 2000;

	/* One CPU: its blocks fill, save the last. */
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, here), 0);
	for (j = 0; j < ARRAY_SIZE(s); j++) {
		snprintf(name, sizeof(name), "kfree_batch_kunit_mix%d", j);
		s[j] = new_cache(name, 64 + 32 * j);
		KUNIT_ASSERT_NOT_NULL(test, s[j]);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < ARRAY_SIZE(s); j++)
			p[j] = kmem_cache_alloc(s[j], GFP_KERNEL);
		for (j = 0; j < ARRAY_SIZE(s); j++)
			kfree_batch_add(kb, p[j]);
	}
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED),
			n * ARRAY_SIZE(s));
	kunit_info(test, "%lu objects of %zu caches in %lu bulk frees\n",
		   stat(kb, KFREE_BATCH_RELEASED), ARRAY_SIZE(s),
		   stat(kb, KFREE_BATCH_BULK_FREES));
	/* One bulk free per cache and block; full blocks, save the last. */
	KUNIT_EXPECT_LE(test, stat(kb, KFREE_BATCH_BULK_FREES),
			ARRAY_SIZE(s) * stat(kb, KFREE_BATCH_SEALED));
	KUNIT_EXPECT_GT(test, stat(kb, KFREE_BATCH_RELEASED) /
			stat(kb, KFREE_BATCH_BULK_FREES), 100);
	/* The per-cache counters (debugfs kfree_batch/caches) agree. */
	for (j = 0; j < ARRAY_SIZE(s); j++) {
		KUNIT_EXPECT_EQ(test, atomic_long_read(&s[j]->kfb_released), n);
		KUNIT_EXPECT_GT(test, atomic_long_read(&s[j]->kfb_bulk_frees), 0);
		KUNIT_EXPECT_EQ(test, atomic_long_read(&s[j]->kfb_sealed),
				atomic_long_read(&s[j]->kfb_bulk_frees));
		KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(s[j]), 0);
	}
	for (j = 0; j < ARRAY_SIZE(s); j++)
		kmem_cache_destroy(s[j]);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * A per-cache barrier lets its cache be destroyed at once, while another
 * cache's flood is still pending.
 */
static void test_barrier_cache(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct kmem_cache *a = new_cache("kfree_batch_kunit_a", 96);
	struct kmem_cache *b = new_cache("kfree_batch_kunit_b", 96);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < 3000; i++) {
		kfree_batch_add(kb, kmem_cache_alloc(b, GFP_KERNEL));
		if (i % 100 == 0)
			kfree_batch_add(kb, kmem_cache_alloc(a, GFP_KERNEL));
	}
	rcu_read_lock();
	for (i = 0; i < 1000; i++)
		kfree_batch_add(kb, kmem_cache_alloc(b, GFP_ATOMIC));
	rcu_read_unlock();

	kfree_batch_barrier_cache(a);
	kmem_cache_destroy(a);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
	/* b's open batches were left alone. */
	KUNIT_EXPECT_GT(test, stat(kb, KFREE_BATCH_PENDING), 0);

	kfree_batch_barrier_cache(b);
	kmem_cache_destroy(b);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
}

/* With no batch storage, objects with a head take the fallback list. */
static void test_fallback(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct test_obj *o;
	void *p;
	int i;

	kb->flags |= KFREE_BATCH_NO_STORAGE;
	rcu_read_lock();
	for (i = 0; i < 500; i++) {
		o = kmalloc_obj(*o, GFP_ATOMIC);
		KUNIT_ASSERT_NOT_NULL(test, o);
		kfree_batch_add_head(kb, &o->head, o);
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_FALLBACKS), 500);

	/* Headless, no storage: refused, the caller keeps it ... */
	p = kmalloc(32, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, kfree_batch_add(kb, p));
	/* ... and the sleeping form frees it after a grace period. */
	kfree_batch_add_mightsleep(kb, p);

	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 500);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
	kb->flags &= ~KFREE_BATCH_NO_STORAGE;
}

/*
 * Fallbacks that keep coming are released while they come: a sealed
 * fallback list keeps its grace period, and is not put off to a newer
 * one every time the worker seals the next.  (A liveness check: with the
 * old merging, most runs here released nothing within the 3 s, but a
 * grace period that ends inside a worker run lets a list through.)
 */
static void test_fallback_stream(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	unsigned long end = jiffies + 3 * HZ;
	unsigned long added = 0, released;
	struct test_obj *o;

	kb->flags |= KFREE_BATCH_NO_STORAGE;
	/* Many per jiffy: every run of the worker finds new ones to seal. */
	while (time_before(jiffies, end) && !stat(kb, KFREE_BATCH_RELEASED)) {
		o = kmalloc_obj(*o);
		KUNIT_ASSERT_NOT_NULL(test, o);
		kfree_batch_add_head(kb, &o->head, o);
		added++;
		usleep_range(50, 100);
	}
	released = stat(kb, KFREE_BATCH_RELEASED);
	kfree_batch_barrier(kb);
	kb->flags &= ~KFREE_BATCH_NO_STORAGE;
	KUNIT_EXPECT_GT_MSG(test, released, 0,
			    "%lu objects added over 3 s, none released", added);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), added);
}

/*
 * A barrier releases a fallback object that had to wait, unsealed, behind
 * an older sealed list: the older list is sealed and its grace period
 * cannot end (a reader holds it), and the newer object is added behind it.
 * The reader runs on another CPU and the adds on one CPU, so the order of
 * events does not depend on timing: the case sleeps until the worker has
 * sealed the older list.
 */
static void test_fallback_barrier_behind_sealed(struct kunit *test)
{
	struct kfree_batch *kb;
	struct test_obj *a, *b;
	struct watch w[2];
	struct reader *r;
	bool sealed;

	reader_need(test, &kfree_batch_rcu_ops);
	kb = new_client(test, &kfree_batch_rcu_ops);
	a = kmalloc_obj(*a);
	b = kmalloc_obj(*b);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	watch_init(&w[0], a->data, sizeof(a->data));
	watch_init(&w[1], b->data, sizeof(b->data));
	kb->flags |= KFREE_BATCH_NO_STORAGE;
	migrate_disable();
	r = reader_start(test, kb->ops, w, 0, 10000);
	kfree_batch_add_head(kb, &a->head, a);
	kfree_batch_flush(kb);
	/* The worker sealed @a and waits for a grace period for it. */
	sealed = wait_worker(kb, 5000);
	kfree_batch_add_head(kb, &b->head, b);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, reader_stop(r), 0);
	kfree_batch_barrier(kb);
	kb->flags &= ~KFREE_BATCH_NO_STORAGE;
	KUNIT_EXPECT_TRUE(test, sealed);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 2);
	KUNIT_EXPECT_TRUE(test, watch_freed(&w[0]));
	KUNIT_EXPECT_TRUE(test, watch_freed(&w[1]));
}

struct irq_ctx {
	struct hrtimer timer;
	struct kfree_batch *kb;
	void *objs[64];
	struct completion done;
};

static enum hrtimer_restart irq_add(struct hrtimer *t)
{
	struct irq_ctx *c = container_of(t, struct irq_ctx, timer);
	int i;

	for (i = 0; i < ARRAY_SIZE(c->objs); i++)
		kfree_batch_add(c->kb, c->objs[i]);
	complete(&c->done);
	return HRTIMER_NORESTART;
}

/* Adds from hard interrupt context. */
static void test_hardirq_add(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct irq_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->kb = kb;
	init_completion(&c->done);
	for (i = 0; i < ARRAY_SIZE(c->objs); i++) {
		c->objs[i] = kmalloc(64, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c->objs[i]);
	}
	hrtimer_setup(&c->timer, irq_add, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	hrtimer_start(&c->timer, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
	wait_for_completion(&c->done);
	hrtimer_cancel(&c->timer);

	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), ARRAY_SIZE(c->objs));
}

/*
 * An add that comes on top of an add on its CPU (from an interrupt or an
 * NMI) must not spin on the lock that its CPU holds: with a head it is
 * deferred, and the add underneath takes it before it unlocks; without a
 * head it fails.  The add underneath is simulated by the CPU's flag.
 */
static void test_add_on_top_of_add(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct test_obj *o[8], *last;
	struct kfree_batch_cpu *kc;
	bool queued, empty_before, empty_after;
	void *bare;
	int i;

	for (i = 0; i < ARRAY_SIZE(o); i++) {
		o[i] = kmalloc_obj(*o[i]);
		KUNIT_ASSERT_NOT_NULL(test, o[i]);
	}
	last = kmalloc_obj(*last);
	bare = kmalloc(32, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, last);
	KUNIT_ASSERT_NOT_NULL(test, bare);

	preempt_disable();
	kc = this_cpu_ptr(kb->pcpu);
	WRITE_ONCE(kc->adding, true);
	for (i = 0; i < ARRAY_SIZE(o); i++)
		kfree_batch_add_head(kb, &o[i]->head, o[i]);
	queued = kfree_batch_add(kb, bare);
	WRITE_ONCE(kc->adding, false);
	empty_before = llist_empty(&kc->deferred);
	/* The next add on this CPU takes the deferred objects. */
	kfree_batch_add_head(kb, &last->head, last);
	empty_after = llist_empty(&kc->deferred);
	preempt_enable();

	KUNIT_EXPECT_FALSE(test, queued);
	KUNIT_EXPECT_FALSE(test, empty_before);
	KUNIT_EXPECT_TRUE(test, empty_after);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_ADDED), ARRAY_SIZE(o) + 1);
	kfree(bare);
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), ARRAY_SIZE(o) + 1);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
}

struct storm {
	struct hrtimer timer;
	struct kfree_batch *kb;
	struct test_obj *objs[512];
	unsigned int fired;
};

static enum hrtimer_restart storm_add(struct hrtimer *t)
{
	struct storm *c = container_of(t, struct storm, timer);

	kfree_batch_add_head(c->kb, &c->objs[c->fired]->head, c->objs[c->fired]);
	if (++c->fired == ARRAY_SIZE(c->objs))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(10 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/*
 * Hard interrupt adds on the CPU of a task that adds all the time: some
 * come during the task's add.  Nothing deadlocks, nothing is lost.
 */
static void test_hardirq_storm(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct storm *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	unsigned long n = 0;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->kb = kb;
	for (i = 0; i < ARRAY_SIZE(c->objs); i++) {
		c->objs[i] = kmalloc_obj(*c->objs[i]);
		KUNIT_ASSERT_NOT_NULL(test, c->objs[i]);
	}
	migrate_disable();
	hrtimer_setup(&c->timer, storm_add, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_PINNED_HARD);
	hrtimer_start(&c->timer, ns_to_ktime(10 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);
	while (READ_ONCE(c->fired) < ARRAY_SIZE(c->objs) && n < 200000) {
		void *p = kmalloc(32, GFP_ATOMIC);

		if (p && kfree_batch_add(kb, p))
			n++;
		else
			kfree(p);
	}
	migrate_enable();
	/* A slow timer (QEMU under TCG) finishes without the adds. */
	for (i = 0; i < 500 && READ_ONCE(c->fired) < ARRAY_SIZE(c->objs); i++)
		msleep(20);
	hrtimer_cancel(&c->timer);
	kunit_info(test, "%lu adds, %u interrupt adds\n", n, c->fired);

	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, c->fired, ARRAY_SIZE(c->objs));
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), n + c->fired);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
	/* The objects the timer did not reach were never handed over. */
	for (i = c->fired; i < ARRAY_SIZE(c->objs); i++)
		kfree(c->objs[i]);
}

/* The _nolock form under a raw spinlock with interrupts off. */
static void test_nolock_under_raw_lock(struct kunit *test)
{
	static DEFINE_RAW_SPINLOCK(lock);
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct test_obj *o[32];
	unsigned long flags;
	int i;

	for (i = 0; i < ARRAY_SIZE(o); i++) {
		o[i] = kmalloc_obj(*o[i]);
		KUNIT_ASSERT_NOT_NULL(test, o[i]);
	}
	raw_spin_lock_irqsave(&lock, flags);
	for (i = 0; i < ARRAY_SIZE(o); i++)
		kfree_batch_add_nolock(kb, &o[i]->head, o[i]);
	raw_spin_unlock_irqrestore(&lock, flags);

	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), ARRAY_SIZE(o));
}

/*
 * A nolock add may only store into the open block: with interrupts off,
 * one that would open a block (which takes a lock and arms a timer) waits
 * for the irq_work, or for the next add on this CPU, and is then released
 * like any other; once a block is open, one of any cache is in it at once.
 * With KASAN, debug objects or kmemleak, whose checks may allocate, every
 * nolock add waits for the irq_work.
 */
static void test_nolock_defers_open(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	unsigned long flags, before, now;
	struct test_obj *a, *b, *c;
	int i;

	a = kmalloc_obj(*a);
	b = kzalloc(512, GFP_KERNEL);
	c = kmalloc_obj(*c);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	local_irq_save(flags);
	kfree_batch_add_nolock(kb, &c->head, c);	/* none open: deferred */
	before = stat(kb, KFREE_BATCH_ADDED);
	kfree_batch_add_head(kb, &a->head, a);		/* opens it, adds c */
	kfree_batch_add_nolock(kb, &b->head, b);	/* another cache */
	now = stat(kb, KFREE_BATCH_ADDED);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, before, 0);
	KUNIT_EXPECT_EQ(test, now, checks_first() ? 2 : 3);
	for (i = 0; i < 50 && stat(kb, KFREE_BATCH_ADDED) < 3; i++)
		msleep(20);
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 3);
}

/*
 * kfree_batch_add_nolock() from preemptible process context, the plainest
 * of the contexts it accepts: every object is released by the barrier.
 */
static void test_nolock_preemptible(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct test_obj *o;
	int i;

	for (i = 0; i < 64; i++) {
		o = kmalloc_obj(*o);
		KUNIT_ASSERT_NOT_NULL(test, o);
		kfree_batch_add_nolock(kb, &o->head, o);
		cond_resched();
	}
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 64);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
}

struct flood {
	struct kfree_batch *kb;
	struct kmem_cache *caches[3];
	unsigned int n;
	struct completion done;
};

static int flood_fn(void *data)
{
	struct flood *f = data;
	unsigned int i;

	for (i = 0; i < f->n; i++) {
		kfree_batch_add(f->kb, kmem_cache_alloc(f->caches[i % 3], GFP_KERNEL));
		if (i % 1024 == 0)
			cond_resched();
	}
	complete(&f->done);
	return 0;
}

/*
 * Run @fn on a kthread on every online CPU, each adding @n objects of the
 * three caches @caches (created with @sizes), and wait for them all.
 * Returns the number of kthreads.
 */
static unsigned int flood_all_cpus(struct kunit *test, int (*fn)(void *),
				   struct kfree_batch *kb,
				   struct kmem_cache *caches[3],
				   const unsigned int sizes[3], unsigned int n)
{
	static const char * const names[3] = {
		"kfree_batch_kunit_f0", "kfree_batch_kunit_f1",
		"kfree_batch_kunit_f2",
	};
	struct task_struct *t;
	unsigned int cpu, nr = 0, i;
	struct flood *f;

	f = kunit_kcalloc(test, nr_cpu_ids, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	for (i = 0; i < 3; i++) {
		caches[i] = new_cache(names[i], sizes[i]);
		KUNIT_ASSERT_NOT_NULL(test, caches[i]);
	}
	for_each_online_cpu(cpu) {
		f[nr].kb = kb;
		memcpy(f[nr].caches, caches, sizeof(f[nr].caches));
		f[nr].n = n;
		init_completion(&f[nr].done);
		t = kthread_run_on_cpu(fn, &f[nr], cpu, "kfb_flood/%u");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		nr++;
	}
	for (i = 0; i < nr; i++)
		wait_for_completion(&f[i].done);
	return nr;
}

/* Kthreads on every CPU flood three caches at once. */
static void test_flood_many_cpus(struct kunit *test)
{
	static const unsigned int sizes[3] = { 40, 200, 700 };
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct kmem_cache *caches[3];
	unsigned int nr, i;

	nr = flood_all_cpus(test, flood_fn, kb, caches, sizes, 30000);
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_ADDED), 30000UL * nr);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 30000UL * nr);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
	for (i = 0; i < 3; i++)
		kmem_cache_destroy(caches[i]);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/* The none domain releases without waiting for any grace period. */
static void test_none_domain(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_none_ops);
	unsigned long released;
	struct reader *r;
	int i;

	if (num_online_cpus() > 1) {
		/*
		 * A reader on another CPU holds RCU's grace periods; this
		 * CPU's worker, bound to it, runs while the case sleeps.
		 */
		r = reader_start(test, &kfree_batch_rcu_ops, NULL, 0, 5000);
		kfree_batch_add(kb, kmalloc(32, GFP_KERNEL));
		kfree_batch_flush(kb);
		for (i = 0; i < 200 && !stat(kb, KFREE_BATCH_RELEASED); i++)
			usleep_range(5000, 10000);
		released = stat(kb, KFREE_BATCH_RELEASED);
		reader_stop(r);
		KUNIT_EXPECT_EQ(test, released, 1);
	}
	kfree_batch_add(kb, kmalloc(32, GFP_KERNEL));
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_GP_WAITS), 0);
}

/* How an object reaches the engine, for test_early_free. */
enum add_path {
	PATH_FRESH,		/* kfree_batch_add(), first object of a batch */
	PATH_OPEN,		/* into a batch opened before the reader began */
	PATH_CACHE,		/* an object of a named kmem_cache */
	PATH_FALLBACK,		/* kfree_batch_add_head(), no batch storage */
	PATH_NOLOCK,		/* kfree_batch_add_nolock(): the deferred list */
	PATH_MIGHTSLEEP,	/* kfree_batch_add_mightsleep(), no storage */
	PATH_LARGE,		/* kmalloc() above KMALLOC_MAX_CACHE_SIZE */
	PATH_VMALLOC,		/* vmalloc() */
};

struct early_case {
	const char *name;
	enum add_path path;
	bool srcu;
};

static const struct early_case early_cases[] = {
	{ "fresh-rcu", PATH_FRESH, false },
	{ "fresh-srcu", PATH_FRESH, true },
	{ "open-rcu", PATH_OPEN, false },
	{ "open-srcu", PATH_OPEN, true },
	{ "cache-rcu", PATH_CACHE, false },
	{ "cache-srcu", PATH_CACHE, true },
	{ "fallback-rcu", PATH_FALLBACK, false },
	{ "fallback-srcu", PATH_FALLBACK, true },
	{ "nolock-rcu", PATH_NOLOCK, false },
	{ "nolock-srcu", PATH_NOLOCK, true },
	{ "mightsleep-rcu", PATH_MIGHTSLEEP, false },
	{ "mightsleep-srcu", PATH_MIGHTSLEEP, true },
	{ "large-rcu", PATH_LARGE, false },
	{ "large-srcu", PATH_LARGE, true },
	{ "vmalloc-rcu", PATH_VMALLOC, false },
	{ "vmalloc-srcu", PATH_VMALLOC, true },
};

static void early_case_desc(const struct early_case *e, char *desc)
{
	strscpy(desc, e->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(early_cases, early_cases, early_case_desc);

/*
 * Hand @o (at @p, the start of the object) to @kb the way @path says; the
 * paths with a head use @o's.  False if a headless add was refused.
 */
static bool add_by_path(struct kfree_batch *kb, enum add_path path,
			struct test_obj *o, void *p)
{
	unsigned long flags;

	switch (path) {
	case PATH_FALLBACK:
		kfree_batch_add_head(kb, &o->head, p);
		return true;
	case PATH_NOLOCK:
		/* Opening a batch is left to the irq_work, after the restore. */
		local_irq_save(flags);
		kfree_batch_add_nolock(kb, &o->head, p);
		local_irq_restore(flags);
		return true;
	case PATH_MIGHTSLEEP:
		kfree_batch_add_mightsleep(kb, p);
		return true;
	default:
		return kfree_batch_add(kb, p);
	}
}

/*
 * The object for @path, and the watch on it: all of it, but for the head
 * of the paths that need one (the head is the engine's to write).
 */
static void *early_alloc(struct kunit *test, enum add_path path,
			 struct kmem_cache *s, size_t *size, struct watch *w)
{
	struct test_obj *o;
	void *p;

	switch (path) {
	case PATH_LARGE:
		*size = KMALLOC_MAX_CACHE_SIZE + 1;
		p = kmalloc(*size, GFP_KERNEL);
		break;
	case PATH_VMALLOC:
		*size = 2 * PAGE_SIZE;
		p = vmalloc(*size);
		break;
	case PATH_CACHE:
		*size = sizeof(struct test_obj);
		p = kmem_cache_alloc(s, GFP_KERNEL);
		break;
	default:
		*size = sizeof(struct test_obj);
		p = kmalloc(*size, GFP_KERNEL);
		break;
	}
	KUNIT_ASSERT_NOT_NULL(test, p);
	o = p;
	if (path == PATH_FALLBACK || path == PATH_NOLOCK)
		watch_init(w, o->data, sizeof(o->data));
	else
		watch_init(w, p, *size);
	return p;
}

/*
 * No object is freed while a reader that began before its add is still
 * reading, whichever way it came in: the reader watches its contents all
 * along, and init_on_free zeroes whatever is freed.  After the barrier
 * the object is really freed.
 */
static void test_early_free(struct kunit *test)
{
	const struct early_case *e = test->param_value;
	const struct kfree_batch_gp_ops *ops = e->srcu ? &kfree_batch_srcu_ops :
							 &kfree_batch_rcu_ops;
	struct kfree_batch *kb;
	struct kmem_cache *s = NULL;
	struct reader *r;
	struct watch w;
	size_t size;
	void *p;

	reader_need(test, ops);
	kb = new_client(test, ops);
	KUNIT_ASSERT_TRUE_MSG(test, want_init_on_free(),
			      "needs init_on_free to see an early free");
	if (e->path == PATH_CACHE) {
		s = new_cache("kfree_batch_kunit_early", sizeof(struct test_obj));
		KUNIT_ASSERT_NOT_NULL(test, s);
	}
	p = early_alloc(test, e->path, s, &size, &w);

	/* One CPU for the adds: the batch opened first is the one added to. */
	migrate_disable();
	if (e->path == PATH_OPEN)
		kfree_batch_add(kb, kmalloc(size, GFP_KERNEL));
	if (e->path == PATH_FALLBACK || e->path == PATH_MIGHTSLEEP)
		kb->flags |= KFREE_BATCH_NO_STORAGE;
	/* A mightsleep add waits for the reader: it leaves on its own. */
	r = reader_start(test, ops, &w, 1,
			 e->path == PATH_MIGHTSLEEP ? 500 : 10000);
	KUNIT_EXPECT_TRUE(test, add_by_path(kb, e->path, p, p));
	migrate_enable();
	if (e->path != PATH_MIGHTSLEEP) {
		kfree_batch_flush(kb);
		KUNIT_EXPECT_TRUE_MSG(test, wait_worker(kb, 5000),
				      "the worker did not seal the flushed batch in 5 s");
	}
	KUNIT_EXPECT_EQ_MSG(test, reader_stop(r), 0,
			    "%s: freed under a reader", e->name);
	kfree_batch_barrier(kb);
	kb->flags &= ~KFREE_BATCH_NO_STORAGE;
	KUNIT_EXPECT_TRUE_MSG(test, watch_freed(&w),
			      "%s: not freed after the barrier", e->name);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/* A time bound case: how an object comes in, in which domain. */
struct bound_case {
	const char *name;
	enum add_path path;
	const struct kfree_batch_gp_ops *ops;
};

static const struct bound_case bound_cases[] = {
	{ "none", PATH_CACHE, &kfree_batch_none_ops },
	{ "none-fallback", PATH_FALLBACK, &kfree_batch_none_ops },
	{ "none-nolock", PATH_NOLOCK, &kfree_batch_none_ops },
	{ "rcu", PATH_CACHE, &kfree_batch_rcu_ops },
	{ "srcu", PATH_CACHE, &kfree_batch_srcu_ops },
};

static void bound_case_desc(const struct bound_case *b, char *desc)
{
	strscpy(desc, b->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bound_cases, bound_cases, bound_case_desc);

/* How long one grace period of @kb's domain takes now, in ms. */
static long gp_ms(struct kfree_batch *kb)
{
	ktime_t t0 = ktime_get();

	if (is_srcu(kb->ops))
		synchronize_srcu(&test_srcu);
	else if (kb->ops == &kfree_batch_rcu_ops)
		synchronize_rcu();
	return ktime_ms_delta(ktime_get(), t0);
}

/*
 * One object on an otherwise idle client, with no flush and no barrier,
 * is really freed within the time bound: seal_ms after the add, plus a
 * grace period of the domain, with a margin of a quarter of seal_ms for
 * the worker (and the timer's slack).  In the none domain there is no
 * grace period: the bound alone.
 */
static void test_time_bound(struct kunit *test)
{
	const struct bound_case *bc = test->param_value;
	struct kfree_batch *kb = new_client(test, bc->ops);
	unsigned int seal = kfree_batch_seal_ms();
	struct kmem_cache *s;
	struct test_obj *o;
	long took, gp, limit;
	struct watch w;
	ktime_t t0;

	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	s = new_cache("kfree_batch_kunit_bound", sizeof(*o));
	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	watch_init(&w, o->data, sizeof(o->data));
	if (bc->path == PATH_FALLBACK)
		kb->flags |= KFREE_BATCH_NO_STORAGE;
	t0 = ktime_get();
	add_by_path(kb, bc->path, o, o);
	took = wait_freed(&w, t0, 4 * seal + 5000);
	gp = gp_ms(kb);
	/* A batch was sealed for it (a fallback list is sealed whole). */
	if (bc->path != PATH_FALLBACK)
		KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_SEALED), 1);
	kb->flags &= ~KFREE_BATCH_NO_STORAGE;
	/* Twice the grace period just measured: the one waited for was earlier. */
	limit = seal + seal / 4 + 2 * gp;
	kunit_info(test, "%s: freed after %ld ms (seal_ms %u, a grace period %ld ms)\n",
		   bc->name, took, seal, gp);
	KUNIT_EXPECT_GE_MSG(test, took, 0, "%s: not freed in %u ms", bc->name,
			    4 * seal + 5000);
	KUNIT_EXPECT_LE_MSG(test, took, limit,
			    "%s: freed after %ld ms, the bound is %ld ms",
			    bc->name, took, limit);
	kfree_batch_barrier(kb);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * kfree_batch_destroy() frees every object added before it: in batches,
 * on a fallback list and on the deferred list.
 */
static void test_destroy_frees(struct kunit *test)
{
	struct kfree_batch *kb = kunit_kzalloc(test, sizeof(*kb), GFP_KERNEL);
	struct test_obj *a, *b, *c;
	struct watch w[3];
	unsigned long flags;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, kb);
	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	kb->name = "kunit";
	kb->ops = &kfree_batch_rcu_ops;
	KUNIT_ASSERT_EQ(test, kfree_batch_init(kb), 0);
	a = kmalloc_obj(*a);
	b = kmalloc_obj(*b);
	c = kmalloc_obj(*c);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	watch_init(&w[0], a->data, sizeof(a->data));
	watch_init(&w[1], b->data, sizeof(b->data));
	watch_init(&w[2], c->data, sizeof(c->data));
	kfree_batch_add(kb, a);
	kb->flags |= KFREE_BATCH_NO_STORAGE;
	kfree_batch_add_head(kb, &b->head, b);
	kb->flags &= ~KFREE_BATCH_NO_STORAGE;
	local_irq_save(flags);
	kfree_batch_add_nolock(kb, &c->head, c);
	local_irq_restore(flags);
	kfree_batch_destroy(kb);
	for (i = 0; i < ARRAY_SIZE(w); i++)
		KUNIT_EXPECT_TRUE_MSG(test, watch_freed(&w[i]),
				      "object %d not freed by kfree_batch_destroy()", i);
}

/*
 * kfree_batch_barrier_cache() frees every object of its cache, in each
 * domain, and only then returns; another cache's objects stay pending.
 */
struct domain_case {
	const char *name;
	const struct kfree_batch_gp_ops *ops;
	unsigned long flags;
};

static const struct domain_case domains[] = {
	{ "rcu", &kfree_batch_rcu_ops, 0 },
	{ "srcu", &kfree_batch_srcu_ops, 0 },
	{ "none", &kfree_batch_none_ops, 0 },
	{ "rcu-sheaves", &kfree_batch_rcu_ops, KFREE_BATCH_SHEAVES },
	{ "srcu-sheaves", &kfree_batch_srcu_ops, KFREE_BATCH_SHEAVES },
};

static void domain_desc(const struct domain_case *d, char *desc)
{
	strscpy(desc, d->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(domains, domains, domain_desc);

/*
 * A client that asked for sheaves must have a lane: kfree_rcu() holds one
 * and no case holds more than two at a time.
 */
static struct kfree_batch *new_domain_client(struct kunit *test,
					     const struct domain_case *d)
{
	struct kfree_batch *kb = new_flags_client(test, "kunit", d->ops,
						  d->flags);

	if (d->flags & KFREE_BATCH_SHEAVES)
		KUNIT_ASSERT_TRUE(test, kb->has_lane);
	return kb;
}

static void test_barrier_cache_domains(struct kunit *test)
{
	const struct domain_case *d = test->param_value;
	const struct kfree_batch_gp_ops *ops = d->ops;
	struct kfree_batch *kb = new_domain_client(test, d);
	struct kmem_cache *a = new_cache("kfree_batch_kunit_da", 64);
	struct kmem_cache *b = new_cache("kfree_batch_kunit_db", 64);
	struct watch w[8];
	void *p;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		p = kmem_cache_alloc(a, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		watch_init(&w[i], p, 64);
		kfree_batch_add(kb, p);
		kfree_batch_add(kb, kmem_cache_alloc(b, GFP_KERNEL));
	}
	kfree_batch_barrier_cache(a);
	for (i = 0; i < ARRAY_SIZE(w); i++)
		KUNIT_EXPECT_TRUE_MSG(test, watch_freed(&w[i]),
				      "%s: object %d of the cache not freed by its barrier",
				      ops->name, i);
	/*
	 * b's objects may have gone too: they share a's block, or their
	 * deferred sheaf was sealed with a's by the seal work.
	 */
	KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(a), 0);
	kmem_cache_destroy(a);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
	kfree_batch_barrier_cache(b);
	kmem_cache_destroy(b);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * kmem_cache_destroy() waits for the cache's objects pending in every
 * client and domain, on every configuration: also where kfree_rcu() is
 * not a kfree_batch client (TINY_RCU, as on UML), so that its barrier is
 * rcu_barrier().  Objects left would be reported as leaked by the destroy.
 */
static void test_destroy_waits_domains(struct kunit *test)
{
	const struct domain_case *d = test->param_value;
	struct kfree_batch *kb = new_domain_client(test, d);
	struct kmem_cache *s = new_cache("kfree_batch_kunit_dd", 64);
	void *p;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < 8; i++) {
		p = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		kfree_batch_add(kb, p);
	}
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ_MSG(test, slab_errors, 0,
			    "%s: kmem_cache_destroy() found objects left",
			    d->name);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 8);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
}

/*
 * An SRCU client with a sheaf lane: its objects go to SLUB's deferred
 * sheaf of their cache (a full one is sealed by the add that fills it,
 * long before a page of pointers would be), and a reader of its
 * srcu_struct keeps them, RCU grace periods or not.
 */
static void test_srcu_sheaves_reader_delays_free(struct kunit *test)
{
	struct kfree_batch *kb = new_flags_client(test, "kunit",
						  &kfree_batch_srcu_ops,
						  KFREE_BATCH_SHEAVES);
	struct kmem_cache *s = new_cache("kfree_batch_kunit_srcu_sheaf", 64);
	const struct cpumask *here = cpumask_of(raw_smp_processor_id());
	unsigned long flags = 0, sealed;
	struct watch *w;
	unsigned int i, n;
	void *p;
	int idx;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_TRUE(test, kb->has_lane);
	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	/* One CPU and node for the allocations and adds: one sheaf fills. */
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, here), 0);
	n = s->sheaf_capacity;
	if (!n) {
		kmem_cache_destroy(s);
		kunit_skip(test, "the cache has no sheaves (debug caches)");
	}
	w = kunit_kcalloc(test, n, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	for (i = 0; i < n; i++) {
		p = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		watch_init(&w[i], p, 64);
	}
	idx = srcu_read_lock(&test_srcu);
	/*
	 * With interrupts off, as under a raw lock: the add that fills the
	 * sheaf leaves call_srcu() to an irq_work.  On PREEMPT_RT only
	 * preemptible adds take the sheaves.
	 */
	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		local_irq_save(flags);
	for (i = 0; i < n; i++)
		kfree_batch_add(kb, (void *)w[i].p);
	sealed = stat(kb, KFREE_BATCH_SEALED);
	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, sealed, 1);
	/* RCU grace periods pass; the SRCU one waits for this reader. */
	synchronize_rcu();
	msleep(300);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE_MSG(test, watch_intact(&w[i]),
				      "object %u freed under an SRCU reader", i);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 0);
	srcu_read_unlock(&test_srcu, idx);

	kfree_batch_barrier(kb);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE_MSG(test, watch_freed(&w[i]),
				      "object %u not freed by the barrier", i);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), n);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/* ========================= kfree_srcu() ============================= */

struct srcu_obj {
	struct rcu_head rh;
	u8 data[48];
};

static void srcu_exit(void *ssp)
{
	cleanup_srcu_struct(ssp);
}

/*
 * An srcu_struct of the case, cleaned up when it ends.  Each call site of
 * init_srcu_struct() is a lockdep class: @other gives a second one, for a
 * reader of one srcu_struct held across a grace period of the other.
 */
static struct srcu_struct *new_srcu(struct kunit *test, bool other)
{
	struct srcu_struct *ssp = kunit_kzalloc(test, sizeof(*ssp), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ssp);
	if (other)
		KUNIT_ASSERT_EQ(test, init_srcu_struct(ssp), 0);
	else
		KUNIT_ASSERT_EQ(test, init_srcu_struct(ssp), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, srcu_exit, ssp),
			0);
	return ssp;
}

static struct srcu_obj *new_srcu_obj(struct kunit *test, struct watch *w)
{
	struct srcu_obj *o = kmalloc_obj(*o);

	KUNIT_ASSERT_NOT_NULL(test, o);
	watch_init(w, o->data, sizeof(o->data));
	return o;
}

/*
 * A reader of the srcu_struct keeps kfree_srcu()'d objects, those that
 * went to call_srcu() before its client was set up and those after, RCU
 * grace periods or not; a reader of another srcu_struct keeps none.
 */
static void test_kfree_srcu_readers(struct kunit *test)
{
	struct srcu_struct *a = new_srcu(test, false), *b = new_srcu(test, true);
	struct kfree_batch *kb;
	struct srcu_obj *o;
	struct watch w[16];
	int i, idx;

	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	/* The first object of b goes to call_srcu(): the barrier waits. */
	KUNIT_ASSERT_NULL(test, kfree_srcu_batch(b));
	o = new_srcu_obj(test, &w[0]);
	kfree_srcu(b, o, rh);
	kfree_srcu_barrier(b);
	KUNIT_EXPECT_TRUE_MSG(test, watch_freed(&w[0]),
			      "an object that went to call_srcu() not freed by kfree_srcu_barrier()");

	KUNIT_ASSERT_NULL(test, kfree_srcu_batch(a));
	idx = srcu_read_lock(a);
	o = new_srcu_obj(test, &w[0]);
	kfree_srcu(a, o, rh);
	kb = kfree_srcu_batch(a);
	KUNIT_ASSERT_NOT_NULL(test, kb);
	for (i = 1; i < 8; i++) {
		o = new_srcu_obj(test, &w[i]);
		kfree_srcu(a, o, rh);
	}
	kfree_batch_flush(kb);
	synchronize_rcu();
	msleep(200);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_TRUE_MSG(test, watch_intact(&w[i]),
				      "object %d freed under a reader of its srcu_struct",
				      i);
	srcu_read_unlock(a, idx);
	kfree_srcu_barrier(a);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_TRUE_MSG(test, watch_freed(&w[i]),
				      "object %d not freed by kfree_srcu_barrier()",
				      i);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 7);

	idx = srcu_read_lock(b);
	for (i = 8; i < 16; i++) {
		o = new_srcu_obj(test, &w[i]);
		kfree_srcu(a, o, rh);
	}
	kfree_srcu_barrier(a);
	for (i = 8; i < 16; i++)
		KUNIT_EXPECT_TRUE_MSG(test, watch_freed(&w[i]),
				      "object %d kept by a reader of another srcu_struct",
				      i);
	srcu_read_unlock(b, idx);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
}

#ifdef CONFIG_TASKS_TRACE_RCU
/*
 * kfree_rcu_tasks_trace(): a tasks-trace RCU reader keeps the objects,
 * RCU grace periods or not, and kfree_rcu_tasks_trace_barrier() frees
 * them once it has ended.
 */
static void test_kfree_rcu_tasks_trace(struct kunit *test)
{
	struct srcu_ctr __percpu *scp;
	struct srcu_obj *o;
	struct watch w[8];
	int i;

	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	/* A tasks-trace reader: what rcu_read_lock_tasks_trace() takes. */
	scp = srcu_read_lock_fast(&rcu_tasks_trace_srcu_struct);
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		o = new_srcu_obj(test, &w[i]);
		kfree_rcu_tasks_trace(o, rh);
	}
	synchronize_rcu();
	msleep(200);
	for (i = 0; i < ARRAY_SIZE(w); i++)
		KUNIT_EXPECT_TRUE_MSG(test, watch_intact(&w[i]),
				      "object %d freed under a tasks-trace reader",
				      i);
	srcu_read_unlock_fast(&rcu_tasks_trace_srcu_struct, scp);
	kfree_rcu_tasks_trace_barrier();
	for (i = 0; i < ARRAY_SIZE(w); i++)
		KUNIT_EXPECT_TRUE_MSG(test, watch_freed(&w[i]),
				      "object %d not freed by kfree_rcu_tasks_trace_barrier()",
				      i);
}
#endif

/*
 * cleanup_srcu_struct() right after a flood of kfree_srcu() (the first
 * ones with interrupts off, before the client is set up) and
 * kfree_srcu_mightsleep(): every object is freed, no callback or grace
 * period is left for it to warn about, and the cache can go.
 */
static void test_kfree_srcu_cleanup_after_flood(struct kunit *test)
{
	struct srcu_struct *ssp = kunit_kzalloc(test, sizeof(*ssp), GFP_KERNEL);
	struct kmem_cache *s = new_cache("kfree_batch_kunit_srcu",
					 sizeof(struct srcu_obj));
	struct srcu_obj *o, *first[64];
	unsigned long flags;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ssp);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, init_srcu_struct(ssp), 0);
	for (i = 0; i < ARRAY_SIZE(first); i++) {
		first[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, first[i]);
	}
	local_irq_save(flags);
	for (i = 0; i < ARRAY_SIZE(first); i++)
		kfree_srcu(ssp, first[i], rh);
	local_irq_restore(flags);
	for (i = 0; i < 5000; i++) {
		o = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, o);
		if (i % 10)
			kfree_srcu(ssp, o, rh);
		else
			kfree_srcu_mightsleep(ssp, o);
	}
	cleanup_srcu_struct(ssp);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ_MSG(test, slab_errors, 0,
			    "kfree_srcu()'d objects left after cleanup_srcu_struct()");
}

/*
 * More srcu_structs than kfree_srcu() can note for setup meet it at once,
 * with interrupts off: the last ones get no client, and their objects go
 * to call_srcu() only.  cleanup_srcu_struct() still waits for them, with
 * or without a client.
 */
#ifdef CONFIG_PRINTK
static unsigned int log_lines(struct kunit *test, const char *needle);
#endif

static void test_kfree_srcu_no_client(struct kunit *test)
{
	struct kmem_cache *s = new_cache("kfree_batch_kunit_srcu_nc",
					 sizeof(struct srcu_obj));
	struct srcu_struct *ssp, *last;
	struct srcu_obj *o[12];
	unsigned long flags;
	unsigned int warned = 0;
	struct watch w;
	int i, idx;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	ssp = kunit_kcalloc(test, ARRAY_SIZE(o), sizeof(*ssp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ssp);
	for (i = 0; i < ARRAY_SIZE(o); i++) {
		KUNIT_ASSERT_EQ(test, init_srcu_struct(&ssp[i]), 0);
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, o[i]);
	}
	last = &ssp[ARRAY_SIZE(o) - 1];
	watch_init(&w, o[ARRAY_SIZE(o) - 1]->data, sizeof(o[0]->data));
	/* Its callback waits for this reader: the cleanup must wait too. */
	idx = srcu_read_lock(last);
	local_irq_save(flags);
	for (i = 0; i < ARRAY_SIZE(o); i++)
		kfree_srcu(&ssp[i], o[i], rh);
	local_irq_restore(flags);
	KUNIT_EXPECT_NOT_NULL(test, kfree_srcu_batch(&ssp[0]));
	KUNIT_EXPECT_NULL(test, kfree_srcu_batch(last));
	srcu_read_unlock(last, idx);
#ifdef CONFIG_PRINTK
	warned = log_lines(test, "cleanup_srcu_struct");
#endif
	cleanup_srcu_struct(last);
#ifdef CONFIG_PRINTK
	warned = log_lines(test, "cleanup_srcu_struct") - warned;
#endif
	/* It warns, and leaks, if a callback is left. */
	KUNIT_EXPECT_EQ_MSG(test, warned, 0,
			    "cleanup_srcu_struct() found kfree_srcu()'s callback pending");
	KUNIT_EXPECT_TRUE_MSG(test, watch_freed(&w),
			      "the object of an srcu_struct without a client not freed by cleanup_srcu_struct()");
	for (i = 0; i < ARRAY_SIZE(o) - 1; i++)
		cleanup_srcu_struct(&ssp[i]);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ_MSG(test, slab_errors, 0,
			    "objects left after cleanup_srcu_struct()");
}

/* A client set up by hand, destroyed by the case. */
static struct kfree_batch *lease_client(struct kunit *test, unsigned int i)
{
	struct kfree_batch *kb = kunit_kzalloc(test, sizeof(*kb), GFP_KERNEL);
	char *name = kunit_kzalloc(test, 16, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, kb);
	KUNIT_ASSERT_NOT_NULL(test, name);
	snprintf(name, 16, "kunit_lease%u", i);
	kb->name = name;
	kb->ops = &kfree_batch_rcu_ops;
	kb->flags = KFREE_BATCH_SHEAVES;
	KUNIT_ASSERT_EQ(test, kfree_batch_init(kb), 0);
	return kb;
}

/*
 * Sheaf lanes are leased: once every lane is taken, a client asking for
 * one gets pointer pages and still frees its objects; a destroyed client
 * gives its lane back, to a new client that starts with clean counters.
 */
static void test_lane_lease(struct kunit *test)
{
	struct kfree_batch *kb[SLAB_DEFER_LANES + 1];
	unsigned int i, n = 0, leased = 0;
	struct watch w;
	void *p;

	for (i = 0; i < ARRAY_SIZE(kb); i++) {
		kb[n] = lease_client(test, n);
		leased += kb[n++]->has_lane;
		if (!kb[n - 1]->has_lane)
			break;
	}
	/* kfree_rcu() holds a lane, and other cases hold none now. */
	KUNIT_EXPECT_FALSE(test, kb[n - 1]->has_lane);
	KUNIT_EXPECT_EQ(test, leased,
			SLAB_DEFER_LANES - IS_ENABLED(CONFIG_KVFREE_RCU_BATCHED));
	p = kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	watch_init(&w, p, 64);
	kfree_batch_add(kb[n - 1], p);
	kfree_batch_barrier(kb[n - 1]);
	KUNIT_EXPECT_TRUE(test, watch_freed(&w));

	/* Give back a lane that held objects; the next client takes it. */
	if (n > 1) {
		kfree_batch_add(kb[0], kmalloc(64, GFP_KERNEL));
		kfree_batch_destroy(kb[0]);
		kb[0] = lease_client(test, n);
		KUNIT_EXPECT_TRUE(test, kb[0]->has_lane);
		KUNIT_EXPECT_EQ(test, stat(kb[0], KFREE_BATCH_ADDED), 0);
		KUNIT_EXPECT_EQ(test, stat(kb[0], KFREE_BATCH_RELEASED), 0);
	}
	for (i = 0; i < n; i++)
		kfree_batch_destroy(kb[i]);
}

#if IS_BUILTIN(CONFIG_KFREE_BATCH_KUNIT_TEST)
/*
 * Memory pressure seals what is open at once: after the shrinkers run,
 * an object in the none domain is freed well before its time bound.
 * Built in only: drop_slab() is not exported.
 */
static void test_shrinker_flushes(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_none_ops);
	unsigned int seal = kfree_batch_seal_ms();
	struct kmem_cache *s = new_cache("kfree_batch_kunit_shrink", 64);
	struct watch w;
	ktime_t t0;
	long took;
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	watch_init(&w, p, 64);
	t0 = ktime_get();
	kfree_batch_add(kb, p);
	drop_slab();
	took = wait_freed(&w, t0, 4 * seal + 5000);
	kunit_info(test, "freed %ld ms after the add (seal_ms %u)\n", took, seal);
	KUNIT_EXPECT_GE(test, took, 0);
	KUNIT_EXPECT_LT_MSG(test, took, seal / 2,
			    "the shrinker did not seal the open batch");
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * Objects a release gives back whole sheaves of wait in the barn for the
 * next allocations, beyond MAX_FULL_SHEAVES while slab_reuse_kb allows
 * (SLUB, mm/slub.c).  Seen from outside, as /proc/slabinfo shows it: the
 * released objects stay active in their slabs until allocations take
 * them, and those allocations take no new slab.  Built in only:
 * slab_reuse_kb and get_slabinfo() are not exported.
 */
#define REUSE_SHEAVES 40

struct reuse {
	struct kfree_batch *kb;
	struct kmem_cache *s;
	void **objs;
	unsigned int n;
};

/*
 * On one CPU, so that the objects an allocation takes back come from the
 * barn of the node they were allocated on.
 */
static bool reuse_init(struct kunit *test, struct reuse *r, const char *name)
{
	const struct cpumask *here = cpumask_of(raw_smp_processor_id());

	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, here), 0);
	r->kb = new_client(test, &kfree_batch_rcu_ops);
	r->s = new_cache(name, 64);
	KUNIT_ASSERT_NOT_NULL(test, r->s);
	if (!r->s->sheaf_capacity || IS_ENABLED(CONFIG_KASAN_GENERIC)) {
		/* No barn; or KASAN keeps freed objects in its quarantine. */
		kmem_cache_destroy(r->s);
		return false;
	}
	r->n = REUSE_SHEAVES * r->s->sheaf_capacity;
	r->objs = kunit_kmalloc_array(test, r->n, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->objs);
	return true;
}

static void reuse_alloc(struct kunit *test, struct reuse *r)
{
	for (unsigned int i = 0; i < r->n; i++) {
		r->objs[i] = kmem_cache_alloc(r->s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r->objs[i]);
	}
}

/* Release every object through the client; return the active objects. */
static unsigned long reuse_release(struct reuse *r)
{
	struct slabinfo info = {};

	for (unsigned int i = 0; i < r->n; i++)
		kfree_batch_add(r->kb, r->objs[i]);
	kfree_batch_barrier(r->kb);
	get_slabinfo(r->s, &info);
	return info.active_objs;
}

static unsigned long reuse_slabs(struct reuse *r)
{
	struct slabinfo info = {};

	get_slabinfo(r->s, &info);
	return info.num_slabs;
}

static void reuse_done(struct kunit *test, struct reuse *r, unsigned long kb)
{
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	WRITE_ONCE(slab_reuse_kb, kb);
	kmem_cache_destroy(r->s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

static void test_release_reuses_sheaves(struct kunit *test)
{
	unsigned long kb = READ_ONCE(slab_reuse_kb), active, slabs;
	struct reuse r;

	if (!reuse_init(test, &r, "kfree_batch_kunit_reuse"))
		kunit_skip(test, "the cache has no barn, or KASAN quarantines");
	/* Room for every other cache's too: this case is not about the cap. */
	WRITE_ONCE(slab_reuse_kb, kb + SZ_64M / SZ_1K);
	reuse_alloc(test, &r);
	active = reuse_release(&r);
	kunit_info(test, "%lu of %u released objects wait for reuse\n",
		   active, r.n);
	KUNIT_EXPECT_GE_MSG(test, active, r.n * 3 / 4,
			    "the released objects went back to their slabs");
	slabs = reuse_slabs(&r);
	reuse_alloc(test, &r);
	KUNIT_EXPECT_LE_MSG(test, reuse_slabs(&r), slabs,
			    "the allocations after the release took new slabs");
	for (unsigned int i = 0; i < r.n; i++)
		kmem_cache_free(r.s, r.objs[i]);
	reuse_done(test, &r, kb);
}

/*
 * slab_reuse_kb bounds what the barns keep: 0 keeps them at
 * MAX_FULL_SHEAVES, and a budget of one release's objects keeps them
 * round after round, as allocations give the budget back.
 */
static void test_reuse_cap(struct kunit *test)
{
	unsigned long kb = READ_ONCE(slab_reuse_kb), active;
	struct reuse r;
	int round;

	if (!reuse_init(test, &r, "kfree_batch_kunit_reuse_cap"))
		kunit_skip(test, "the cache has no barn, or KASAN quarantines");
	WRITE_ONCE(slab_reuse_kb, 0);
	reuse_alloc(test, &r);
	active = reuse_release(&r);
	kunit_info(test, "slab_reuse_kb=0: %lu of %u objects kept\n",
		   active, r.n);
	KUNIT_EXPECT_LE_MSG(test, active, r.n / 2,
			    "the barn kept sheaves beyond its limit with no budget");

	/* The objects of one release, and a few sheaves to spare. */
	WRITE_ONCE(slab_reuse_kb, DIV_ROUND_UP((r.n + 8 * r.s->sheaf_capacity) *
					       r.s->size, SZ_1K));
	for (round = 0; round < 3; round++) {
		reuse_alloc(test, &r);
		active = reuse_release(&r);
		kunit_info(test, "round %d: %lu of %u objects kept\n", round,
			   active, r.n);
		KUNIT_EXPECT_GE_MSG(test, active, r.n * 3 / 4,
				    "round %d: the budget was not given back", round);
	}
	reuse_done(test, &r, kb);
}

/* Under memory pressure the barns give what they keep back to the slabs. */
static void test_reuse_shrinker(struct kunit *test)
{
	unsigned long kb = READ_ONCE(slab_reuse_kb), active;
	struct slabinfo info = {};
	struct reuse r;

	if (!reuse_init(test, &r, "kfree_batch_kunit_reuse_shrink"))
		kunit_skip(test, "the cache has no barn, or KASAN quarantines");
	WRITE_ONCE(slab_reuse_kb, kb + SZ_64M / SZ_1K);
	reuse_alloc(test, &r);
	active = reuse_release(&r);
	KUNIT_EXPECT_GE(test, active, r.n * 3 / 4);
	drop_slab();
	get_slabinfo(r.s, &info);
	kunit_info(test, "%lu objects kept, %lu after the shrinkers\n", active,
		   info.active_objs);
	KUNIT_EXPECT_LE_MSG(test, info.active_objs, r.n / 2,
			    "the shrinker left the kept sheaves in the barn");
	reuse_done(test, &r, kb);
}

#endif

#ifdef CONFIG_HOTPLUG_CPU
struct hotplug_ctx {
	struct kfree_batch *kb;
	struct completion done;
};

static int hotplug_add_fn(void *data)
{
	struct hotplug_ctx *c = data;
	int i;

	for (i = 0; i < 100; i++)
		kfree_batch_add(c->kb, kmalloc(128, GFP_KERNEL));
	complete(&c->done);
	return 0;
}

/* Objects left on a CPU that goes offline are still released, in time. */
static void test_cpu_offline(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct hotplug_ctx c = { .kb = kb };
	struct task_struct *t;
	unsigned int cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	cpu = cpumask_last(cpu_online_mask);
	init_completion(&c.done);
	t = kthread_run_on_cpu(hotplug_add_fn, &c, cpu, "kfb_hotplug/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&c.done);
	KUNIT_ASSERT_EQ(test, stat(kb, KFREE_BATCH_ADDED), 100);

	KUNIT_ASSERT_EQ(test, remove_cpu(cpu), 0);
	/* No flush, no barrier: the time bound alone must release them. */
	KUNIT_EXPECT_TRUE(test, wait_released(kb, 100, 10000));
	/* Let the worker find the batch's time bound passed while offline. */
	msleep(1500);
	KUNIT_ASSERT_EQ(test, add_cpu(cpu), 0);

	/* Back online, the CPU's batches keep their time bound. */
	reinit_completion(&c.done);
	t = kthread_run_on_cpu(hotplug_add_fn, &c, cpu, "kfb_hotplug/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&c.done);
	KUNIT_EXPECT_TRUE(test, wait_released(kb, 200, 10000));
}

struct barrier_ctx {
	struct kfree_batch *kb;
	struct kmem_cache *s;		/* a per-cache barrier if not NULL */
	struct completion done;
};

static int barrier_fn(void *data)
{
	struct barrier_ctx *c = data;

	if (c->s)
		kfree_batch_barrier_cache(c->s);
	else
		kfree_batch_barrier(c->kb);
	complete(&c->done);
	return 0;
}

/*
 * A CPU goes offline while a barrier waits for its grace period, which an
 * SRCU reader holds: CPU hotplug does not wait for the barrier, and the
 * barrier still frees the object once the reader is gone.
 */
static void test_barrier_no_hotplug_wait(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_srcu_ops);
	struct kmem_cache *s = new_cache("kfree_batch_kunit_hp", 64);
	struct barrier_ctx c = { .kb = kb };
	struct task_struct *t;
	struct reader *r;
	struct watch w;
	unsigned int cpu;
	bool done;
	void *p;
	int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	cpu = cpumask_last(cpu_online_mask);
	for (i = 0; i < 2; i++) {
		p = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		watch_init(&w, p, 64);
		r = reader_start(test, &kfree_batch_srcu_ops, &w, 1, 10000);
		KUNIT_ASSERT_TRUE(test, kfree_batch_add(kb, p));
		c.s = i ? s : NULL;
		init_completion(&c.done);
		t = kthread_run(barrier_fn, &c, "kfb_barrier");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		/* Time to seal; then it waits for the reader. */
		msleep(300);
		KUNIT_ASSERT_EQ(test, remove_cpu(cpu), 0);
		done = completion_done(&c.done);
		KUNIT_ASSERT_EQ(test, add_cpu(cpu), 0);
		KUNIT_EXPECT_EQ(test, reader_stop(r), 0);
		wait_for_completion(&c.done);
		KUNIT_EXPECT_FALSE_MSG(test, done,
				       "CPU hotplug waited for %s's grace period",
				       i ? "kfree_batch_barrier_cache()" :
				       "kfree_batch_barrier()");
		KUNIT_EXPECT_TRUE(test, watch_freed(&w));
	}
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}
#endif

/* RCU's operations, with the expedited ones counted. */
static struct kfree_batch_gp_ops counted_ops;
static atomic_t expedited_calls;

static void counted_sync_expedited(struct kfree_batch *kb)
{
	atomic_inc(&expedited_calls);
	kfree_batch_rcu_ops.synchronize_expedited(kb);
}

static void counted_expedite(struct kfree_batch *kb)
{
	atomic_inc(&expedited_calls);
	kfree_batch_rcu_ops.expedite(kb);
}

/*
 * No expedited grace period unless an administrator asks for one (the
 * kfree_batch.backlog and expedite_destroy parameters, off by default): not
 * for a per-cache barrier, which kmem_cache_destroy() runs, and not for a
 * flood of adds on one CPU.
 */
static void test_no_expedited_gp(struct kunit *test)
{
	struct kmem_cache *s = new_cache("kfree_batch_kunit_noexp", 64);
	struct kfree_batch *kb;
	struct watch w;
	void *p;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	counted_ops = kfree_batch_rcu_ops;
	counted_ops.name = "rcu-counted";
	counted_ops.synchronize_expedited = counted_sync_expedited;
	counted_ops.expedite = counted_expedite;
	atomic_set(&expedited_calls, 0);
	kb = new_client(test, &counted_ops);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	watch_init(&w, p, 64);
	KUNIT_ASSERT_TRUE(test, kfree_batch_add(kb, p));
	kfree_batch_barrier_cache(s);
	KUNIT_EXPECT_TRUE(test, watch_freed(&w));
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&expedited_calls), 0,
			    "a per-cache barrier expedited a grace period");

	/* Far more than a CPU's batches hold, with the worker looking on. */
	for (i = 0; i < 20000; i++) {
		p = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		if (!kfree_batch_add(kb, p))
			kmem_cache_free(s, p);
		if (i % 1000 == 999)
			msleep(20);
	}
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&expedited_calls), 0,
			    "a flood of adds expedited a grace period");
	KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(s), 0);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

struct rcu_obj {
	u64 data[4];
	struct rcu_head rcu;
	struct kvfree_rcu_head kvrcu;
};

/*
 * Every kfree_rcu() form frees, and a cache can be destroyed right after,
 * with or without CONFIG_KVFREE_RCU_BATCHED: UML's TINY_RCU kernel runs
 * this case on 7.3's one-call_rcu()-per-object path.
 */
static void test_kfree_rcu_forms(struct kunit *test)
{
	static DEFINE_RAW_SPINLOCK(lock);
	struct kmem_cache *s = new_cache("kfree_batch_kunit_forms",
					 sizeof(struct rcu_obj));
	struct rcu_obj *o[4];
	unsigned long flags;
	void *v;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < ARRAY_SIZE(o); i++) {
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, o[i]);
	}
	kfree_rcu(o[0], rcu);
	kvfree_rcu(o[1], rcu);
	kfree_rcu_mightsleep(o[2]);
	raw_spin_lock_irqsave(&lock, flags);
	kfree_rcu_nolock(o[3], kvrcu);
	raw_spin_unlock_irqrestore(&lock, flags);
	v = vmalloc(2 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, v);
	kvfree_rcu_mightsleep(v);
	kvfree_rcu_barrier();
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * A cache without sheaves (a debug cache), so that kfree_nolock() defers
 * every free, with one object kept allocated on the slab of the ones
 * freed: the slab's count of objects in use shows what was freed.
 */
struct nolock_case {
	struct kmem_cache *s;
	void *keep;
	struct slab *slab;
	void *objs[16];
	unsigned int n;
	atomic_t step;
};

static void nolock_case_init(struct kunit *test, struct nolock_case *c)
{
	void *p;
	int i;

	/* SLAB_NOLEAKTRACE: kfree_nolock() leaves kmemleak's record behind. */
	c->s = kmem_cache_create("kfree_batch_kunit_kfnl", 64, 0,
				 SLAB_NO_MERGE | SLAB_CONSISTENCY_CHECKS |
				 SLAB_NOLEAKTRACE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c->s);
	c->s->flags |= SLAB_SKIP_KFENCE;
	if (c->s->sheaf_capacity) {
		kmem_cache_destroy(c->s);
		kunit_skip(test, "a debug cache has sheaves (no SLUB_DEBUG)");
	}
	c->keep = kmem_cache_alloc(c->s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->keep);
	c->slab = virt_to_slab(c->keep);
	c->n = 0;
	for (i = 0; i < ARRAY_SIZE(c->objs); i++) {
		p = kmem_cache_alloc(c->s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		if (virt_to_slab(p) == c->slab)
			c->objs[c->n++] = p;
		else
			kmem_cache_free(c->s, p);
	}
	KUNIT_ASSERT_GT(test, c->n, 1);
	atomic_set(&c->step, 0);
}

static void nolock_case_free(struct nolock_case *c)
{
	static DEFINE_RAW_SPINLOCK(lock);
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&lock, flags);
	for (i = 0; i < c->n; i++)
		kfree_nolock(c->objs[i]);
	raw_spin_unlock_irqrestore(&lock, flags);
}

/* The slab's objects in use, as SLUB counts them. */
static unsigned int nolock_case_inuse(struct nolock_case *c)
{
	struct freelist_counters fc;

	/* data_race(): a glance; @keep holds the slab. */
	fc.counters = data_race(c->slab->counters);
	return fc.inuse;
}

/*
 * kfree_nolock() under a raw spinlock with interrupts off, on a cache
 * whose frees it must defer: the CPU's irq_work frees the objects, no
 * barrier and no timer needed, in one bulk free for the cache.
 */
static void test_kfree_nolock_released(struct kunit *test)
{
	struct kfree_batch *kb = &kfree_nolock_batch;
	unsigned long bulk = stat(kb, KFREE_BATCH_BULK_FREES);
	struct nolock_case c;
	int cpu;

	nolock_case_init(test, &c);
	KUNIT_ASSERT_EQ(test, nolock_case_inuse(&c), c.n + 1);
	cpu = get_cpu();
	nolock_case_free(&c);
	put_cpu();
	irq_work_sync(&per_cpu_ptr(kb->pcpu, cpu)->deferred_work);
	KUNIT_EXPECT_EQ(test, nolock_case_inuse(&c), 1);
	KUNIT_EXPECT_GE(test, stat(kb, KFREE_BATCH_BULK_FREES), bulk + 1);
	kmem_cache_free(c.s, c.keep);
	kmem_cache_destroy(c.s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

static int nolock_destroy_fn(void *data)
{
	u64 end = ktime_get_ns() + NSEC_PER_SEC;
	struct nolock_case *c = data;
	unsigned long flags;

	local_irq_save(flags);
	nolock_case_free(c);
	atomic_set(&c->step, 1);
	/*
	 * Hold the irq_work back until the destroy has begun, and then
	 * some; at most a second, should the case's own thread be stuck.
	 */
	while (atomic_read(&c->step) < 2 && ktime_get_ns() < end)
		cpu_relax();
	mdelay(100);
	local_irq_restore(flags);
	while (!kthread_should_stop())
		schedule_timeout_idle(1);
	return 0;
}

/*
 * kmem_cache_destroy() of a cache whose kfree_nolock()'d objects wait for
 * the irq_work of a CPU that has interrupts off.  The per-cache barrier
 * that the destroy runs first (kfree_batch_barrier_cache()) waits for
 * them: they are freed when it returns, while one object still holds the
 * slab.  (The destroy itself would also find them freed if it waited for
 * that CPU in any other way, as its rcu_barrier() retry does.)
 */
static void test_kfree_nolock_destroy(struct kunit *test)
{
	struct task_struct *t;
	struct nolock_case c;
	int cpu, here;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	nolock_case_init(test, &c);
	/* Not on the CPU that holds its interrupts off: pinned. */
	here = raw_smp_processor_id();
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(here)), 0);
	cpu = cpumask_any_but(cpu_online_mask, here);
	t = kthread_run_on_cpu(nolock_destroy_fn, &c, cpu, "kfb_nolock/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	while (!atomic_read(&c.step))
		usleep_range(100, 200);
	atomic_set(&c.step, 2);
	kfree_batch_barrier_cache(c.s);
	KUNIT_EXPECT_EQ_MSG(test, nolock_case_inuse(&c), 1,
			    "the per-cache barrier left kfree_nolock()'s objects");
	kthread_stop(t);
	kmem_cache_free(c.s, c.keep);
	kmem_cache_destroy(c.s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

#ifdef CONFIG_KVFREE_RCU_BATCHED

/* kfree_rcu() of a named cache's objects; the cache is destroyed at once. */
static void test_kfree_rcu_destroy(struct kunit *test)
{
	struct kmem_cache *s = new_cache("kfree_batch_kunit_rcu", sizeof(struct rcu_obj));
	struct rcu_obj *o;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < 1000; i++) {
		o = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, o);
		kfree_rcu(o, rcu);
	}
	KUNIT_EXPECT_GT(test, kfree_batch_cache_pending(s), 0);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/* kvfree_rcu() of vmalloc memory, and kvfree_rcu_barrier(). */
static void test_kvfree_rcu_vmalloc(struct kunit *test)
{
	unsigned long before = stat(&kvfree_rcu_batch, KFREE_BATCH_ADDED);
	struct rcu_obj *o;
	int i;

	for (i = 0; i < 16; i++) {
		o = vmalloc(2 * PAGE_SIZE);
		KUNIT_ASSERT_NOT_NULL(test, o);
		kvfree_rcu(o, rcu);
	}
	KUNIT_EXPECT_GE(test, stat(&kvfree_rcu_batch, KFREE_BATCH_ADDED) - before, 16);
	kvfree_rcu_barrier();
}

/* kfree_rcu_nolock() with a raw spinlock held and interrupts off. */
static void test_kfree_rcu_nolock(struct kunit *test)
{
	static DEFINE_RAW_SPINLOCK(lock);
	struct kmem_cache *s = new_cache("kfree_batch_kunit_nolock", sizeof(struct rcu_obj));
	struct rcu_obj *o[32];
	unsigned long flags;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < ARRAY_SIZE(o); i++) {
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, o[i]);
	}
	raw_spin_lock_irqsave(&lock, flags);
	for (i = 0; i < ARRAY_SIZE(o); i++)
		kfree_rcu_nolock(o[i], kvrcu);
	raw_spin_unlock_irqrestore(&lock, flags);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * kfree_rcu_mightsleep()'s object is freed by the barrier on its cache, and
 * the engine's mightsleep add frees at once, after a grace period, when no
 * batch storage can be had.  That is shown on a client of the case's own:
 * kfree_rcu()'s client is live, shared with the rest of the kernel, and
 * its flags are not the case's to change.
 */
static void test_kfree_rcu_mightsleep_no_storage(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct kmem_cache *s = new_cache("kfree_batch_kunit_sleep", 64);
	struct watch w;
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kfree_rcu_mightsleep(p);
	kvfree_rcu_barrier();
	KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(s), 0);

	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	watch_init(&w, p, 64);
	kb->flags |= KFREE_BATCH_NO_STORAGE;
	kfree_batch_add_mightsleep(kb, p);
	/* Freed before the call returned: nothing pending, nothing left over. */
	KUNIT_EXPECT_TRUE(test, watch_freed(&w));
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_PENDING), 0);
	KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(s), 0);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * kfree_rcu() of objects of many more caches than a per-cache slot table has,
 * in turn on one CPU: no cache's batch evicts another's.  Each cache's
 * open batch is its own deferred sheaf in SLUB's per-CPU sheaves, and the
 * objects leave in whole sheaves.
 */
static void test_kfree_rcu_many_caches(struct kunit *test)
{
	unsigned long added, released, frees, per, cap = ULONG_MAX;
	struct kmem_cache *s[24];
	struct rcu_obj *o[24];
	char name[32];
	/* Not a multiple of a sheaf capacity: the barrier seals open ones. */
	int i, j, n = 301;

	for (j = 0; j < ARRAY_SIZE(s); j++) {
		snprintf(name, sizeof(name), "kfree_batch_kunit_many%d", j);
		s[j] = new_cache(name, sizeof(struct rcu_obj) + 8 * j);
		KUNIT_ASSERT_NOT_NULL(test, s[j]);
		if (!cache_has_sheaves(s[j]))
			kunit_skip(test, "caches without sheaves (debug)");
		cap = min_t(unsigned long, cap, s[j]->sheaf_capacity);
	}
	added = stat(&kvfree_rcu_batch, KFREE_BATCH_ADDED);
	released = stat(&kvfree_rcu_batch, KFREE_BATCH_RELEASED);
	frees = stat(&kvfree_rcu_batch, KFREE_BATCH_BULK_FREES);
	for (i = 0; i < n; i++) {
		for (j = 0; j < ARRAY_SIZE(s); j++) {
			o[j] = kmem_cache_alloc(s[j], GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, o[j]);
		}
		/* One CPU for the adds of one round. */
		migrate_disable();
		for (j = 0; j < ARRAY_SIZE(s); j++)
			kfree_rcu(o[j], rcu);
		migrate_enable();
	}
	kvfree_rcu_barrier();
	added = stat(&kvfree_rcu_batch, KFREE_BATCH_ADDED) - added;
	released = stat(&kvfree_rcu_batch, KFREE_BATCH_RELEASED) - released;
	frees = stat(&kvfree_rcu_batch, KFREE_BATCH_BULK_FREES) - frees;
	kunit_info(test, "%lu objects of %zu caches in %lu releases (sheaf capacity >= %lu)\n",
		   released, ARRAY_SIZE(s), frees, cap);
	KUNIT_EXPECT_GE(test, added, n * ARRAY_SIZE(s));
	KUNIT_EXPECT_GE(test, released, n * ARRAY_SIZE(s));
	/* Whole sheaves, save the last of each cache and the kernel's own. */
	per = released / max(frees, 1UL);
	KUNIT_EXPECT_GE(test, per, cap / 2);
	for (j = 0; j < ARRAY_SIZE(s); j++) {
		KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(s[j]), 0);
		kmem_cache_destroy(s[j]);
	}
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * Wait until no deferred sheaf waits for a grace period and no lane's
 * grace-period callback is in flight: a kfree_rcu() after this sits in its
 * open sheaf until a barrier, a full sheaf or the time bound seals it.
 */
static void lanes_quiet(void)
{
	kvfree_rcu_barrier();
	rcu_barrier();
	/* The release and seal works the callbacks queued. */
	msleep(100);
}

/*
 * An object of @s watched through @w, allocated once the lanes are quiet
 * (lanes_quiet()): a kfree_rcu() of it sits in its open sheaf until
 * something seals it.
 */
static struct rcu_obj *quiet_obj(struct kunit *test, struct kmem_cache *s,
				 struct watch *w)
{
	struct rcu_obj *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	o = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	watch_init(w, o->data, sizeof(o->data));
	lanes_quiet();
	return o;
}

/*
 * kvfree_rcu_barrier() seals the open deferred sheaf of the object it
 * must free, with nothing else to seal it: no grace-period callback in
 * flight, the time bound far away.
 */
static void test_kfree_rcu_barrier_seals_open(struct kunit *test)
{
	struct kmem_cache *s = new_cache("kfree_batch_kunit_rcu_open",
					 sizeof(struct rcu_obj));
	struct rcu_obj *o;
	struct watch w;

	o = quiet_obj(test, s, &w);
	kfree_rcu(o, rcu);
	kvfree_rcu_barrier();
	KUNIT_EXPECT_TRUE_MSG(test, watch_freed(&w),
			      "kvfree_rcu_barrier() returned, the object not freed");
	KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(s), 0);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * An RCU reader that started before kfree_rcu() keeps the object alive,
 * also once its deferred sheaf is sealed; kvfree_rcu_barrier() frees it.
 */
static void test_kfree_rcu_reader_delays_free(struct kunit *test)
{
	struct kmem_cache *s;
	struct rcu_obj *o;
	struct reader *r;
	struct watch w;

	reader_need(test, &kfree_batch_rcu_ops);
	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	s = new_cache("kfree_batch_kunit_rcu_reader", sizeof(struct rcu_obj));
	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	watch_init(&w, o->data, sizeof(o->data));
	r = reader_start(test, &kfree_batch_rcu_ops, &w, 1, 10000);
	kfree_rcu(o, rcu);
	kfree_batch_flush(&kvfree_rcu_batch);
	msleep(500);
	KUNIT_EXPECT_TRUE_MSG(test, watch_intact(&w),
			      "freed while a reader from before kfree_rcu() ran");
	KUNIT_EXPECT_EQ(test, reader_stop(r), 0);
	kvfree_rcu_barrier();
	KUNIT_EXPECT_TRUE(test, watch_freed(&w));
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

static u8 rcu_static_obj[64];

/*
 * kfree_rcu() takes a slab pointer as cheaply as kfree() does; a pointer
 * into the middle of an object is found at release, warned about and left
 * alone: the object stays intact and its slab uncorrupted.  A pointer
 * that is not a slab's is refused at once, also one in the linear map.
 */
static void test_kfree_rcu_bad_pointer(struct kunit *test)
{
	struct kmem_cache *s = new_cache("kfree_batch_kunit_rcu_bad",
					 sizeof(struct rcu_obj));
	unsigned long leaked;
	struct page *page;
	struct rcu_obj *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	memset(o->data, MAGIC, sizeof(o->data));
	leaked = stat(&kvfree_rcu_batch, KFREE_BATCH_LEAKED);
	pr_info(EXPECT_WARN_BEGIN(NOT_FREED));
	kvfree_call_rcu(&o->kvrcu, &o->data[1]);
	kvfree_rcu_barrier();
	pr_info(EXPECT_WARN_END);
	KUNIT_EXPECT_EQ(test, stat(&kvfree_rcu_batch, KFREE_BATCH_LEAKED) - leaked, 1);
	KUNIT_EXPECT_TRUE(test, intact((u8 *)o->data, sizeof(o->data)));
	kmem_cache_free(s, o);

	/*
	 * Outside the linear map (the kernel image), and in it but not a
	 * slab's (a page of the page allocator): the add looks no further
	 * than kfree() would, and the pointer-page path refuses them.
	 */
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(page_address(page), MAGIC, PAGE_SIZE);
	leaked = stat(&kvfree_rcu_batch, KFREE_BATCH_LEAKED);
	pr_info(EXPECT_WARN_BEGIN(NOT_FREED));
	kvfree_call_rcu(NULL, rcu_static_obj);
	kvfree_call_rcu(NULL, page_address(page));
	kvfree_rcu_barrier();
	pr_info(EXPECT_WARN_END);
	KUNIT_EXPECT_EQ(test, stat(&kvfree_rcu_batch, KFREE_BATCH_LEAKED) - leaked, 2);
	KUNIT_EXPECT_TRUE(test, intact(page_address(page), PAGE_SIZE));
	__free_page(page);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

#if IS_BUILTIN(CONFIG_KFREE_BATCH_KUNIT_TEST)
/*
 * kfree_rcu() on CPUs of one node of objects of @nr other nodes, in turn:
 * each remote sheaf holds one node's objects, which leave in whole
 * sheaves for that node's barn, where /proc/slabinfo counts them as
 * active until allocations take them, not to the slabs.  A third node's
 * objects take the pointer pages: no sheaf is sealed per object.  Built
 * in only: get_slabinfo() is not exported.
 */
static void remote_free(struct kunit *test, unsigned int nr)
{
	struct slabinfo info = {};
	struct kmem_cache *s;
	struct rcu_obj **o;
	unsigned int i, n;
	int node, far[2];

	if (num_online_nodes() < nr + 1)
		kunit_skip(test, "needs %u NUMA nodes", nr + 1);
	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "KASAN keeps freed objects in its quarantine");
	s = new_cache("kfree_batch_kunit_remote", sizeof(struct rcu_obj));
	KUNIT_ASSERT_NOT_NULL(test, s);
	if (!cache_has_sheaves(s)) {
		kmem_cache_destroy(s);
		kunit_skip(test, "caches without sheaves");
	}
	node = cpu_to_node(raw_smp_processor_id());
	for (i = 0; i < nr; i++) {
		far[i] = next_online_node(i ? far[i - 1] : node);
		if (far[i] >= MAX_NUMNODES)
			far[i] = first_online_node;
		KUNIT_ASSERT_NE(test, far[i], node);
	}
	/* Four sheaves of each node, which a barn takes whole. */
	n = 4 * nr * s->sheaf_capacity;
	o = kunit_kmalloc_array(test, n, sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	for (i = 0; i < n; i++) {
		o[i] = kmem_cache_alloc_node(s, GFP_KERNEL | __GFP_THISNODE,
					     far[i % nr]);
		KUNIT_ASSERT_NOT_NULL(test, o[i]);
		KUNIT_ASSERT_EQ(test, slab_nid(virt_to_slab(o[i])), far[i % nr]);
	}
	/* On a CPU of @node; nothing below asserts until it is unpinned. */
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of_node(node)), 0);
	for (i = 0; i < n; i++)
		kfree_rcu(o[i], rcu);
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	kvfree_rcu_barrier();
	get_slabinfo(s, &info);
	kunit_info(test, "%u objects of node %d%s in turn freed on node %d: %lu active after the barrier\n",
		   n, far[0], nr > 1 ? " and another" : "", node,
		   info.active_objs);
	KUNIT_EXPECT_GE_MSG(test, info.active_objs, n / nr * 3 / 4,
			    "no node's objects reached its barn in whole sheaves");
	KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(s), 0);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

static void test_kfree_rcu_remote_node(struct kunit *test)
{
	remote_free(test, 1);
}

static void test_kfree_rcu_third_node(struct kunit *test)
{
	remote_free(test, 2);
}
#endif

#ifdef CONFIG_HOTPLUG_CPU
struct rcu_offline_ctx {
	struct kmem_cache *s;
	struct watch w[8];
	unsigned int n;
	struct completion done;
};

static int rcu_offline_fn(void *data)
{
	struct rcu_offline_ctx *c = data;
	struct rcu_obj *o;

	for (c->n = 0; c->n < ARRAY_SIZE(c->w); c->n++) {
		o = kmem_cache_alloc(c->s, GFP_KERNEL);
		if (!o)
			break;
		watch_init(&c->w[c->n], o->data, sizeof(o->data));
		kfree_rcu(o, rcu);
	}
	complete(&c->done);
	return 0;
}

/*
 * kfree_rcu()'s objects in the open deferred sheaf of a CPU that goes
 * offline are sealed once it is dead and freed in time, with no flush
 * and no barrier.
 */
static void test_kfree_rcu_cpu_offline(struct kunit *test)
{
	struct rcu_offline_ctx c = { };
	unsigned long deadline;
	struct task_struct *t;
	unsigned int cpu, i, left;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	KUNIT_ASSERT_TRUE(test, want_init_on_free());
	c.s = new_cache("kfree_batch_kunit_rcu_off", sizeof(struct rcu_obj));
	KUNIT_ASSERT_NOT_NULL(test, c.s);
	cpu = cpumask_last(cpu_online_mask);
	init_completion(&c.done);
	t = kthread_run_on_cpu(rcu_offline_fn, &c, cpu, "kfb_rcu_off/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&c.done);
	KUNIT_ASSERT_EQ(test, c.n, ARRAY_SIZE(c.w));
	KUNIT_ASSERT_EQ(test, remove_cpu(cpu), 0);
	deadline = jiffies + msecs_to_jiffies(10000);
	do {
		left = 0;
		for (i = 0; i < c.n; i++)
			left += !watch_freed(&c.w[i]);
		if (!left)
			break;
		msleep(20);
	} while (time_before(jiffies, deadline));
	KUNIT_EXPECT_EQ_MSG(test, left, 0,
			    "objects kfree_rcu()'d on CPU %u not freed 10 s after it went offline",
			    cpu);
	KUNIT_ASSERT_EQ(test, add_cpu(cpu), 0);
	kmem_cache_destroy(c.s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}
#endif

static int rcu_flood_fn(void *data)
{
	struct flood *f = data;
	struct rcu_obj *o;
	unsigned int i;

	for (i = 0; i < f->n; i++) {
		o = kmem_cache_alloc(f->caches[i % 3], GFP_KERNEL);
		if (o)
			kfree_rcu(o, rcu);
		if (i % 1024 == 0)
			cond_resched();
	}
	complete(&f->done);
	return 0;
}

/* A kfree_rcu() flood from every CPU, then kvfree_rcu_barrier(). */
static void test_kfree_rcu_flood_barrier(struct kunit *test)
{
	static const unsigned int sizes[3] = { sizeof(struct rcu_obj), 256, 1024 };
	struct kmem_cache *caches[3];
	unsigned int i;

	flood_all_cpus(test, rcu_flood_fn, NULL, caches, sizes, 20000);
	kvfree_rcu_barrier();
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(caches[i]), 0);
		kmem_cache_destroy(caches[i]);
	}
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}

/*
 * A lone kfree_rcu() is really freed within the time bound, with no
 * barrier: seal_ms, a quarter of it for the worker, and a grace period.
 */
static void test_kfree_rcu_idle_time_bound(struct kunit *test)
{
	struct kmem_cache *s = new_cache("kfree_batch_kunit_idle", sizeof(struct rcu_obj));
	unsigned int seal = kfree_batch_seal_ms();
	long took, gp, limit;
	struct rcu_obj *o;
	struct watch w;
	ktime_t t0;

	/* The time bound alone, not another sheaf's grace period, seals it. */
	o = quiet_obj(test, s, &w);
	t0 = ktime_get();
	kfree_rcu(o, rcu);
	KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(s), 1);
	took = wait_freed(&w, t0, 4 * seal + 5000);
	gp = gp_ms(&kvfree_rcu_batch);
	limit = seal + seal / 4 + 2 * gp;
	kunit_info(test, "freed after %ld ms (seal_ms %u, a grace period %ld ms)\n",
		   took, seal, gp);
	KUNIT_EXPECT_GE(test, took, 0);
	KUNIT_EXPECT_LE(test, took, limit);
	KUNIT_EXPECT_EQ(test, kfree_batch_cache_pending(s), 0);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
}
#endif /* CONFIG_KVFREE_RCU_BATCHED */

static int static_obj[16];

/* NULL is a no-op; pointers no allocator owns are warned about, not freed. */
static void test_bad_input(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	u8 *p = kmalloc(64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, kfree_batch_add(kb, NULL));
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_ADDED), 0);

	pr_info(EXPECT_WARN_BEGIN(NOT_FREED));
	kfree_batch_add(kb, static_obj);
	kfree_batch_add(kb, p + 8);
	pr_info(EXPECT_WARN_END);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_LEAKED), 2);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_ADDED), 0);

	if (IS_ENABLED(CONFIG_DEBUG_OBJECTS_RCU_HEAD)) {
		kfree_batch_add(kb, p);
		pr_info(EXPECT_WARN_BEGIN(ADDED_TWICE "|" NOT_FREED));
		kfree_batch_add(kb, p);
		pr_info(EXPECT_WARN_END);
		KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_LEAKED), 3);
		kfree_batch_barrier(kb);
		KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 1);
	} else {
		kfree(p);
		kunit_info(test, "double add not checked: needs CONFIG_DEBUG_OBJECTS_RCU_HEAD\n");
	}
}

/*
 * An add remembers the slab of its object while that object's batch is
 * open, and checks the next object of that slab against it alone: a
 * pointer inside another object of the slab, or past its last object,
 * must still be refused.
 */
static void test_bad_input_same_slab(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct kmem_cache *s = new_cache("kfb_bad", 96);
	unsigned int i, n = 0;
	struct slab *slab;
	void *p[16], *q;
	u8 *tail;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	/* Another object of the first one's slab. */
	slab = virt_to_slab(p[0]);
	for (q = NULL, i = 1; i < ARRAY_SIZE(p) && !q; i++)
		if (virt_to_slab(p[i]) == slab)
			q = p[i];
	KUNIT_ASSERT_NOT_NULL(test, q);
	tail = (u8 *)slab_address(slab) + slab->objects * s->size;

	migrate_disable();
	KUNIT_EXPECT_TRUE(test, kfree_batch_add(kb, p[0]));
	pr_info(EXPECT_WARN_BEGIN(NOT_FREED));
	kfree_batch_add(kb, (u8 *)q + 8);
	if (tail < (u8 *)slab_address(slab) + slab_size(slab)) {
		kfree_batch_add(kb, tail);
		n++;
	}
	pr_info(EXPECT_WARN_END);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_LEAKED), 1 + n);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_ADDED), 1);
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 1);
	for (i = 1; i < ARRAY_SIZE(p); i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
}

/* ===== Interleavings made to happen: kfree_batch_test_hook ===== */

/*
 * What a case asks kfree_batch_test_hook to do on the CPU of @kc, the
 * per-CPU state of @kb it watches.  Each "hold" is armed (1) by the case
 * and fires once.
 */
struct hold {
	struct kfree_batch *kb;
	struct kfree_batch_cpu *kc;
	atomic_t glance;	/* a barrier's glance: close the batch meanwhile */
	atomic_t close;		/* a close: hold it until @done, at most 1 s */
	atomic_t owned;		/* an add: hold it 200 ms */
	struct completion reached;
	bool done;
};

static struct hold *hold;

static void hold_spin(struct hold *h, unsigned int ms)
{
	unsigned int i;

	for (i = 0; i < ms && !READ_ONCE(h->done); i++)
		mdelay(1);
}

static void hold_hook(enum kfree_batch_test_point point,
		      struct kfree_batch_cpu *kc)
{
	struct hold *h = READ_ONCE(hold);

	if (!h || kc != h->kc)
		return;
	switch (point) {
	case KFREE_BATCH_TP_GLANCE:
		/* The barrier has read that the CPU is not adding. */
		if (atomic_xchg(&h->glance, 0)) {
			kfree_batch_flush(h->kb);
			wait_for_completion_timeout(&h->reached,
						    msecs_to_jiffies(5000));
		}
		break;
	case KFREE_BATCH_TP_CLOSE:
		if (atomic_xchg(&h->close, 0)) {
			complete(&h->reached);
			hold_spin(h, 1000);
		}
		break;
	case KFREE_BATCH_TP_OWNED:
		if (atomic_xchg(&h->owned, 0)) {
			complete(&h->reached);
			mdelay(200);
		}
		break;
	}
}

static void hold_exit(void *data)
{
	WRITE_ONCE(kfree_batch_test_hook, NULL);
	/* Every hook runs with preemption off, or in this case's thread. */
	synchronize_rcu();
	WRITE_ONCE(hold, NULL);
}

static struct hold *hold_start(struct kunit *test, struct kfree_batch *kb,
			       unsigned int cpu)
{
	struct hold *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	h->kb = kb;
	h->kc = per_cpu_ptr(kb->pcpu, cpu);
	init_completion(&h->reached);
	WRITE_ONCE(hold, h);
	WRITE_ONCE(kfree_batch_test_hook, hold_hook);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, hold_exit, NULL), 0);
	return h;
}

/* Objects, each watched, that a kthread adds on another CPU. */
struct adds {
	struct kfree_batch *kb;
	void *objs[8];
	struct watch w[8];
	struct completion done;
};

static int adds_fn(void *data)
{
	struct adds *a = data;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(a->objs); i++)
		kfree_batch_add(a->kb, a->objs[i]);
	complete(&a->done);
	return 0;
}

static struct adds *adds_start(struct kunit *test, struct kfree_batch *kb,
			       unsigned int cpu)
{
	struct adds *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct task_struct *t;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	a->kb = kb;
	init_completion(&a->done);
	for (i = 0; i < ARRAY_SIZE(a->objs); i++) {
		a->objs[i] = kmalloc(64, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, a->objs[i]);
		watch_init(&a->w[i], a->objs[i], 64);
	}
	t = kthread_run_on_cpu(adds_fn, a, cpu, "kfb_adds/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	return a;
}

static unsigned int adds_left(struct adds *a)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(a->w); i++)
		n += !watch_freed(&a->w[i]);
	return n;
}

/*
 * A barrier that glances at a CPU just as that CPU closes its open batch
 * (here the worker's seal, run on that CPU) must still wait for the
 * batch: to any CPU, a batch is always in the open ones or in the sealed
 * queue.  The hook makes the interleaving happen on every run: the barrier
 * has read that the CPU is not adding, then the close starts there and is
 * held while the barrier goes on.
 */
static void test_barrier_while_sealing(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct adds *a;
	struct hold *h;
	unsigned int cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	migrate_disable();
	cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	a = adds_start(test, kb, cpu);
	wait_for_completion(&a->done);
	h = hold_start(test, kb, cpu);
	atomic_set(&h->close, 1);
	atomic_set(&h->glance, 1);
	kfree_batch_barrier(kb);
	WRITE_ONCE(h->done, true);
	migrate_enable();
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&h->close), 0,
			    "the batch was not closed during the barrier");
	KUNIT_EXPECT_EQ_MSG(test, adds_left(a), 0,
			    "objects added before the barrier were not freed by it");
	kfree_batch_barrier(kb);
}

/*
 * A barrier's seal on a CPU that is adding waits for the add, however long
 * it takes, and the barrier frees what it added.
 */
static void test_barrier_during_add(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct adds *a;
	struct hold *h;
	unsigned int cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	migrate_disable();
	cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	h = hold_start(test, kb, cpu);
	atomic_set(&h->owned, 1);
	a = adds_start(test, kb, cpu);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&h->reached,
							    msecs_to_jiffies(5000)));
	kfree_batch_barrier(kb);
	migrate_enable();
	wait_for_completion(&a->done);
	/* The add held was the first: the barrier freed it. */
	KUNIT_EXPECT_TRUE(test, watch_freed(&a->w[0]));
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, adds_left(a), 0);
}

/*
 * kfree_batch_add_nolock() takes no lock and arms no timer: in one
 * irqs-off section, adds that would open batches all wait for the
 * irq_work, even once the deferred list is not empty; and adds can be made
 * while this CPU's lock of the client is held (a probe inside the engine).
 */
static void test_nolock_takes_no_lock(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	static const unsigned int sizes[4] = { 64, 192, 512, 1024 };
	struct kfree_batch_cpu *kc;
	struct test_obj *o[9];
	unsigned long flags, added, sealed;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(o); i++) {
		o[i] = kmalloc(i < 4 ? sizes[i] : sizeof(*o[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, o[i]);
	}
	/* Four caches, no batch open: every add would open one. */
	local_irq_save(flags);
	for (i = 0; i < 4; i++)
		kfree_batch_add_nolock(kb, &o[i]->head, o[i]);
	added = stat(kb, KFREE_BATCH_ADDED);
	local_irq_restore(flags);
	KUNIT_ASSERT_EQ_MSG(test, added, 0,
			    "a nolock add opened a batch (it takes the client's lock)");
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 4);

	/* Under this CPU's lock: into an open batch, or deferred. */
	local_irq_save(flags);
	kc = this_cpu_ptr(kb->pcpu);
	kfree_batch_add_head(kb, &o[4]->head, o[4]);	/* opens a batch */
	sealed = stat(kb, KFREE_BATCH_SEALED);
	raw_spin_lock(&kc->lock);
	for (i = 5; i < ARRAY_SIZE(o); i++)
		kfree_batch_add_nolock(kb, &o[i]->head, o[i]);
	raw_spin_unlock(&kc->lock);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_SEALED), sealed);
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), ARRAY_SIZE(o));
}

static int sleeper_fn(void *data)
{
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

/*
 * kfree_rcu() is called with a task's pi_lock held (set_cpus_allowed_force()).
 * With this CPU's reserve dry the add must not allocate: on PREEMPT_RT the
 * page allocator's locks are rtmutexes, whose wait_lock nests outside
 * pi_lock.  Lockdep (on the RT and debug kernels) would report it.
 */
static void test_add_under_pi_lock(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct kfree_batch_block *spare, **tail;
	struct kfree_batch_cpu *kc;
	struct task_struct *t;
	struct test_obj *o;
	unsigned long flags;
	unsigned int nr;
	int locks = debug_locks;

	o = kmalloc_obj(*o);
	KUNIT_ASSERT_NOT_NULL(test, o);
	t = kthread_run(sleeper_fn, NULL, "kfb_sleeper");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	migrate_disable();
	kc = this_cpu_ptr(kb->pcpu);
	raw_spin_lock_irqsave(&kc->lock, flags);
	spare = kc->reserve;
	nr = kc->nr_reserve;
	kc->reserve = NULL;
	kc->nr_reserve = 0;
	raw_spin_unlock_irqrestore(&kc->lock, flags);

	raw_spin_lock_irqsave(&t->pi_lock, flags);
	kfree_batch_add_head(kb, &o->head, o);
	raw_spin_unlock_irqrestore(&t->pi_lock, flags);

	raw_spin_lock_irqsave(&kc->lock, flags);
	/* A block's first member is its link (mm/kfree_batch.c). */
	for (tail = &kc->reserve; *tail; tail = (struct kfree_batch_block **)*tail)
		;
	*tail = spare;
	kc->nr_reserve += nr;
	raw_spin_unlock_irqrestore(&kc->lock, flags);
	migrate_enable();
	kthread_stop(t);

	KUNIT_EXPECT_EQ_MSG(test, debug_locks, locks,
			    "lockdep reported the add made under pi_lock");
	kfree_batch_barrier(kb);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_RELEASED), 1);
}

struct rcu_free_obj {
	struct rcu_head rcu;
	struct kmem_cache *s;
	u8 data[48];
};

static DEFINE_SPINLOCK(rcu_free_lock);
static bool rcu_free_gone;
static atomic_t rcu_free_done;

static void rcu_free_cb(struct rcu_head *head)
{
	struct rcu_free_obj *o = container_of(head, struct rcu_free_obj, rcu);
	unsigned long flags;

	spin_lock_irqsave(&rcu_free_lock, flags);
	/* After a destroy that did not wait: leak, rather than free into it. */
	if (!rcu_free_gone) {
		kmem_cache_free(o->s, o);
		atomic_inc(&rcu_free_done);
	}
	spin_unlock_irqrestore(&rcu_free_lock, flags);
}

/*
 * A cache whose objects are freed by call_rcu() callbacks can be destroyed
 * right after the call_rcu()s, with no rcu_barrier() of the caller's own:
 * kmem_cache_destroy() waits for the callbacks when objects are left, as
 * 7.3 does (it ran rcu_barrier() on every destroy).
 */
static void test_destroy_after_call_rcu(struct kunit *test)
{
	struct kmem_cache *s = new_cache("kfb_call_rcu", sizeof(struct rcu_free_obj));
	struct rcu_free_obj *o;
	unsigned long flags;
	int i, done;

	KUNIT_ASSERT_NOT_NULL(test, s);
	rcu_free_gone = false;
	atomic_set(&rcu_free_done, 0);
	for (i = 0; i < 32; i++) {
		o = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, o);
		o->s = s;
		call_rcu(&o->rcu, rcu_free_cb);
	}
	kmem_cache_destroy(s);
	spin_lock_irqsave(&rcu_free_lock, flags);
	rcu_free_gone = true;
	done = atomic_read(&rcu_free_done);
	spin_unlock_irqrestore(&rcu_free_lock, flags);
	KUNIT_EXPECT_EQ_MSG(test, done, 32,
			    "kmem_cache_destroy() returned before the callbacks freed");
	KUNIT_EXPECT_EQ(test, slab_errors, 0);
	rcu_barrier();
}

#ifdef CONFIG_PRINTK
/* Lines of the kernel log that contain @needle. */
static unsigned int log_lines(struct kunit *test, const char *needle)
{
	struct kmsg_dump_iter iter;
	unsigned int n = 0;
	size_t len;
	char *line;

	line = kunit_kmalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, line);
	kmsg_dump_rewind(&iter);
	while (kmsg_dump_get_line(&iter, false, line, 1023, &len)) {
		line[len] = '\0';
		n += !!strstr(line, needle);
	}
	return n;
}

/* A stream of bad pointers is warned about at a limited rate, all counted. */
static void test_bad_input_ratelimited(struct kunit *test)
{
	struct kfree_batch *kb = new_named_client(test, "kfb_bad_stream",
						  &kfree_batch_rcu_ops);
	const char *needle = "kfree_batch: kfb_bad_stream: ";
	unsigned int before, i;

	before = log_lines(test, needle);
	pr_info(EXPECT_WARN_BEGIN(NOT_FREED));
	for (i = 0; i < 100; i++)
		kfree_batch_add(kb, &static_obj[i % ARRAY_SIZE(static_obj)]);
	pr_info(EXPECT_WARN_END);
	KUNIT_EXPECT_EQ(test, stat(kb, KFREE_BATCH_LEAKED), 100);
	KUNIT_EXPECT_LE_MSG(test, log_lines(test, needle) - before, 10,
			    "every bad pointer was warned about");
}
#endif

#ifdef CONFIG_HOTPLUG_CPU
/*
 * Only online CPUs keep a reserve of batch pages: a CPU that goes offline
 * gives its reserve back, and a client set up meanwhile fills none for it.
 */
static void test_offline_cpu_reserve(struct kunit *test)
{
	struct kfree_batch *kb = new_client(test, &kfree_batch_rcu_ops);
	struct kfree_batch *late;
	unsigned int cpu, nr, late_nr;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	cpu = cpumask_last(cpu_online_mask);
	KUNIT_EXPECT_GT(test, READ_ONCE(per_cpu_ptr(kb->pcpu, cpu)->nr_reserve), 0);
	KUNIT_ASSERT_EQ(test, remove_cpu(cpu), 0);
	nr = READ_ONCE(per_cpu_ptr(kb->pcpu, cpu)->nr_reserve);
	late = new_named_client(test, "kfb_late", &kfree_batch_rcu_ops);
	late_nr = READ_ONCE(per_cpu_ptr(late->pcpu, cpu)->nr_reserve);
	KUNIT_ASSERT_EQ(test, add_cpu(cpu), 0);
	KUNIT_EXPECT_EQ_MSG(test, nr, 0, "an offline CPU kept its reserve");
	KUNIT_EXPECT_EQ_MSG(test, late_nr, 0, "a reserve was filled for an offline CPU");
}
#endif

#ifdef CONFIG_DEBUG_FS
struct debugfs_reader {
	struct file *f;
	bool stop;
	unsigned long reads;
	ssize_t err;
	struct completion out;
};

/*
 * Read @f from its start as read(2) does on a debugfs file (the proxy's
 * read(): debugfs_file_get(), seq_read(), debugfs_file_put()), into a
 * kernel buffer: the proxy has no read_iter() for kernel_read().
 */
static ssize_t read_debugfs_file(struct file *f, char *buf, size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct dentry *dentry = f->f_path.dentry;
	struct iov_iter iter;
	struct kiocb kiocb;
	ssize_t ret;

	ret = debugfs_file_get(dentry);
	if (ret)
		return ret;
	init_sync_kiocb(&kiocb, f);
	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, len);
	ret = seq_read_iter(&kiocb, &iter);
	debugfs_file_put(dentry);
	return ret;
}

static int debugfs_reader_fn(void *data)
{
	struct debugfs_reader *r = data;
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);

	r->err = buf ? 0 : -ENOMEM;
	while (buf && !READ_ONCE(r->stop)) {
		r->err = read_debugfs_file(r->f, buf, PAGE_SIZE);
		if (r->err < 0)
			break;
		WRITE_ONCE(r->reads, r->reads + 1);
		cond_resched();
	}
	kfree(buf);
	complete(&r->out);
	return 0;
}

struct destroyer {
	struct kfree_batch *kb;
	struct completion done;
};

static int destroyer_fn(void *data)
{
	struct destroyer *d = data;

	kfree_batch_destroy(d->kb);
	complete(&d->done);
	return 0;
}

/*
 * A client can be destroyed while its debugfs files are being read: the
 * reader does not wait for the destroy, nor the destroy for the reader.
 */
static void test_destroy_while_debugfs_read(struct kunit *test)
{
	struct file_system_type *fs = get_fs_type("debugfs");
	struct debugfs_reader r;
	struct destroyer d;
	struct task_struct *t;
	struct vfsmount *mnt;
	struct kfree_batch *kb;
	unsigned long reads;
	int round;

	if (!fs)
		kunit_skip(test, "no debugfs");
	mnt = kern_mount(fs);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mnt));
	for (round = 0; round < 10; round++) {
		kb = kzalloc_obj(*kb);
		KUNIT_ASSERT_NOT_NULL(test, kb);
		kb->name = "kfb_debugfs";
		kb->ops = &kfree_batch_rcu_ops;
		KUNIT_ASSERT_EQ(test, kfree_batch_init(kb), 0);
		kfree_batch_add(kb, kmalloc(64, GFP_KERNEL));

		memset(&r, 0, sizeof(r));
		init_completion(&r.out);
		r.f = file_open_root_mnt(mnt, "kfree_batch/kfb_debugfs/caches",
					 O_RDONLY, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(r.f));
		t = kthread_run(debugfs_reader_fn, &r, "kfb_debugfs_reader");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		while (!READ_ONCE(r.reads) && !completion_done(&r.out))
			usleep_range(1000, 2000);
		reads = READ_ONCE(r.reads);
		KUNIT_ASSERT_GT_MSG(test, reads, 0, "reading the file: %zd", r.err);

		d.kb = kb;
		init_completion(&d.done);
		t = kthread_run(destroyer_fn, &d, "kfb_destroyer");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		if (!wait_for_completion_timeout(&d.done, 30 * HZ)) {
			KUNIT_FAIL(test, "round %d: the destroy and the reader wait for each other",
				   round);
			return;
		}
		WRITE_ONCE(r.stop, true);
		wait_for_completion(&r.out);
		fput(r.f);
		kfree(kb);
	}
	kern_unmount(mnt);
}
#endif

static int test_init(struct kunit *test)
{
	slab_errors = 0;
	kunit_add_named_resource(test, NULL, NULL, &slab_errors_res,
				 "slab_errors", &slab_errors);
	return 0;
}

static struct kunit_case kfree_batch_test_cases[] = {
	KUNIT_CASE(test_rcu_reader_delays_free),
	KUNIT_CASE(test_srcu_reader_delays_free),
	KUNIT_CASE_PARAM(test_pointer_kinds, ptr_kinds_gen_params),
	KUNIT_CASE(test_bulk_release),
	KUNIT_CASE(test_interleaved_caches),
	KUNIT_CASE(test_barrier_cache),
	KUNIT_CASE(test_fallback),
	KUNIT_CASE(test_fallback_stream),
	KUNIT_CASE(test_fallback_barrier_behind_sealed),
	KUNIT_CASE(test_hardirq_add),
	KUNIT_CASE(test_add_on_top_of_add),
	KUNIT_CASE_SLOW(test_hardirq_storm),
	KUNIT_CASE(test_nolock_under_raw_lock),
	KUNIT_CASE(test_nolock_defers_open),
	KUNIT_CASE(test_nolock_preemptible),
	KUNIT_CASE(test_none_domain),
	KUNIT_CASE_PARAM(test_time_bound, bound_cases_gen_params),
	KUNIT_CASE_PARAM(test_early_free, early_cases_gen_params),
	KUNIT_CASE(test_destroy_frees),
	KUNIT_CASE_PARAM(test_barrier_cache_domains, domains_gen_params),
	KUNIT_CASE_PARAM(test_destroy_waits_domains, domains_gen_params),
	KUNIT_CASE(test_kfree_srcu_readers),
	KUNIT_CASE(test_kfree_srcu_cleanup_after_flood),
	KUNIT_CASE(test_kfree_srcu_no_client),
#ifdef CONFIG_TASKS_TRACE_RCU
	KUNIT_CASE(test_kfree_rcu_tasks_trace),
#endif
	KUNIT_CASE(test_kfree_nolock_released),
	KUNIT_CASE(test_kfree_nolock_destroy),
	KUNIT_CASE(test_srcu_sheaves_reader_delays_free),
	KUNIT_CASE(test_lane_lease),
#if IS_BUILTIN(CONFIG_KFREE_BATCH_KUNIT_TEST)
	KUNIT_CASE(test_shrinker_flushes),
	KUNIT_CASE(test_release_reuses_sheaves),
	KUNIT_CASE(test_reuse_cap),
	KUNIT_CASE(test_reuse_shrinker),
#endif
#ifdef CONFIG_HOTPLUG_CPU
	KUNIT_CASE(test_cpu_offline),
	KUNIT_CASE(test_barrier_no_hotplug_wait),
#endif
	KUNIT_CASE(test_no_expedited_gp),
	KUNIT_CASE(test_bad_input),
	KUNIT_CASE(test_bad_input_same_slab),
#ifdef CONFIG_PRINTK
	KUNIT_CASE(test_bad_input_ratelimited),
#endif
	KUNIT_CASE(test_barrier_while_sealing),
	KUNIT_CASE(test_barrier_during_add),
	KUNIT_CASE(test_nolock_takes_no_lock),
	KUNIT_CASE(test_add_under_pi_lock),
	KUNIT_CASE(test_destroy_after_call_rcu),
#ifdef CONFIG_HOTPLUG_CPU
	KUNIT_CASE(test_offline_cpu_reserve),
#endif
	KUNIT_CASE_SLOW(test_flood_many_cpus),
	KUNIT_CASE(test_kfree_rcu_forms),
#ifdef CONFIG_KVFREE_RCU_BATCHED
	KUNIT_CASE(test_kfree_rcu_destroy),
	KUNIT_CASE(test_kfree_rcu_many_caches),
	KUNIT_CASE(test_kfree_rcu_barrier_seals_open),
#if IS_BUILTIN(CONFIG_KFREE_BATCH_KUNIT_TEST)
	KUNIT_CASE(test_kfree_rcu_remote_node),
	KUNIT_CASE(test_kfree_rcu_third_node),
#endif
	KUNIT_CASE(test_kfree_rcu_reader_delays_free),
	KUNIT_CASE(test_kfree_rcu_bad_pointer),
#ifdef CONFIG_HOTPLUG_CPU
	KUNIT_CASE(test_kfree_rcu_cpu_offline),
#endif
	KUNIT_CASE(test_kvfree_rcu_vmalloc),
	KUNIT_CASE(test_kfree_rcu_nolock),
	KUNIT_CASE(test_kfree_rcu_mightsleep_no_storage),
	KUNIT_CASE(test_kfree_rcu_idle_time_bound),
	KUNIT_CASE_SLOW(test_kfree_rcu_flood_barrier),
#endif
#ifdef CONFIG_DEBUG_FS
	/* Last: on a kernel where it deadlocks, the cases after it would hang. */
	KUNIT_CASE(test_destroy_while_debugfs_read),
#endif
	{}
};

static struct kunit_suite kfree_batch_test_suite = {
	.name = "kfree_batch",
	.init = test_init,
	.test_cases = kfree_batch_test_cases,
};

kunit_test_suite(kfree_batch_test_suite);

MODULE_DESCRIPTION("KUnit tests for kfree_batch");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
