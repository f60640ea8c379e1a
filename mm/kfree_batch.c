// SPDX-License-Identifier: GPL-2.0
/*
 * kfree_batch: a deferred-free engine, grouped per CPU and per kmem_cache.
 *
 * Copyright (C) 2026 The kfree_batch authors.
 *
 * Coding conventions in this file:
 *
 * - kc is a client's per-CPU state, struct kfree_batch_cpu.  Its open
 *   block (and unsealed fallback list, add counters) belong to its
 *   CPU: only code running there touches them, after setting kc->adding
 *   with preemption disabled (kc_own()), so an add takes no lock and makes
 *   no atomic operation.  The worker is a work bound to that CPU, and
 *   other code that must reach them (barriers, debugfs) queues one there
 *   and waits for it (kfb_on_owner()); once a CPU is dead, kfb_cpu_dead()
 *   seals what it left open.
 * - What other CPUs share (sealed batches, reserve, timer state) is under
 *   kc->lock, a raw spinlock always taken with interrupts off, also from
 *   an add when it seals or opens a batch.  Nothing is allocated but by
 *   alloc_pages_nolock() and nothing is woken with it held.
 * - A name says where a helper runs and what it holds:
 *
 *   - kc_*: on kc's CPU, which owns kc (kc_own() to kc_unown()), or for
 *     a dead CPU's kc on a CPU that keeps every other from touching it:
 *     the hotplug teardown (kfb_cpu_dead()), or a holder of
 *     cpus_read_lock() and kc->drain_lock;
 *   - kcl_*: any CPU, kc->lock held;
 *   - drain_*: any CPU, process context, kc->drain_lock held;
 *   - kfb_lane*: a lane's state, under the lock that its comment names;
 *   - kfb_*: anything else; its comment says where it runs.
 *
 *   Every kcl_* and drain_* helper asserts its lock with lockdep.
 * - A block is sealed when it receives its cookie; it is released only
 *   once the domain says that cookie has passed, and that is checked again
 *   right before the release.
 * - An add looks its object up (which allocator, an object's start?)
 *   before it owns the block, and puts it in the CPU's one open block,
 *   whatever its cache: there is no slot to search and nothing to evict.
 *   The release groups a block's objects per cache (kfb_release_objs()).
 */

#define pr_fmt(fmt) "kfree_batch: " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/debugfs.h>
#include <linux/debugobjects.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/kasan.h>
#include <linux/kfence.h>
#include <linux/kfree_batch.h>
#include <linux/kmemleak.h>
#include <linux/minmax.h>
#include <linux/seq_file.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

#include "kfree_batch.h"
#include "slab.h"

#define CREATE_TRACE_POINTS
#include <trace/events/kfree_batch.h>

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "kfree_batch."

/* ============================ Data ================================== */

/**
 * struct kfree_batch_block - a page of pointers to objects of any kind
 * @next: the next block on a sealed list or in the reserve.
 * @caches: the kmem_caches of its slab objects, the first
 *	%KFREE_BATCH_BLOCK_CACHES of them.
 * @nr_caches: how many @caches holds.
 * @more: the further caches, a bit each (kfb_cache_bit()), for a
 *	per-cache barrier to tell that the block may hold one's objects.
 * @nr: the number of objects in @objs.
 * @opened: jiffies when the first object was added.
 * @cookie: the grace-period state taken when the block was sealed.
 * @objs: the objects.
 */
struct kfree_batch_block {
	struct kfree_batch_block *next;
	struct kmem_cache *caches[KFREE_BATCH_BLOCK_CACHES];
	unsigned int nr_caches;
	unsigned int nr;
	unsigned long more;
	unsigned long opened;
	union kfree_batch_cookie cookie;
	void *objs[];
};

enum { KFB_SLAB, KFB_LARGE, KFB_VMALLOC, KFB_BAD };

#define KFB_BLOCK_OBJS \
	((PAGE_SIZE - sizeof(struct kfree_batch_block)) / sizeof(void *))

/* A partly filled batch is sealed this long after its first add. */
static unsigned int seal_ms = 1000;
module_param(seal_ms, uint, 0644);
MODULE_PARM_DESC(seal_ms, "Milliseconds before a partly filled batch is sealed");

/*
 * Empty blocks each CPU keeps per client, refilled in process context;
 * a client may ask for another number in its struct kfree_batch.
 */
static unsigned int reserve_pages = 4;
module_param(reserve_pages, uint, 0644);
MODULE_PARM_DESC(reserve_pages, "Empty batch pages kept per CPU and client");

/*
 * Above this many objects pending on one CPU, the worker expedites the
 * grace period it waits for (at most every 100 ms per client): memory
 * under a flood stays bounded by how fast grace periods can end, not by
 * their usual pace.  An expedited grace period interrupts every CPU, so
 * only an administrator's choice starts one: 0, the default, never does.
 */
static unsigned long backlog;
module_param(backlog, ulong, 0644);
MODULE_PARM_DESC(backlog, "Pending objects per CPU above which grace periods are expedited (0: never)");

/*
 * kmem_cache_destroy()'s barrier waits for an expedited grace period
 * instead of a normal one.
 */
static bool expedite_destroy;
module_param(expedite_destroy, bool, 0644);
MODULE_PARM_DESC(expedite_destroy, "kmem_cache_destroy() waits for expedited grace periods");

/* The most empty blocks a CPU keeps per client when adds outrun the reserve. */
#define KFB_RESERVE_MAX	256
/* Batches the worker releases between two takes of its drain_lock. */
#define KFB_DRAIN_CHUNK	2

static const char * const kfree_batch_stat_names[] = {
	[KFREE_BATCH_ADDED]	 = "added",
	[KFREE_BATCH_RELEASED]	 = "released",
	[KFREE_BATCH_SEALED]	 = "sealed",
	[KFREE_BATCH_GP_WAITS]	 = "gp_waits",
	[KFREE_BATCH_BULK_FREES] = "bulk_frees",
	[KFREE_BATCH_FALLBACKS]	 = "fallbacks",
	[KFREE_BATCH_LEAKED]	 = "leaked",
	[KFREE_BATCH_EXPEDITED]	 = "expedited",
	[KFREE_BATCH_PENDING]	 = "pending",
	[KFREE_BATCH_PEAK]	 = "peak_pending",
	[KFREE_BATCH_PAGES]	 = "pages",
	[KFREE_BATCH_PAGES_ALLOCATED] = "pages_allocated",
};

static_assert(ARRAY_SIZE(kfree_batch_stat_names) == KFREE_BATCH_NR_STATS);

/*
 * Every work of the engine is bound to a CPU.  The worker of a client's
 * CPU (kfree_batch_work()) may take cpus_read_lock() and has a workqueue
 * of its own; kfb_on_owner()'s works and a lane's seal and release works,
 * which are flushed under cpus_read_lock(), never take it.  Each has a
 * rescuer, so neither waits for the other.
 */
static struct workqueue_struct *kfb_worker_wq;
static struct workqueue_struct *kfb_wq;

/*
 * Batch pages are taken and freed on any CPU: each is counted in the
 * counters of the CPU that runs this, whose sum over CPUs is the figure.
 */
static void kfb_page_taken(struct kfree_batch *kb)
{
	this_cpu_inc(kb->pcpu->stats[KFREE_BATCH_PAGES]);
	this_cpu_inc(kb->pcpu->stats[KFREE_BATCH_PAGES_ALLOCATED]);
}

static void kfb_page_free(struct kfree_batch *kb, struct kfree_batch_block *b)
{
	this_cpu_dec(kb->pcpu->stats[KFREE_BATCH_PAGES]);
	free_page((unsigned long)b);
}

static DEFINE_MUTEX(kfree_batch_clients_lock);
/* Serialises barriers' sealing: see kfb_seal_all(). */
static DEFINE_MUTEX(kfb_seal_lock);
static LIST_HEAD(kfree_batch_clients);
static struct dentry *kfree_batch_debugfs;

/* ====================== Grace-period domains ======================== */

static void kfb_rcu_snapshot(struct kfree_batch *kb,
			     union kfree_batch_cookie *c)
{
	get_state_synchronize_rcu_full(&c->rcu);
}

static bool kfb_rcu_poll(struct kfree_batch *kb, union kfree_batch_cookie *c)
{
	return poll_state_synchronize_rcu_full(&c->rcu);
}

static void kfb_rcu_call(struct kfree_batch *kb, struct rcu_head *head,
			 rcu_callback_t func)
{
	/*
	 * Not lazy: the callback ends a wait that the time bound counts on,
	 * and a lazy one can sit for seconds (CONFIG_RCU_LAZY).
	 */
	call_rcu_hurry(head, func);
}

static void kfb_rcu_sync(struct kfree_batch *kb)
{
	synchronize_rcu();
}

static void kfb_rcu_sync_expedited(struct kfree_batch *kb)
{
	/* A normal grace period instead with rcupdate.rcu_normal=1. */
	synchronize_rcu_expedited();
}

static void kfb_rcu_barrier(struct kfree_batch *kb)
{
	rcu_barrier();
}

static void kfb_rcu_expedite(struct kfree_batch *kb)
{
	struct rcu_gp_seq unused;

	/* An expedited GP satisfies the *_full cookies of every batch. */
	start_poll_synchronize_rcu_expedited_full(&unused);
}

const struct kfree_batch_gp_ops kfree_batch_rcu_ops = {
	.name = "rcu",
	.snapshot = kfb_rcu_snapshot,
	.poll = kfb_rcu_poll,
	.call = kfb_rcu_call,
	.synchronize = kfb_rcu_sync,
	.synchronize_expedited = kfb_rcu_sync_expedited,
	.cb_barrier = kfb_rcu_barrier,
	.expedite = kfb_rcu_expedite,
};
EXPORT_SYMBOL_GPL(kfree_batch_rcu_ops);

static void kfb_srcu_snapshot(struct kfree_batch *kb,
			      union kfree_batch_cookie *c)
{
	c->seq = get_state_synchronize_srcu(kb->ssp);
}

static bool kfb_srcu_poll(struct kfree_batch *kb, union kfree_batch_cookie *c)
{
	return poll_state_synchronize_srcu(kb->ssp, c->seq);
}

static void kfb_srcu_call(struct kfree_batch *kb, struct rcu_head *head,
			  rcu_callback_t func)
{
	call_srcu(kb->ssp, head, func);
}

static void kfb_srcu_sync(struct kfree_batch *kb)
{
	synchronize_srcu(kb->ssp);
}

static void kfb_srcu_sync_expedited(struct kfree_batch *kb)
{
	synchronize_srcu_expedited(kb->ssp);
}

static void kfb_srcu_barrier(struct kfree_batch *kb)
{
	srcu_barrier(kb->ssp);
}

const struct kfree_batch_gp_ops kfree_batch_srcu_ops = {
	.name = "srcu",
	.snapshot = kfb_srcu_snapshot,
	.poll = kfb_srcu_poll,
	.call = kfb_srcu_call,
	.synchronize = kfb_srcu_sync,
	.synchronize_expedited = kfb_srcu_sync_expedited,
	.cb_barrier = kfb_srcu_barrier,
};
EXPORT_SYMBOL_GPL(kfree_batch_srcu_ops);

static void kfb_none_snapshot(struct kfree_batch *kb,
			      union kfree_batch_cookie *c)
{
}

static bool kfb_none_poll(struct kfree_batch *kb, union kfree_batch_cookie *c)
{
	return true;
}

static void kfb_none_nop(struct kfree_batch *kb)
{
}

const struct kfree_batch_gp_ops kfree_batch_none_ops = {
	.name = "none",
	.snapshot = kfb_none_snapshot,
	.poll = kfb_none_poll,
	.synchronize = kfb_none_nop,
	.cb_barrier = kfb_none_nop,
};
EXPORT_SYMBOL_GPL(kfree_batch_none_ops);

/* ========================= Debugging ================================ */

#ifdef CONFIG_DEBUG_OBJECTS_RCU_HEAD
static bool kfb_is_static_object(void *addr)
{
	/* Objects are tracked from their first add: nothing to initialise. */
	return true;
}

static const struct debug_obj_descr kfb_debug_descr = {
	.name = "kfree_batch object",
	.is_static_object = kfb_is_static_object,
};

/* Returns false for an object that is already pending: a double add. */
static bool kfb_debug_queue(void *ptr)
{
	return debug_object_activate(ptr, &kfb_debug_descr) == 0;
}

static void kfb_debug_unqueue(void *ptr)
{
	debug_object_deactivate(ptr, &kfb_debug_descr);
	debug_object_free(ptr, &kfb_debug_descr);
}
#else
static inline bool kfb_debug_queue(void *ptr) { return true; }
static inline void kfb_debug_unqueue(void *ptr) { }
#endif

/* ========================== Internals =============================== */

#if IS_ENABLED(CONFIG_KFREE_BATCH_KUNIT_TEST)
kfree_batch_test_hook_t kfree_batch_test_hook;
EXPORT_SYMBOL_IF_KUNIT(kfree_batch_test_hook);

/* Let the KUnit suite hold this CPU here, if it asked to. */
static void kfb_test_point(enum kfree_batch_test_point point,
			   struct kfree_batch_cpu *kc)
{
	kfree_batch_test_hook_t hook = READ_ONCE(kfree_batch_test_hook);

	if (unlikely(hook))
		hook(point, kc);
}
#else
static inline void kfb_test_point(enum kfree_batch_test_point point,
				  struct kfree_batch_cpu *kc)
{
}
#endif

/*
 * Is @ptr, in @slab, the start of one of its objects?  An interior
 * pointer would corrupt the freelist.
 */
static bool kfb_slab_obj_start(struct slab *slab, const void *ptr)
{
	struct kmem_cache *s = slab->slab_cache;
	unsigned int idx;
	void *obj;

	if (unlikely(is_kfence_address(ptr)))
		return kfence_object_start(ptr) == ptr;
	idx = __obj_to_index(s, slab_address(slab), ptr);
	if (idx >= slab->objects)
		return false;
	obj = slab_address(slab) + s->size * idx;
	obj = kasan_reset_tag(fixup_red_left(s, obj));
	return obj == kasan_reset_tag(ptr);
}

/*
 * Which allocator owns @ptr, and its cache.  Reads only struct page and
 * struct slab, so it is safe in any context, NMI included.
 */
static unsigned int kfb_classify(const void *ptr, struct kmem_cache **sp)
{
	struct page *page;
	struct slab *slab;

	*sp = NULL;
	if (is_vmalloc_addr(ptr))
		return PAGE_ALIGNED(ptr) ? KFB_VMALLOC : KFB_BAD;
	if (!virt_addr_valid(ptr))
		return KFB_BAD;
	page = virt_to_page(ptr);
	slab = page_slab(page);
	if (slab) {
		*sp = slab->slab_cache;
		return kfb_slab_obj_start(slab, ptr) ? KFB_SLAB : KFB_BAD;
	}
	if (PageLargeKmalloc(page) && PAGE_ALIGNED(ptr))
		return KFB_LARGE;
	return KFB_BAD;
}

/* A block's name in traces and debugfs: its cache, if it has one only. */
static const char *kfb_block_name(struct kfree_batch_block *b)
{
	if (b->nr_caches == 1 && !b->more)
		return b->caches[0]->name;
	return b->nr_caches ? "mixed" : "kmalloc-large/vmalloc";
}

/* The bit of @s in a block's @more: a one-word Bloom filter. */
static __always_inline unsigned long kfb_cache_bit(struct kmem_cache *s)
{
	return 1UL << hash_ptr(s, ilog2(BITS_PER_LONG));
}

/* Does @b hold objects of @s, or may it (a bit of @more says so)? */
static bool kfb_block_has(struct kfree_batch_block *b, struct kmem_cache *s)
{
	unsigned int i;

	for (i = 0; i < b->nr_caches; i++)
		if (b->caches[i] == s)
			return true;
	return b->more & kfb_cache_bit(s);
}

/*
 * The cache of @ptr, an object that an add accepted (see kfb_classify()),
 * or NULL if it is not a slab object.
 */
static struct kmem_cache *kfb_obj_cache(const void *ptr)
{
	struct slab *slab;

	if (is_vmalloc_addr(ptr))
		return NULL;
	slab = virt_to_slab(ptr);
	return slab ? slab->slab_cache : NULL;
}

/* The objects of @s in @b. */
static unsigned int kfb_block_count(struct kfree_batch_block *b,
				    struct kmem_cache *s)
{
	unsigned int i, n = 0;

	if (!kfb_block_has(b, s))
		return 0;
	for (i = 0; i < b->nr; i++)
		n += kfb_obj_cache(b->objs[i]) == s;
	return n;
}

/*
 * Warn about an object that is refused, and count it: it is never freed.
 * Any context; counted with one per-CPU instruction, as it may come on
 * top of an add on this CPU.
 */
static void kfb_leak(struct kfree_batch *kb, const void *ptr, const char *why)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);

	this_cpu_inc(kb->pcpu->stats[KFREE_BATCH_LEAKED]);
	/* __ratelimit() only trylocks: fine in any context. */
	if (!__ratelimit(&rs))
		return;
	/*
	 * The caller may hold a scheduler lock (kfree_rcu() under pi_lock):
	 * leave the console to printk's irq_work.
	 */
	preempt_disable();
	printk_deferred_enter();
	WARN(1, "kfree_batch: %s: %s %p not freed\n", kb->name, why, ptr);
	printk_deferred_exit();
	preempt_enable();
}

/* Arm the CPU's worker to run within @delay jiffies.  Never wakes a task. */
static void kcl_arm(struct kfree_batch_cpu *kc, unsigned long delay)
{
	unsigned long when = jiffies + delay;

	lockdep_assert_held(&kc->lock);
	/* Pairs with the smp_store_release() in kfree_batch_init(). */
	if (!smp_load_acquire(&kc->kb->live))
		return;
	if (kc->armed && time_before_eq(kc->armed_until, when))
		return;
	/*
	 * A timer, not a delayed work: arming a delayed work may take the
	 * workqueue's pool lock, under which the workqueue wakes workers
	 * (then a task's pi_lock), while adds come under pi_lock (kfree_rcu()
	 * in set_cpus_allowed_force()).  The timer base's lock nests inside
	 * both; the timer queues the worker with no lock of ours held.
	 */
	mod_timer(&kc->timer, jiffies + max(delay, 1UL));
	kc->armed = true;
	kc->armed_until = when;
}

/* Record that an open batch is due to be sealed at @when. */
static void kcl_due(struct kfree_batch_cpu *kc, unsigned long when)
{
	lockdep_assert_held(&kc->lock);
	if (!kc->due_set || time_before(when, kc->due)) {
		kc->due = when;
		kc->due_set = true;
	}
}

static void kc_arm_unlocked(struct kfree_batch_cpu *kc, unsigned long delay)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&kc->lock, flags);
	kcl_arm(kc, delay);
	raw_spin_unlock_irqrestore(&kc->lock, flags);
}

/*
 * Seal @b, which has left the CPU's open batches: give it its cookie and
 * queue it.  On the CPU that owns @kc (see kc_own()); only the queue is
 * shared, under the lock, and only the owner seals, so the queue is in
 * cookie order.
 */
static void kc_seal(struct kfree_batch_cpu *kc, struct kfree_batch_block *b)
{
	unsigned long flags;
	unsigned int i;

	kc->kb->ops->snapshot(kc->kb, &b->cookie);
	b->next = NULL;
	/*
	 * Before @b is queued: from then on the worker may release it and
	 * free its page at once (the none domain's cookies pass at once).
	 */
	for (i = 0; i < b->nr_caches; i++)
		atomic_long_inc(&b->caches[i]->kfb_sealed);
	trace_kfree_batch_seal(kc->kb->name, kfb_block_name(b), b->nr);
	raw_spin_lock_irqsave(&kc->lock, flags);
	if (kc->sealed_tail)
		kc->sealed_tail->next = b;
	else
		kc->sealed = b;
	kc->sealed_tail = b;
	kc->stats[KFREE_BATCH_SEALED]++;
	raw_spin_unlock_irqrestore(&kc->lock, flags);
}

/*
 * Seal the open block and take it out of the open ones, in that
 * order: to a barrier on another CPU, the block is always either open or
 * queued (see kfb_seal_all()).  Once queued it may be released at once;
 * it is not touched again here.
 */
static void kc_close(struct kfree_batch_cpu *kc)
{
	unsigned int i;

	kc_seal(kc, kc->open);
	kfb_test_point(KFREE_BATCH_TP_CLOSE, kc);
	/* Pairs with the smp_rmb() in kfb_seal_all(). */
	smp_wmb();
	WRITE_ONCE(kc->open, NULL);
	for (i = 0; i < KFREE_BATCH_BLOCK_CACHES; i++)
		WRITE_ONCE(kc->open_s[i], NULL);
	WRITE_ONCE(kc->open_more, 0);
}

/*
 * Seal the open block if it was opened before @before, or if @all; if
 * @only is not NULL, only if it may hold objects of @only.  On the CPU
 * that owns @kc.
 */
static void kc_seal_open(struct kfree_batch_cpu *kc, bool all,
			 unsigned long before, struct kmem_cache *only)
{
	struct kfree_batch_block *b = kc->open;
	unsigned long flags;

	if (b && (only ? kfb_block_has(b, only) :
		  all || time_before_eq(b->opened, before)))
		kc_close(kc);
	/*
	 * The fallback list is sealed whole, and only once the list sealed
	 * before it is released: merged under a newer cookie, older objects
	 * would wait again, on and on while fallbacks go on, and past the
	 * grace period of a barrier that sealed them.  drain_ready() has the
	 * worker come back for a list left here.
	 */
	if (kc->heads && (all || !only)) {
		raw_spin_lock_irqsave(&kc->lock, flags);
		if (!kc->heads_sealed) {
			kc->heads_sealed = kc->heads;
			kc->heads = NULL;
			kc->kb->ops->snapshot(kc->kb, &kc->heads_cookie);
		}
		raw_spin_unlock_irqrestore(&kc->lock, flags);
	}
}

/*
 * A glance from any CPU: true if the CPU may have an open block (that may
 * hold objects of @only, if not NULL) or unsealed fallback objects.  An
 * add that returned before the glance is seen; one that runs meanwhile
 * may not be.
 */
static bool kfb_has_open(struct kfree_batch_cpu *kc, struct kmem_cache *only)
{
	int i;

	if (!only) {
		/* data_race(): pointers tested, never followed. */
		return READ_ONCE(kc->open) || data_race(kc->heads);
	}
	if (READ_ONCE(kc->open_more) & kfb_cache_bit(only))
		return true;
	for (i = 0; i < KFREE_BATCH_BLOCK_CACHES; i++)
		if (READ_ONCE(kc->open_s[i]) == only)
			return true;
	/* data_race(): a pointer tested, never followed. */
	return !!data_race(kc->heads);
}

static unsigned int kcl_reserve_target(struct kfree_batch_cpu *kc)
{
	unsigned int pages = 0;

	lockdep_assert_held(&kc->lock);
	if (kc->offline)
		return 0;
	/* kc->kb is NULL on a CPU that a static client has not used yet. */
	if (kc->kb && (kc->kb->flags & KFREE_BATCH_NO_RESERVE))
		return kc->reserve_target;
	if (kc->kb)
		pages = READ_ONCE(kc->kb->reserve);
	if (!pages)
		pages = READ_ONCE(reserve_pages);
	return max(pages, kc->reserve_target);
}

/*
 * An empty block for a batch that opens now, from the reserve, and the
 * worker armed to seal it within seal_ms.  When the reserve is dry, grow
 * its target so that the worker keeps more, and, if @may_alloc, try the
 * page allocator's opportunistic path, which is safe in any context and
 * under raw locks (see kfb_may_alloc()).  On the CPU that owns @kc.
 */
static struct kfree_batch_block *kc_new_block(struct kfree_batch_cpu *kc,
					      bool may_alloc)
{
	struct kfree_batch_block *b;
	unsigned long flags;
	struct page *page;

	if (kc->kb->flags & KFREE_BATCH_NO_STORAGE)
		return NULL;
	raw_spin_lock_irqsave(&kc->lock, flags);
	b = kc->reserve;
	if (b) {
		kc->reserve = b->next;
		kc->nr_reserve--;
	} else {
		kc->reserve_target = min(kc->reserve_target * 2 + 1,
					 KFB_RESERVE_MAX);
		kc->short_of_blocks = true;
	}
	/* Adds to an open batch need not arm: this one covers them. */
	kcl_arm(kc, msecs_to_jiffies(READ_ONCE(seal_ms)));
	kcl_due(kc, jiffies + msecs_to_jiffies(READ_ONCE(seal_ms)));
	raw_spin_unlock_irqrestore(&kc->lock, flags);
	if (b || !may_alloc)
		return b;
	page = alloc_pages_nolock(0, NUMA_NO_NODE, 0);
	if (!page)
		return NULL;
	kfb_page_taken(kc->kb);
	return page_address(page);
}

/* Objects added and not yet released: a glance from any CPU. */
static unsigned long kfb_pending(struct kfree_batch_cpu *kc)
{
	/* data_race(): word-sized counters, a figure that may be stale. */
	unsigned long added = data_race(kc->stats[KFREE_BATCH_ADDED]);
	/* data_race(): as above. */
	unsigned long released = data_race(kc->stats[KFREE_BATCH_RELEASED]);

	return added > released ? added - released : 0;
}

static __always_inline void kc_count_add(struct kfree_batch_cpu *kc)
{
	unsigned long pending;

	kc->stats[KFREE_BATCH_ADDED]++;
	pending = kfb_pending(kc);
	if (pending > kc->stats[KFREE_BATCH_PEAK])
		kc->stats[KFREE_BATCH_PEAK] = pending;
}

/* Name @s in @b, open on this CPU, unless it does already. */
static __always_inline void kc_name_cache(struct kfree_batch_cpu *kc,
					  struct kfree_batch_block *b,
					  struct kmem_cache *s)
{
	unsigned int i;

	for (i = 0; i < b->nr_caches; i++)
		if (b->caches[i] == s)
			return;
	if (b->nr_caches < KFREE_BATCH_BLOCK_CACHES) {
		b->caches[b->nr_caches] = s;
		WRITE_ONCE(kc->open_s[b->nr_caches], s);
		b->nr_caches++;
	} else if (!(b->more & kfb_cache_bit(s))) {
		b->more |= kfb_cache_bit(s);
		WRITE_ONCE(kc->open_more, b->more);
	}
}

/* Put @ptr (of cache @s, or NULL) into @b, open; seal @b once it is full. */
static __always_inline void kc_put(struct kfree_batch_cpu *kc,
				   struct kfree_batch_block *b, void *ptr,
				   struct kmem_cache *s)
{
	if (s)
		kc_name_cache(kc, b, s);
	b->objs[b->nr++] = ptr;
	kc_count_add(kc);
	if (unlikely(b->nr == KFB_BLOCK_OBJS)) {
		kc_close(kc);
		kc_arm_unlocked(kc, 1);
	}
}

/*
 * Put @ptr, of cache @s (NULL if it is not a slab object), into this
 * CPU's open block, opening one if needed.  Returns false when no block
 * can be had; the caller then falls back.
 */
static bool __kfree_batch_add(struct kfree_batch_cpu *kc, void *ptr,
			      struct kmem_cache *s, bool may_alloc)
{
	struct kfree_batch_block *b = kc->open;

	if (!b) {
		b = kc_new_block(kc, may_alloc);
		if (!b)
			return false;
		b->nr_caches = 0;
		b->more = 0;
		b->nr = 0;
		b->opened = jiffies;
		WRITE_ONCE(kc->open, b);
	}
	kc_put(kc, b, ptr, s);
	return true;
}

static void __kfree_batch_add_head(struct kfree_batch_cpu *kc,
				   struct kfree_batch_head *head, void *ptr,
				   struct kmem_cache *s)
{
	unsigned long flags;

	trace_kfree_batch_fallback(kc->kb->name, ptr);
	head->next = kc->heads;
	kc->heads = head;
	kc->stats[KFREE_BATCH_FALLBACKS]++;
	if (s)
		atomic_long_inc(&s->kfb_fallbacks);
	kc_count_add(kc);
	/* No storage: let the worker seal it and refill the reserve soon. */
	raw_spin_lock_irqsave(&kc->lock, flags);
	kcl_arm(kc, 1);
	kcl_due(kc, jiffies);
	raw_spin_unlock_irqrestore(&kc->lock, flags);
}

/*
 * May an add whose caller was preemptible (@was_preemptible) allocate a
 * batch page with alloc_pages_nolock()?  Not on PREEMPT_RT when the caller was
 * not: it may hold a task's pi_lock (kfree_rcu() in
 * set_cpus_allowed_force()), and there the page allocator's trylocks are
 * rtmutexes, whose wait_lock nests outside pi_lock.  A preemptible caller
 * holds no raw lock.
 */
static __always_inline bool kfb_may_alloc(bool was_preemptible)
{
	return !IS_ENABLED(CONFIG_PREEMPT_RT) || was_preemptible;
}

/* Into a batch, else onto the fallback list if @head; false: not queued. */
static bool kfb_add_owned(struct kfree_batch_cpu *kc, void *ptr,
			  struct kfree_batch_head *head, struct kmem_cache *s,
			  bool may_alloc)
{
	if (__kfree_batch_add(kc, ptr, s, may_alloc))
		return true;
	if (!head)
		return false;
	__kfree_batch_add_head(kc, head, ptr, s);
	return true;
}

/*
 * Checks common to every add; false means the object must not be queued.
 * With debug objects or kmemleak this may allocate and take locks: a
 * nolock add leaves it to the irq_work then (kfree_batch_add_nolock()).
 */
static bool kfb_accept(struct kfree_batch *kb, void *ptr,
		       struct kmem_cache **s)
{
	const char *why;

	if (kfb_classify(ptr, s) == KFB_BAD) {
		why = "pointer owned by no allocator";
	} else if (!kfb_debug_queue(ptr)) {
		why = "object added twice";
	} else {
		/*
		 * Batch pages are not scanned by kmemleak, and the caller may
		 * drop its last reference now: do not report the object.
		 */
		kmemleak_ignore(ptr);
		return true;
	}
	kfb_leak(kb, ptr, why);
	return false;
}

/*
 * With KASAN, debug objects or kmemleak, the checks of an add may allocate
 * and take locks: a nolock add leaves them to the irq_work.
 */
static __always_inline bool kfb_checks_first(void)
{
	return IS_ENABLED(CONFIG_KASAN) ||
	       IS_ENABLED(CONFIG_DEBUG_OBJECTS_RCU_HEAD) ||
	       IS_ENABLED(CONFIG_DEBUG_KMEMLEAK);
}

/* Hand @head to the irq_work of this CPU, which adds it later. */
static void kfb_defer(struct kfree_batch *kb, struct kfree_batch_head *head)
{
	struct kfree_batch_cpu *kc = this_cpu_ptr(kb->pcpu);

	/* Read by the irq_work; every add stores the same value. */
	WRITE_ONCE(kc->kb, kb);
	if (llist_add((struct llist_node *)head, &kc->deferred))
		irq_work_queue(&kc->deferred_work);
}

/*
 * Own this CPU's open batch, with preemption disabled: set @adding.  No
 * lock and no atomic operation.  Only code on this CPU touches the open
 * batch (adds, the irq_work, and the worker and kfb_on_owner()'s work,
 * bound to the CPU), each of them after setting @adding, and one that
 * comes on top of another, in an interrupt or NMI, sees it set and backs
 * off: false.  A task cannot come on top of an add, which runs with
 * preemption disabled: a work that owns the batch always can.
 */
static __always_inline bool kc_own(struct kfree_batch_cpu *kc)
{
	if (READ_ONCE(kc->adding))
		return false;
	WRITE_ONCE(kc->adding, true);
	/* An interrupt must see @adding before anything is touched. */
	barrier();
	return true;
}

static void kfb_freed_release(struct kfree_batch_cpu *kc);

/*
 * Add what NMI adds and interrupted adds left on the deferred list.  A
 * freed-objects client's list holds no heads: it is released instead
 * (when a work runs on the owner, kfb_on_owner()).
 */
static void kc_take_deferred(struct kfree_batch_cpu *kc)
{
	struct llist_node *node, *next;
	struct kfree_batch_head *head;
	struct kmem_cache *s;
	void *ptr;

	if (kc->kb->flags & KFREE_BATCH_FREED) {
		kfb_freed_release(kc);
		return;
	}
	node = llist_del_all(&kc->deferred);
	for (; node; node = next) {
		next = node->next;
		head = (struct kfree_batch_head *)node;
		ptr = kvmalloc_obj_start_addr(head);
		if (kfb_accept(kc->kb, ptr, &s))
			kfb_add_owned(kc, ptr, head, s, kfb_may_alloc(false));
	}
}

/* What kfb_on_owner() runs on the CPU that owns a client's open batch. */
struct kfb_owner_op {
	void (*fn)(struct kfree_batch_cpu *kc, struct kfb_owner_op *op);
	struct kfree_batch_cpu *kc;
	struct kmem_cache *only;
	void *data;
	unsigned long count;
	struct work_struct work;
	bool ran;
};

/* Objects that an interrupt or NMI left to whoever owns @kc next. */
static __always_inline bool kc_has_work(struct kfree_batch_cpu *kc)
{
	return !llist_empty(&kc->deferred);
}

/*
 * Give up the open batch.  NMI adds and adds that came on top of this one
 * left objects on the deferred list: add them first, and if more came in
 * between, queue the irq_work once @adding is clear.  A nolock add leaves
 * them to the irq_work: adding takes this CPU's lock and arms a timer.
 */
static __always_inline void kc_unown(struct kfree_batch_cpu *kc, bool nolock)
{
	if (unlikely(!nolock && kc_has_work(kc)))
		kc_take_deferred(kc);
	/* Pairs with the acquire in kfb_seal_all(). */
	smp_store_release(&kc->adding, false);
	barrier();
	if (unlikely(kc_has_work(kc)))
		irq_work_queue(&kc->deferred_work);
}

/*
 * A nolock add only puts @ptr into the open block, short of filling it.
 * Opening, sealing and falling back take this CPU's lock and arm the
 * worker's timer, which takes the timer base's lock: the code that the
 * add interrupted (a probe in the timer code, say) may hold either.
 * False: the caller defers the object to the irq_work, which may do all
 * of that.  On the CPU that owns @kc.
 */
static bool kfb_add_nolock_owned(struct kfree_batch_cpu *kc, void *ptr,
				 struct kmem_cache *s)
{
	struct kfree_batch_block *b = kc->open;

	if (!b || b->nr + 1 >= KFB_BLOCK_OBJS)
		return false;
	kc_put(kc, b, ptr, s);
	return true;
}

/* Hand @ptr to the irq_work through @head; without a head, not queued. */
static bool kfb_add_defer(struct kfree_batch *kb, void *ptr,
			  struct kfree_batch_head *head)
{
	kfb_debug_unqueue(ptr);
	if (!head)
		return false;
	preempt_disable();
	kfb_defer(kb, head);
	preempt_enable();
	return true;
}

/* ========================== Sheaf lanes ============================= */

/*
 * A client with %KFREE_BATCH_SHEAVES (kfree_rcu()'s) puts a slab object
 * into SLUB's open deferred sheaf of its cache on this CPU (slab_defer_add()),
 * not into a page of pointers: one sheaf per cache, CPU and lane, so any
 * number of caches interleave without evicting each other.  A lane serves
 * one client at a time: kfree_batch_init() leases it to a client whose
 * domain has grace-period callbacks, kfree_batch_destroy() gives it back
 * once it is empty, and the lane follows that client's domain (cookies,
 * callbacks, barriers).  Per CPU and lane the
 * engine keeps the sheaves open on that CPU (linked through barn_list,
 * under @lock, which SLUB calls take under its per-CPU lock), the sealed
 * ones in batches of one grace-period cookie each, one grace-period
 * callback in flight, a pinned timer for the time bound, a seal work
 * bound to the CPU (only code on the CPU detaches its open sheaves, under
 * SLUB's per-CPU lock) and a release work.
 */

/*
 * Sealed batches per CPU and lane: the sheaves sealed while the RCU state
 * stays the same share a batch and its cookie.  When all are in use, a
 * sheaf joins the newest batch, whose cookie then moves on to the newer
 * state: those sheaves wait a little longer, never less.
 */
#define KFB_LANE_BATCHES	4

struct kfb_lane_batch {
	struct list_head sheaves;		/* via barn_list */
	union kfree_batch_cookie cookie;
};

struct kfb_lane {
	raw_spinlock_t lock;
	struct list_head open;			/* sheaves, via barn_list */
	unsigned int nr_open;
	/* A ring of sealed batches, the oldest at @first. */
	struct kfb_lane_batch batch[KFB_LANE_BATCHES];
	unsigned int first;
	unsigned int nr_batches;
	/* Sheaves a barrier took out of the batches: kfb_lane_locks[] */
	struct list_head barrier;
	bool gp_pending;
	struct rcu_head gp_head;
	struct irq_work call_work;		/* kfb_lane_call_from_add() */
	struct timer_list timer;		/* pinned: the time bound */
	struct work_struct seal_work;		/* on @cpu */
	struct work_struct release_work;	/* on @cpu while it is up */
	struct mutex release_lock;
	unsigned long added;			/* this CPU's adds, this_cpu_inc() */
	unsigned long sealed_nr;		/* @lock */
	unsigned long gp_waits;			/* @lock */
	unsigned long released;			/* @release_lock */
	unsigned long releases;			/* @release_lock */
	int cpu;
	unsigned int lane;
};

static DEFINE_PER_CPU(struct kfb_lane, kfb_lanes[SLAB_DEFER_LANES]);
/*
 * Per lane: serialises its barriers, and its lease.  Held across the
 * client's grace period, so one lane's slow domain holds up only the
 * barriers of that lane.
 */
static struct mutex kfb_lane_locks[SLAB_DEFER_LANES];
/* Set once the lanes' timers and works are set up. */
static bool kfb_lanes_live __read_mostly;
/*
 * The client of each lane: set under the lane's lock (which nests outside
 * cpus_read_lock(), so not under kfree_batch_clients_lock, which nests
 * inside it), read under it; code that finds a sheaf in a lane reads it
 * with READ_ONCE(), as the lane cannot change hands before its sheaves
 * are released.  A lane that a client left with objects in it (added
 * during kfree_batch_destroy(), which warns) is dead: never leased again,
 * its objects leaked.
 */
static struct kfree_batch *kfb_lane_client[SLAB_DEFER_LANES];
static bool kfb_lane_dead[SLAB_DEFER_LANES];

static struct kfree_batch *kfb_lane_kb(struct kfb_lane *l)
{
	return READ_ONCE(kfb_lane_client[l->lane]);
}

/* Has @kb a lane?  Then @kb->lane is set. */
static __always_inline bool kfb_has_lane(struct kfree_batch *kb)
{
	/* Pairs with the smp_store_release() in kfb_lane_lease(). */
	return smp_load_acquire(&kb->has_lane);
}

static void kfb_lane_gp_done(struct rcu_head *head);

/* The domain's @call; not lazy for RCU (see kfb_rcu_call()). */
static void kfb_lane_call(struct kfb_lane *l)
{
	struct kfree_batch *kb = kfb_lane_kb(l);

	kb->ops->call(kb, &l->gp_head, kfb_lane_gp_done);
}

static void kfb_lane_call_irq_work(struct irq_work *work)
{
	kfb_lane_call(container_of(work, struct kfb_lane, call_work));
}

/*
 * The domain's @call from an add, which may hold raw locks (kfree_rcu()
 * under a task's pi_lock).  call_rcu() may be called there (on
 * PREEMPT_RT only preemptible adds come here); call_srcu() may queue a
 * work and wake a worker, so unless the add is preemptible it is left to
 * an irq_work, which runs once the caller's locks are released.
 */
static void kfb_lane_call_from_add(struct kfb_lane *l)
{
	if (kfb_lane_kb(l)->ops == &kfree_batch_rcu_ops || preemptible())
		kfb_lane_call(l);
	else
		irq_work_queue(&l->call_work);
}

/*
 * Do @a and @b stand for one grace-period state?  Only batching depends
 * on it: a sheaf that joins a batch moves the batch's cookie on to now.
 */
static bool kfb_same_cookie(struct kfree_batch *kb, union kfree_batch_cookie *a,
			    union kfree_batch_cookie *b)
{
	if (kb->ops == &kfree_batch_rcu_ops)
		return same_state_synchronize_rcu_full(&a->rcu, &b->rcu);
	return a->seq == b->seq;
}

static struct kfb_lane_batch *kfb_lane_batch(struct kfb_lane *l,
					     unsigned int i)
{
	return &l->batch[(l->first + i) % KFB_LANE_BATCHES];
}

/*
 * Queue @sheaf in the batch of the current RCU state, under @l->lock.
 * Return: true if the caller must start the lane's grace-period callback.
 */
static bool kfb_lane_queue(struct kfb_lane *l, struct slab_sheaf *sheaf)
{
	struct kfree_batch *kb = kfb_lane_kb(l);
	struct kfb_lane_batch *b = NULL;
	union kfree_batch_cookie now;

	kb->ops->snapshot(kb, &now);
	if (l->nr_batches) {
		b = kfb_lane_batch(l, l->nr_batches - 1);
		if (!kfb_same_cookie(kb, &b->cookie, &now) &&
		    l->nr_batches < KFB_LANE_BATCHES)
			b = NULL;
	}
	if (!b) {
		b = kfb_lane_batch(l, l->nr_batches++);
		INIT_LIST_HEAD(&b->sheaves);
	}
	b->cookie = now;
	list_add_tail(&sheaf->barn_list, &b->sheaves);
	atomic_long_inc(&sheaf->cache->kfb_sealed);
	l->sealed_nr++;
	if (l->gp_pending)
		return false;
	l->gp_pending = true;
	l->gp_waits++;
	return true;
}

static void kfb_lane_arm(struct kfb_lane *l)
{
	if (!timer_pending(&l->timer))
		mod_timer(&l->timer,
			  jiffies + msecs_to_jiffies(READ_ONCE(seal_ms)));
}

/**
 * kfree_batch_sheaf_opened - SLUB opened a deferred sheaf on this CPU
 * @lane: its lane.
 * @sheaf: the sheaf, empty, now one of this CPU's open sheaves of its
 *	cache (for objects of this node, or of another).
 *
 * Context: slab_defer_add(), under the CPU's lock of the cache's sheaves.
 * Return: nothing.
 */
void kfree_batch_sheaf_opened(unsigned int lane, struct slab_sheaf *sheaf)
{
	struct kfb_lane *l = this_cpu_ptr(&kfb_lanes[lane]);
	unsigned long flags;

	raw_spin_lock_irqsave(&l->lock, flags);
	list_add_tail(&sheaf->barn_list, &l->open);
	l->nr_open++;
	kfb_lane_arm(l);
	raw_spin_unlock_irqrestore(&l->lock, flags);
}

/**
 * kfree_batch_sheaf_sealed - a deferred sheaf left this CPU's sheaves
 * @lane: its lane.
 * @sheaf: the sheaf: full, or detached by the seal work.
 *
 * Context: slab_defer_add(), under the CPU's lock of the cache's sheaves,
 * or the seal work after slab_defer_detach().
 * Return: nothing.
 */
void kfree_batch_sheaf_sealed(unsigned int lane, struct slab_sheaf *sheaf)
{
	struct kfb_lane *l = this_cpu_ptr(&kfb_lanes[lane]);
	unsigned long flags;
	bool call;

	raw_spin_lock_irqsave(&l->lock, flags);
	list_del(&sheaf->barn_list);
	l->nr_open--;
	/* A dead lane's objects are leaked (see kfb_lane_unlease()). */
	call = kfb_lane_kb(l) && kfb_lane_queue(l, sheaf);
	raw_spin_unlock_irqrestore(&l->lock, flags);
	if (call)
		kfb_lane_call_from_add(l);
}

/*
 * Seal the sheaves open on this CPU: the time bound, the end of the grace
 * period the previous ones waited for, or a barrier.  At most the sheaves
 * open when it starts, as adds may open more meanwhile.
 */
static void kfb_lane_seal_work(struct work_struct *work)
{
	struct kfb_lane *l = container_of(work, struct kfb_lane, seal_work);
	unsigned int lane = l->lane;
	struct slab_sheaf *sheaf;
	struct kmem_cache *s;
	unsigned int n;

	migrate_disable();
	/*
	 * Queued for a CPU on its way offline, whose kfb_lanes_cpu_dead()
	 * seals what it left open.  If the CPU stays online after all, the
	 * timer (armed here, it fires here) queues the work again.
	 */
	if (smp_processor_id() != l->cpu) {
		raw_spin_lock_irq(&l->lock);
		if (l->nr_open && cpu_online(l->cpu))
			kfb_lane_arm(l);
		raw_spin_unlock_irq(&l->lock);
		goto out;
	}
	/* A dead lane's objects are leaked (see kfb_lane_unlease()). */
	if (!kfb_lane_kb(l))
		goto out;
	raw_spin_lock_irq(&l->lock);
	n = l->nr_open;
	raw_spin_unlock_irq(&l->lock);
	while (n--) {
		raw_spin_lock_irq(&l->lock);
		sheaf = list_first_entry_or_null(&l->open, struct slab_sheaf,
						 barn_list);
		s = sheaf ? sheaf->cache : NULL;
		raw_spin_unlock_irq(&l->lock);
		if (!sheaf)
			break;
		/*
		 * An add may have sealed it meanwhile: then it is no longer
		 * in the CPU's sheaves, and only compared there.  @s lives
		 * on: a cache is destroyed only after a barrier flushed this
		 * work.
		 */
		if (slab_defer_detach(s, sheaf, lane, -1))
			kfree_batch_sheaf_sealed(lane, sheaf);
	}
out:
	migrate_enable();
}

/* The time bound: a local timer interrupt, no IPI. */
static void kfb_lane_timer(struct timer_list *t)
{
	struct kfb_lane *l = timer_container_of(l, t, timer);

	queue_work_on(l->cpu, kfb_wq, &l->seal_work);
}

/*
 * Leave out of @sheaf, with a warning, what is not the start of an object
 * of its cache (an add takes a slab pointer as kfree() does); end each
 * object's debug tracking.  The add found each object in the linear map,
 * in a slab of the sheaf's cache; a pointer into an object that was freed
 * since may no longer be in one.
 */
static void kfb_lane_check(struct kfree_batch *kb, struct slab_sheaf *sheaf)
{
	unsigned int i = 0;
	struct slab *slab;
	void *obj;

	while (i < sheaf->size) {
		obj = sheaf->objects[i];
		slab = virt_to_slab(obj);
		if (unlikely(!slab || slab->slab_cache != sheaf->cache ||
			     !kfb_slab_obj_start(slab, obj))) {
			kfb_debug_unqueue(obj);
			kfb_leak(kb, obj,
				 "pointer not at the start of an object");
			sheaf->objects[i] = sheaf->objects[--sheaf->size];
			continue;
		}
		kfb_debug_unqueue(obj);
		i++;
	}
}

/*
 * Free the sheaves of @chain, whose grace period has passed, one release
 * per cache.  Under @l->release_lock.
 */
static void kfb_lane_free(struct kfb_lane *l, struct list_head *chain)
{
	struct kfree_batch *kb = kfb_lane_kb(l);
	struct slab_sheaf *sheaf, *next;
	unsigned long objs = 0, n;
	struct kmem_cache *s;
	LIST_HEAD(group);

	while (!list_empty(chain)) {
		s = list_first_entry(chain, struct slab_sheaf, barn_list)->cache;
		n = 0;
		list_for_each_entry_safe(sheaf, next, chain, barn_list) {
			if (sheaf->cache != s)
				continue;
			list_move_tail(&sheaf->barn_list, &group);
			/* A pointer left out counts as released: it is gone. */
			n += sheaf->size;
			kfb_lane_check(kb, sheaf);
		}
		slab_defer_release(s, &group, kb->ops == &kfree_batch_rcu_ops);
		/* The per-cache totals of debugfs kfree_batch/caches. */
		atomic_long_add(n, &s->kfb_released);
		atomic_long_inc(&s->kfb_bulk_frees);
		objs += n;
		l->releases++;
		cond_resched();
	}
	WRITE_ONCE(l->released, l->released + objs);
}

/* Release the sealed batches whose grace period has passed. */
static void kfb_lane_release(struct kfb_lane *l)
{
	struct kfree_batch *kb = kfb_lane_kb(l);
	struct kfb_lane_batch *b;
	LIST_HEAD(chain);
	bool call;

	/* A dead lane's objects are leaked (see kfb_lane_unlease()). */
	if (!kb)
		return;
	mutex_lock(&l->release_lock);
	for (;;) {
		raw_spin_lock_irq(&l->lock);
		while (l->nr_batches) {
			b = kfb_lane_batch(l, 0);
			if (!kb->ops->poll(kb, &b->cookie))
				break;
			list_splice_tail_init(&b->sheaves, &chain);
			l->first = (l->first + 1) % KFB_LANE_BATCHES;
			l->nr_batches--;
		}
		call = l->nr_batches && !l->gp_pending;
		if (call) {
			l->gp_pending = true;
			l->gp_waits++;
		}
		raw_spin_unlock_irq(&l->lock);
		if (call)
			kfb_lane_call(l);
		if (list_empty(&chain))
			break;
		kfb_lane_free(l, &chain);
	}
	mutex_unlock(&l->release_lock);
}

static void kfb_lane_release_work(struct work_struct *work)
{
	kfb_lane_release(container_of(work, struct kfb_lane, release_work));
}

/*
 * The grace period this CPU's oldest sealed sheaf waits for has ended:
 * release, and seal what is open now, so that under load an object waits
 * about one grace period plus the time to fill a sheaf, not seal_ms.
 * Runs on the CPU that queued the callback unless callbacks are offloaded.
 */
static void kfb_lane_gp_done(struct rcu_head *head)
{
	struct kfb_lane *l = container_of(head, struct kfb_lane, gp_head);
	unsigned long flags;
	bool open;

	raw_spin_lock_irqsave(&l->lock, flags);
	l->gp_pending = false;
	open = l->nr_open;
	raw_spin_unlock_irqrestore(&l->lock, flags);
	queue_work_on(l->cpu, kfb_wq, &l->release_work);
	if (open)
		queue_work_on(l->cpu, kfb_wq, &l->seal_work);
}

/* Does @l hold objects of @s (all caches: NULL), open or sealed? */
static unsigned long kfb_lane_count(struct kfb_lane *l, struct kmem_cache *s)
{
	struct slab_sheaf *sheaf;
	unsigned long n = 0;
	unsigned int i;

	raw_spin_lock_irq(&l->lock);
	/* Under @l->lock an open sheaf cannot be sealed, hence not freed. */
	list_for_each_entry(sheaf, &l->open, barn_list)
		if (!s || sheaf->cache == s)
			/* data_race(): the owner may be adding to it. */
			n += data_race(sheaf->size);
	for (i = 0; i < l->nr_batches; i++)
		list_for_each_entry(sheaf, &kfb_lane_batch(l, i)->sheaves,
				    barn_list)
			if (!s || sheaf->cache == s)
				n += sheaf->size;
	list_for_each_entry(sheaf, &l->barrier, barn_list)
		if (!s || sheaf->cache == s)
			n += sheaf->size;
	raw_spin_unlock_irq(&l->lock);
	return n;
}

/*
 * Have every online CPU with objects of @s (NULL: of any cache) in @lane
 * seal its open sheaves, and wait until it has.  cpus_read_lock() is held
 * only meanwhile; CPUs that go offline later have their open sheaves
 * sealed by kfb_lanes_cpu_dead().
 */
static void kfb_lanes_seal(unsigned int lane, struct kmem_cache *s)
{
	struct kfb_lane *l;
	int cpu;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		l = per_cpu_ptr(&kfb_lanes[lane], cpu);
		/* data_race(): one opened later holds nothing of before. */
		if (kfb_lane_count(l, s) && data_race(l->nr_open))
			queue_work_on(cpu, kfb_wq, &l->seal_work);
	}
	/* Also waits for a seal work that found a sheaf of @s open. */
	for_each_online_cpu(cpu)
		flush_work(&per_cpu_ptr(&kfb_lanes[lane], cpu)->seal_work);
	cpus_read_unlock();
}

/*
 * Take the sealed sheaves of @s (NULL: of every cache) out of the batches
 * to each CPU's barrier list: a sheaf sealed later may join the newest
 * batch and give it a newer cookie.
 * Return: true if a sheaf taken still waits for its grace period.
 */
static bool kfb_lanes_take(struct kfree_batch *kb, unsigned int lane,
			   struct kmem_cache *s)
{
	struct slab_sheaf *sheaf, *next;
	struct kfb_lane_batch *b;
	bool waiting = false;
	struct kfb_lane *l;
	unsigned int i;
	int cpu;

	for_each_possible_cpu(cpu) {
		l = per_cpu_ptr(&kfb_lanes[lane], cpu);
		raw_spin_lock_irq(&l->lock);
		for (i = 0; i < l->nr_batches; i++) {
			b = kfb_lane_batch(l, i);
			list_for_each_entry_safe(sheaf, next, &b->sheaves,
						 barn_list) {
				if (s && sheaf->cache != s)
					continue;
				list_move_tail(&sheaf->barn_list, &l->barrier);
				if (!kb->ops->poll(kb, &b->cookie))
					waiting = true;
			}
		}
		raw_spin_unlock_irq(&l->lock);
	}
	return waiting;
}

/*
 * Does any CPU's @lane hold objects of @s, open or sealed?  If not, wait
 * for releases in flight, which took theirs out of the lane already.
 */
static bool kfb_lanes_hold(unsigned int lane, struct kmem_cache *s)
{
	struct kfb_lane *l;
	int cpu;

	for_each_possible_cpu(cpu)
		if (kfb_lane_count(per_cpu_ptr(&kfb_lanes[lane], cpu), s))
			return true;
	for_each_possible_cpu(cpu) {
		l = per_cpu_ptr(&kfb_lanes[lane], cpu);
		mutex_lock(&l->release_lock);
		mutex_unlock(&l->release_lock);
	}
	return false;
}

/*
 * Everything of @s (NULL: of every cache) in @lane before the call is
 * freed on return, after a grace period of the lane's client if a sheaf
 * taken still waits for one: a normal one, or for a per-cache barrier an
 * expedited one if kfree_batch.expedite_destroy asks for it.
 * cpus_read_lock() is never held across it.  A lane with no client holds
 * nothing: the lease ends only once it is empty (kfb_lane_unlease()).
 */
static void kfb_lanes_barrier(unsigned int lane, struct kmem_cache *s)
{
	struct kfree_batch *kb;
	struct kfb_lane *l;
	LIST_HEAD(chain);
	int cpu;

	if (!READ_ONCE(kfb_lanes_live) || (s && !kfb_lanes_hold(lane, s)))
		return;
	mutex_lock(&kfb_lane_locks[lane]);
	kb = kfb_lane_client[lane];
	if (!kb)
		goto out;
	kfb_lanes_seal(lane, s);
	/* Every sheaf taken was sealed with a cookie taken before this. */
	if (kfb_lanes_take(kb, lane, s)) {
		if (s && READ_ONCE(expedite_destroy) &&
		    kb->ops->synchronize_expedited)
			kb->ops->synchronize_expedited(kb);
		else
			kb->ops->synchronize(kb);
	}
	/* The mutex also waits for releases in flight, of ready batches. */
	for_each_possible_cpu(cpu) {
		l = per_cpu_ptr(&kfb_lanes[lane], cpu);
		mutex_lock(&l->release_lock);
		raw_spin_lock_irq(&l->lock);
		list_splice_init(&l->barrier, &chain);
		raw_spin_unlock_irq(&l->lock);
		kfb_lane_free(l, &chain);
		mutex_unlock(&l->release_lock);
	}
out:
	mutex_unlock(&kfb_lane_locks[lane]);
}

/* Lease a free lane to @kb. */
static void kfb_lane_lease(struct kfree_batch *kb)
{
	unsigned int lane;

	/* The lane's grace-period callback ends its batches' waits. */
	if (!READ_ONCE(kfb_lanes_live) || !kb->ops->call)
		return;
	for (lane = 0; lane < SLAB_DEFER_LANES && !kb->has_lane; lane++) {
		mutex_lock(&kfb_lane_locks[lane]);
		if (!kfb_lane_client[lane] && !kfb_lane_dead[lane]) {
			WRITE_ONCE(kfb_lane_client[lane], kb);
			kb->lane = lane;
			/* Pairs with the acquire in kfb_has_lane(). */
			smp_store_release(&kb->has_lane, true);
		}
		mutex_unlock(&kfb_lane_locks[lane]);
	}
	if (!kb->has_lane)
		pr_info("%s: every sheaf lane is taken; pointer pages only\n",
			kb->name);
}

/*
 * A lane barrier takes every sheaf but leaves the batches, empty, for the
 * release to drop once their cookie has passed; a release may also have
 * queued a callback for them.  Drop them here, and wait for the callbacks
 * until none is in flight: twice at most, unless objects were added
 * meanwhile.  Return: true if a callback is still in flight.
 */
static bool kfb_lane_quiesce(struct kfree_batch *kb, unsigned int lane)
{
	bool pending = false;
	struct kfb_lane *l;
	int cpu, round;

	for (round = 0; round < 3; round++) {
		for_each_possible_cpu(cpu)
			irq_work_sync(&per_cpu_ptr(&kfb_lanes[lane], cpu)->call_work);
		kb->ops->cb_barrier(kb);
		pending = false;
		for_each_possible_cpu(cpu) {
			l = per_cpu_ptr(&kfb_lanes[lane], cpu);
			flush_work(&l->release_work);
			flush_work(&l->seal_work);
			kfb_lane_release(l);
			raw_spin_lock_irq(&l->lock);
			pending |= l->gp_pending;
			raw_spin_unlock_irq(&l->lock);
		}
		if (!pending)
			break;
	}
	return pending;
}

/*
 * Give @kb's lane back, once kfree_batch_barrier() has emptied it: wait
 * for its grace-period callbacks and its works, and clear its counters.
 * A lane left with objects (added during kfree_batch_destroy()) dies.
 */
static void kfb_lane_unlease(struct kfree_batch *kb)
{
	unsigned int lane = kb->lane;
	struct kfb_lane *l;
	bool dead;
	int cpu;

	if (!kb->has_lane)
		return;
	mutex_lock(&kfb_lane_locks[lane]);
	dead = kfb_lane_quiesce(kb, lane);
	for_each_possible_cpu(cpu) {
		l = per_cpu_ptr(&kfb_lanes[lane], cpu);
		raw_spin_lock_irq(&l->lock);
		dead |= l->nr_open || l->nr_batches || !list_empty(&l->barrier);
		raw_spin_unlock_irq(&l->lock);
		l->added = 0;
		l->sealed_nr = 0;
		l->gp_waits = 0;
		l->released = 0;
		l->releases = 0;
	}
	WARN(dead, "kfree_batch: %s: objects added during its destruction leaked; lane %u dies\n",
	     kb->name, lane);
	kfb_lane_dead[lane] = dead;
	WRITE_ONCE(kfb_lane_client[lane], NULL);
	WRITE_ONCE(kb->has_lane, false);
	mutex_unlock(&kfb_lane_locks[lane]);
}

/* @cpu is dead: seal what it left open, with a fresh cookie. */
static void kfb_lanes_cpu_dead(unsigned int cpu)
{
	struct slab_sheaf *sheaf, *next;
	struct kfb_lane *l;
	unsigned int lane;
	bool call;

	if (!READ_ONCE(kfb_lanes_live))
		return;
	for (lane = 0; lane < SLAB_DEFER_LANES; lane++) {
		l = per_cpu_ptr(&kfb_lanes[lane], cpu);
		timer_delete_sync(&l->timer);
		if (!kfb_lane_kb(l))
			continue;
		raw_spin_lock_irq(&l->lock);
		call = false;
		list_for_each_entry_safe(sheaf, next, &l->open, barn_list) {
			WARN_ON_ONCE(!slab_defer_detach(sheaf->cache, sheaf,
							lane, cpu));
			list_del(&sheaf->barn_list);
			l->nr_open--;
			call |= kfb_lane_queue(l, sheaf);
		}
		raw_spin_unlock_irq(&l->lock);
		if (call)
			kfb_lane_call(l);
	}
}

static unsigned long kfb_lane_stat(unsigned long *counter)
{
	/* data_race(): a word-sized counter with one writer at a time. */
	return data_race(*counter);
}

static void kfb_lanes_get_stats(struct kfree_batch *kb,
				unsigned long stats[KFREE_BATCH_NR_STATS])
{
	struct kfb_lane *l;
	int cpu;

	if (!kfb_has_lane(kb))
		return;
	for_each_possible_cpu(cpu) {
		l = per_cpu_ptr(&kfb_lanes[kb->lane], cpu);
		stats[KFREE_BATCH_ADDED] += kfb_lane_stat(&l->added);
		stats[KFREE_BATCH_RELEASED] += READ_ONCE(l->released);
		stats[KFREE_BATCH_SEALED] += kfb_lane_stat(&l->sealed_nr);
		stats[KFREE_BATCH_GP_WAITS] += kfb_lane_stat(&l->gp_waits);
		stats[KFREE_BATCH_BULK_FREES] += kfb_lane_stat(&l->releases);
	}
}

static void __init kfb_lanes_setup(void)
{
	struct kfb_lane *l;
	int cpu, lane;

	for (lane = 0; lane < SLAB_DEFER_LANES; lane++)
		mutex_init(&kfb_lane_locks[lane]);
	for_each_possible_cpu(cpu) {
		for (lane = 0; lane < SLAB_DEFER_LANES; lane++) {
			l = per_cpu_ptr(&kfb_lanes[lane], cpu);
			raw_spin_lock_init(&l->lock);
			INIT_LIST_HEAD(&l->open);
			INIT_LIST_HEAD(&l->barrier);
			init_irq_work(&l->call_work, kfb_lane_call_irq_work);
			timer_setup(&l->timer, kfb_lane_timer, TIMER_PINNED);
			INIT_WORK(&l->seal_work, kfb_lane_seal_work);
			INIT_WORK(&l->release_work, kfb_lane_release_work);
			mutex_init(&l->release_lock);
			l->cpu = cpu;
			l->lane = lane;
		}
	}
	/* The lanes are set up before an add uses them. */
	smp_store_release(&kfb_lanes_live, true);
}

/*
 * Is @ptr in the linear map, where virt_to_slab() may look it up?  The
 * test of virt_addr_valid() on 32-bit ARM without its pfn_valid(), the
 * costly part: like kfree(), an add does not look for a hole in the
 * linear map, unless CONFIG_DEBUG_VIRTUAL asks for it.
 * vmalloc and module addresses, and the kernel image's on x86_64, are
 * outside and go to kfb_classify(), which checks them in full.
 */
static __always_inline bool kfb_in_linear_map(const void *ptr)
{
	unsigned long addr = (unsigned long)kasan_reset_tag(ptr);

	if (IS_ENABLED(CONFIG_DEBUG_VIRTUAL) && !virt_addr_valid(ptr))
		return false;
	return addr >= PAGE_OFFSET && addr < (unsigned long)high_memory;
}

/*
 * Add a slab object of a lane client to its cache's open sheaf.  False:
 * not queued there, for the pointer-page path to take it.
 */
static __always_inline bool kfb_lane_add(struct kfree_batch *kb, void *ptr)
{
	struct kmem_cache *s;
	struct slab *slab;

	/*
	 * As cheap as kfree(): that @ptr is the start of an object is
	 * checked at release, off the caller's path (kfb_lane_check()).
	 */
	if (!kfb_in_linear_map(ptr))
		return false;
	slab = virt_to_slab(ptr);
	if (!slab)
		return false;
	s = slab->slab_cache;
	if (!kfb_debug_queue(ptr)) {
		kfb_leak(kb, ptr, "object added twice");
		return true;
	}
	/*
	 * Before the add: once added, the object may be freed at any time.
	 * As in kfb_accept(), sheaves are not scanned by kmemleak; both are
	 * harmless twice if the add falls back to the pages.
	 */
	kmemleak_ignore(ptr);
	kasan_record_aux_stack(ptr);
	if (slab_defer_add(s, slab, ptr, kb->lane)) {
		kfb_debug_unqueue(ptr);
		return false;
	}
	this_cpu_inc(kfb_lanes[kb->lane].added);
	return true;
}

static __always_inline bool kfb_uses_lane(struct kfree_batch *kb, bool nolock)
{
	if (nolock || !kfb_has_lane(kb))
		return false;
	/* SLUB's per-CPU lock sleeps there, and the caller may hold pi_lock. */
	return !IS_ENABLED(CONFIG_PREEMPT_RT) || preemptible();
}

/*
 * Add @ptr, with @head as the fallback if not NULL.  When the add cannot
 * own this CPU's batches (it interrupted an add on this CPU), or @nolock
 * and it would need more than a store into an open batch, an object with
 * a head is deferred to the irq_work; one without is not queued.  False:
 * not queued.
 */
static __always_inline bool kfb_add(struct kfree_batch *kb, void *ptr,
				    struct kfree_batch_head *head, bool nolock)
{
	struct kfree_batch_cpu *kc;
	bool queued, was_preemptible;
	struct kmem_cache *s;

	if (!ptr)
		return true;
	if (kfb_uses_lane(kb, nolock) && kfb_lane_add(kb, ptr))
		return true;
	if (!kfb_accept(kb, ptr, &s))
		return true;
	kasan_record_aux_stack(ptr);

	was_preemptible = preemptible();
	preempt_disable();
	kc = this_cpu_ptr(kb->pcpu);
	if (!kc_own(kc)) {
		preempt_enable();
		/* The irq_work's add checks it again. */
		return kfb_add_defer(kb, ptr, head);
	}
	/* A static client may be used before kfree_batch_init(). */
	kc->kb = kb;
	kfb_test_point(KFREE_BATCH_TP_OWNED, kc);
	if (nolock)
		queued = kfb_add_nolock_owned(kc, ptr, s);
	else
		queued = kfb_add_owned(kc, ptr, head, s,
				       kfb_may_alloc(was_preemptible));
	kc_unown(kc, nolock);
	preempt_enable();
	if (queued)
		return true;
	if (nolock)
		return kfb_add_defer(kb, ptr, head);
	kfb_debug_unqueue(ptr);
	return false;
}

/* ============== Freed slab objects (KFREE_BATCH_FREED) =============== */

/*
 * A freed object's link is its free pointer, in memory that KASAN has
 * poisoned and that only SLUB touches otherwise: these two accessors are
 * not instrumented (with KASAN, the store in a function of its own, which
 * IPA cannot split, as it may a load).  Called with the object's untagged
 * address.
 */
static noinline __no_sanitize_address void
kfb_freed_link_nokasan(struct llist_node *node, struct llist_node *next)
{
	node->next = next;
}

static __always_inline void kfb_freed_link(struct llist_node *node,
					   struct llist_node *next)
{
	if (IS_ENABLED(CONFIG_KASAN_GENERIC) || IS_ENABLED(CONFIG_KASAN_SW_TAGS))
		kfb_freed_link_nokasan(node, next);
	else
		node->next = next;
}

static struct llist_node *kfb_freed_next(struct llist_node *node)
{
	return READ_ONCE_NOCHECK(node->next);
}

/* Objects freed per bulk call; an on-stack array, as in SLUB. */
#define KFB_FREED_BULK	32

/*
 * Free the objects of one cache, the first one's, that @list holds, at
 * most KFB_FREED_BULK per slab_free_freed() call; the others stay on the
 * list, which is returned.  *@n and *@bulk count objects and calls.
 */
static struct llist_node *kfb_free_one_cache(struct llist_node *list,
					     unsigned long *n,
					     unsigned long *bulk)
{
	struct kmem_cache *s = virt_to_slab(list)->slab_cache;
	struct llist_node *node, *next, *rest = NULL;
	void *objs[KFB_FREED_BULK];
	unsigned int nr = 0;

	for (node = list; node; node = next) {
		next = kfb_freed_next(node);
		if (virt_to_slab(node)->slab_cache != s) {
			kfb_freed_link(node, rest);
			rest = node;
			continue;
		}
		objs[nr++] = (void *)node - s->offset;
		if (nr == KFB_FREED_BULK) {
			slab_free_freed(s, nr, objs);
			*n += nr;
			(*bulk)++;
			nr = 0;
		}
	}
	if (nr) {
		slab_free_freed(s, nr, objs);
		*n += nr;
		(*bulk)++;
	}
	return rest;
}

/*
 * Release what a freed-objects client has deferred on @kc, grouped per
 * cache.  From the irq_work of @kc's CPU, or from a barrier or a CPU
 * hotplug callback on another CPU; any context but NMI.  The counters
 * are written under @lock, as two CPUs may release one list's objects.
 */
static void kfb_freed_release(struct kfree_batch_cpu *kc)
{
	struct llist_node *list = llist_del_all(&kc->deferred);
	unsigned long n = 0, bulk = 0, flags;

	if (!list)
		return;
	while (list)
		list = kfb_free_one_cache(list, &n, &bulk);
	raw_spin_lock_irqsave(&kc->lock, flags);
	kc->stats[KFREE_BATCH_ADDED] += n;
	kc->stats[KFREE_BATCH_RELEASED] += n;
	kc->stats[KFREE_BATCH_BULK_FREES] += bulk;
	raw_spin_unlock_irqrestore(&kc->lock, flags);
}

/**
 * kfree_batch_add_freed - defer the free of a slab object whose hooks ran
 * @kb: a client defined with DEFINE_KFREE_BATCH_FREED().
 * @s: the object's cache.
 * @x: the object, untagged (kasan_reset_tag()); its free hooks have run.
 *
 * Links @x through its free pointer on this CPU's list and queues the
 * irq_work, which frees the list's objects with slab_free_freed(), per
 * cache.  For kfree_nolock(), which calls it when it may not free.
 *
 * Context: any context, NMI included.
 * Return: nothing; @x is freed by the next irq_work of this CPU, or by
 * a barrier that covers @kb or @s.
 */
void kfree_batch_add_freed(struct kfree_batch *kb, struct kmem_cache *s,
			   void *x)
{
	struct llist_node *node = x + s->offset, *first;
	struct kfree_batch_cpu *kc;

	guard(preempt)();
	kc = this_cpu_ptr(kb->pcpu);
	first = READ_ONCE(kc->deferred.first);
	do {
		kfb_freed_link(node, first);
	} while (!try_cmpxchg(&kc->deferred.first, &first, node));
	if (!first)
		irq_work_queue(&kc->deferred_work);
}

/*
 * Release everything a freed-objects client has deferred: wait for the
 * irq_work of each online CPU, which may be freeing a list it took, then
 * free what is left.  A barrier or a hotplug callback that took a list
 * is another releaser: the callers hold cpus_read_lock(), which excludes
 * kfb_cpu_dead(), and kfb_seal_lock, which excludes each other, so that
 * no list is being freed elsewhere when this returns.  An offline CPU's
 * irq_work is not waited for: on PREEMPT_RT it may stay queued until the
 * CPU is back, and kfb_cpu_dead() took its list.
 */
static void kfb_freed_sync(struct kfree_batch *kb)
{
	struct kfree_batch_cpu *kc;
	int cpu;

	lockdep_assert_cpus_held();
	lockdep_assert_held(&kfb_seal_lock);
	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		if (cpu_online(cpu))
			irq_work_sync(&kc->deferred_work);
		kfb_freed_release(kc);
	}
}

/*
 * A barrier for a freed-objects client: its objects wait for no grace
 * period, only for an irq_work.  Also before kfree_batch_init().
 */
static void kfb_freed_barrier(struct kfree_batch *kb)
{
	cpus_read_lock();
	mutex_lock(&kfb_seal_lock);
	kfb_freed_sync(kb);
	mutex_unlock(&kfb_seal_lock);
	cpus_read_unlock();
}

/**
 * __kfree_batch_freed_irq_work - free what a freed-objects client deferred
 * @work: a CPU's deferred_work of a %KFREE_BATCH_FREED client.
 *
 * Not for direct use: public only so that DEFINE_KFREE_BATCH_FREED() can
 * initialise the irq_work statically.  Not a hard irq_work: on
 * PREEMPT_RT it runs in the irq_work thread, where SLUB's locks sleep.
 *
 * Context: irq_work (hard interrupt, or the irq_work thread on RT).
 * Return: nothing; the objects deferred on this CPU are freed.
 */
void __kfree_batch_freed_irq_work(struct irq_work *work)
{
	kfb_freed_release(container_of(work, struct kfree_batch_cpu,
				       deferred_work));
}
EXPORT_SYMBOL_GPL(__kfree_batch_freed_irq_work);

/*
 * Add the objects deferred on @kc (from NMI, or by an add that could not
 * own its CPU's batches) to this CPU's batches.  Process context, or a
 * CPU hotplug callback.
 */
static void kfb_adopt_deferred(struct kfree_batch_cpu *kc)
{
	struct llist_node *node, *next;
	struct kfree_batch_head *head;

	if (kc->kb->flags & KFREE_BATCH_FREED) {
		kfb_freed_release(kc);
		return;
	}
	node = llist_del_all(&kc->deferred);
	for (; node; node = next) {
		next = node->next;
		head = (struct kfree_batch_head *)node;
		kfree_batch_add_head(kc->kb, head, kvmalloc_obj_start_addr(head));
	}
}

/* ===================== Work on the owning CPU ======================= */

/*
 * Own @kc's open batch and run @fn, from a task bound to its CPU.  False
 * if this is not that CPU: it is offline, and the work runs unbound.
 */
static bool kfb_owner_run(struct kfree_batch_cpu *kc,
			  void (*fn)(struct kfree_batch_cpu *kc,
				     struct kfb_owner_op *op),
			  struct kfb_owner_op *op)
{
	bool ran = false;

	/* With preemption off, the CPU cannot go offline meanwhile. */
	preempt_disable();
	if (smp_processor_id() == kc->cpu && !WARN_ON_ONCE(!kc_own(kc))) {
		fn(kc, op);
		kc_unown(kc, false);
		ran = true;
	}
	preempt_enable();
	return ran;
}

static void kfb_owner_work(struct work_struct *work)
{
	struct kfb_owner_op *op = container_of(work, struct kfb_owner_op, work);

	op->ran = kfb_owner_run(op->kc, op->fn, op);
}

/*
 * Run @op->fn on @cpu, which owns @kc's open batch: only code on that CPU
 * touches it.  A work bound to the CPU, which waits for an add in progress
 * there to end (adds run with preemption disabled), and this waits for
 * the work.  An offline CPU is skipped: false.  Once it is dead,
 * kfb_cpu_dead() has sealed what it left open; a caller that must see
 * every open batch holds cpus_read_lock(), so that no CPU is on its way
 * down (offline, not dead yet) meanwhile.  Process context; sleeps.
 */
static bool kfb_on_owner(struct kfree_batch_cpu *kc, int cpu,
			 struct kfb_owner_op *op)
{
	op->kc = kc;
	op->ran = false;
	/* A CPU never brought up has no worker to run it. */
	if (!cpu_online(cpu))
		return false;
	INIT_WORK_ONSTACK(&op->work, kfb_owner_work);
	queue_work_on(cpu, kfb_wq, &op->work);
	flush_work(&op->work);
	destroy_work_on_stack(&op->work);
	return op->ran;
}

/* The worker's part on the owning CPU: seal what is due, re-arm. */
static void kfb_op_expire(struct kfree_batch_cpu *kc, struct kfb_owner_op *op)
{
	unsigned long delay = msecs_to_jiffies(READ_ONCE(seal_ms));
	bool flush = xchg(&kc->flush, 0);
	unsigned long flags, next = 0;

	kc_seal_open(kc, flush, jiffies - delay, NULL);

	/* Come back when the open block is due. */
	if (kc->open)
		next = kc->open->opened;
	raw_spin_lock_irqsave(&kc->lock, flags);
	kc->armed = false;
	kc->due_set = false;
	if (kc->open) {
		kcl_arm(kc, max_t(long, (long)(next + delay - jiffies), 1));
		kcl_due(kc, next + delay);
	} else if (kc->heads) {
		kcl_arm(kc, delay);
		kcl_due(kc, jiffies + delay);
	}
	raw_spin_unlock_irqrestore(&kc->lock, flags);
}

/* A barrier's part: seal every open batch (of @op->only if not NULL). */
static void kfb_op_seal(struct kfree_batch_cpu *kc, struct kfb_owner_op *op)
{
	kc_seal_open(kc, true, 0, op->only);
}

/* Count the open block's objects of @op->only. */
static void kfb_op_count(struct kfree_batch_cpu *kc, struct kfb_owner_op *op)
{
	if (kc->open)
		op->count += kfb_block_count(kc->open, op->only);
}

/*
 * A CPU has gone offline: seal what it left open, for every client, and
 * let each client's worker release it.  Runs on another CPU once @cpu is
 * dead, so nothing touches @cpu's open batches meanwhile.
 */
static int kfb_cpu_dead(unsigned int cpu)
{
	struct kfree_batch_block *b, *reserve;
	struct kfree_batch_cpu *kc;
	struct kfree_batch *kb;
	unsigned long flags;

	kfb_lanes_cpu_dead(cpu);
	rcu_read_lock();
	list_for_each_entry_rcu(kb, &kfree_batch_clients, node) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		/* An add took them before the CPU went down; in case not: */
		kfb_adopt_deferred(kc);
		kc_seal_open(kc, true, 0, NULL);
		WRITE_ONCE(kc->flush, 0);
		/* An offline CPU keeps no reserve: see kcl_reserve_target(). */
		raw_spin_lock_irqsave(&kc->lock, flags);
		kc->offline = true;
		reserve = kc->reserve;
		kc->reserve = NULL;
		kc->nr_reserve = 0;
		kc->due_set = false;
		kcl_arm(kc, 1);
		raw_spin_unlock_irqrestore(&kc->lock, flags);
		while ((b = reserve)) {
			reserve = b->next;
			kfb_page_free(kb, b);
		}
	}
	rcu_read_unlock();
	return 0;
}

/*
 * A CPU is coming online: it may keep a reserve again, which the worker
 * fills.  Runs on another CPU, before @cpu runs anything.
 */
static int kfb_cpu_prepare(unsigned int cpu)
{
	struct kfree_batch_cpu *kc;
	struct kfree_batch *kb;
	unsigned long flags;

	rcu_read_lock();
	list_for_each_entry_rcu(kb, &kfree_batch_clients, node) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		raw_spin_lock_irqsave(&kc->lock, flags);
		kc->offline = false;
		kcl_arm(kc, 1);
		raw_spin_unlock_irqrestore(&kc->lock, flags);
	}
	rcu_read_unlock();
	return 0;
}

/* ============================ Release =============================== */

static void kfb_free_block_page(struct kfree_batch_cpu *kc,
				struct kfree_batch_block *b)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&kc->lock, flags);
	if (kc->nr_reserve < kcl_reserve_target(kc)) {
		b->next = kc->reserve;
		kc->reserve = b;
		kc->nr_reserve++;
		b = NULL;
	}
	raw_spin_unlock_irqrestore(&kc->lock, flags);
	if (b)
		kfb_page_free(kc->kb, b);
}

/* The last check before a free: never release before the grace period. */
static void drain_check_gp(struct kfree_batch_cpu *kc,
			   union kfree_batch_cookie *c)
{
	struct kfree_batch *kb = kc->kb;

	lockdep_assert_held(&kc->drain_lock);
	if (WARN_ONCE(!kb->ops->poll(kb, c),
		      "kfree_batch: %s: batch released before its grace period\n",
		      kb->name))
		kb->ops->synchronize(kb);
}

static void kfb_vfree(void *ptr)
{
	struct vm_struct *area = find_vm_area(ptr);

	if (WARN_ONCE(!area || area->addr != ptr,
		      "kfree_batch: %p is not the start of a vmalloc area, not freed\n",
		      ptr))
		return;
	vfree(ptr);
}

/*
 * Free the objects of @b, whose grace period has passed, grouped per
 * cache: vmalloc ones with vfree(), then one kmem_cache_free_bulk_reuse()
 * for each cache that @b names, which hands whole sheaves back to the
 * cache's barn, then one kfree_bulk() for the rest (large kmalloc objects,
 * and those of further caches).  One lookup per object; reorders @b.
 * Return: the number of bulk frees.
 */
static unsigned int kfb_release_objs(struct kfree_batch_block *b)
{
	const unsigned int other = KFREE_BATCH_BLOCK_CACHES;
	unsigned int i, j, run, start = 0, frees = 0, nr = b->nr;
	u8 group[KFB_BLOCK_OBJS];
	void **objs = b->objs;
	struct kmem_cache *s;

	for (i = 0; i < nr; ) {
		if (!is_vmalloc_addr(objs[i])) {
			i++;
			continue;
		}
		kfb_vfree(objs[i]);
		objs[i] = objs[--nr];
		frees = 1;
		cond_resched();
	}
	for (i = 0; i < nr; i++) {
		s = kfb_obj_cache(objs[i]);
		for (j = 0; j < b->nr_caches && b->caches[j] != s; j++)
			;
		group[i] = j < b->nr_caches ? j : other;
	}
	for (j = 0; j < b->nr_caches; j++) {
		for (run = start, i = start; i < nr; i++) {
			if (group[i] != j)
				continue;
			swap(objs[i], objs[run]);
			swap(group[i], group[run]);
			run++;
		}
		if (run == start)
			continue;
		s = b->caches[j];
		kmem_cache_free_bulk_reuse(s, run - start, objs + start);
		atomic_long_add(run - start, &s->kfb_released);
		atomic_long_inc(&s->kfb_bulk_frees);
		frees++;
		start = run;
	}
	if (start == nr)
		return frees;
	for (i = start; i < nr; i++) {
		s = kfb_obj_cache(objs[i]);
		if (s)
			atomic_long_inc(&s->kfb_released);
	}
	kfree_bulk(nr - start, objs + start);
	return frees + 1;
}

static void drain_block(struct kfree_batch_cpu *kc, struct kfree_batch_block *b)
{
	unsigned int i;

	lockdep_assert_held(&kc->drain_lock);
	drain_check_gp(kc, &b->cookie);
	trace_kfree_batch_release(kc->kb->name, kfb_block_name(b), b->nr);
	for (i = 0; i < b->nr; i++)
		kfb_debug_unqueue(b->objs[i]);
	kc->stats[KFREE_BATCH_RELEASED] += b->nr;
	kc->stats[KFREE_BATCH_BULK_FREES] += kfb_release_objs(b);
	kfb_free_block_page(kc, b);
}

static void drain_heads(struct kfree_batch_cpu *kc,
			struct kfree_batch_head *head,
			union kfree_batch_cookie *c)
{
	struct kfree_batch_head *next;
	struct kmem_cache *s;
	void *ptr;

	lockdep_assert_held(&kc->drain_lock);
	if (!head)
		return;
	drain_check_gp(kc, c);
	for (; head; head = next) {
		next = head->next;
		ptr = kvmalloc_obj_start_addr(head);
		kfb_debug_unqueue(ptr);
		if (kfb_classify(ptr, &s) == KFB_SLAB)
			atomic_long_inc(&s->kfb_released);
		kvfree(ptr);
		kc->stats[KFREE_BATCH_RELEASED]++;
		cond_resched();
	}
}

/*
 * Detach from @kc the sealed batches whose grace period has passed (of
 * cache @only, if not NULL), and the sealed fallback list if it is ready.
 */
static struct kfree_batch_block *
kcl_detach(struct kfree_batch_cpu *kc, struct kmem_cache *only,
	   unsigned int *max, struct kfree_batch_head **heads,
	   union kfree_batch_cookie *heads_cookie)
{
	struct kfree_batch *kb = kc->kb;
	struct kfree_batch_block *b, **pp = &kc->sealed, *ready = NULL;
	struct kfree_batch_block *last = NULL;

	lockdep_assert_held(&kc->lock);
	/*
	 * The list is in seal order, so its cookies are in order too: past
	 * the first batch whose grace period has not passed, none has.  The
	 * walk under the raw lock is only as long as what it detaches.
	 */
	while ((b = *pp)) {
		if (!only || kfb_block_has(b, only)) {
			if (!*max || !kb->ops->poll(kb, &b->cookie))
				break;
			--*max;
			*pp = b->next;
			b->next = ready;
			ready = b;
			continue;
		}
		last = b;
		pp = &b->next;
	}
	/* Stopped early: the list's last batch is where it was. */
	if (!b)
		kc->sealed_tail = last;
	*heads = NULL;
	if (kc->heads_sealed && kb->ops->poll(kb, &kc->heads_cookie)) {
		*heads = kc->heads_sealed;
		*heads_cookie = kc->heads_cookie;
		kc->heads_sealed = NULL;
	}
	return ready;
}

/*
 * Release what is ready on @kc, at most @max batches.  Returns true if it
 * stopped at @max: more batches may be ready.
 */
static bool drain_ready(struct kfree_batch_cpu *kc, struct kmem_cache *only,
			unsigned int max)
{
	struct kfree_batch_block *ready, *next;
	union kfree_batch_cookie heads_cookie;
	struct kfree_batch_head *heads;

	lockdep_assert_held(&kc->drain_lock);
	raw_spin_lock_irq(&kc->lock);
	ready = kcl_detach(kc, only, &max, &heads, &heads_cookie);
	raw_spin_unlock_irq(&kc->lock);

	for (; ready; ready = next) {
		next = ready->next;
		drain_block(kc, ready);
		cond_resched();
	}
	drain_heads(kc, heads, &heads_cookie);
	/*
	 * A fallback list waited behind the one just released (see
	 * kc_seal_open()): have the worker seal it now.  data_race(): the
	 * owner's pointer, only tested.
	 */
	if (heads && data_race(kc->heads)) {
		raw_spin_lock_irq(&kc->lock);
		kcl_due(kc, jiffies);
		kcl_arm(kc, 1);
		raw_spin_unlock_irq(&kc->lock);
	}
	return !max;
}

/* Keep @kc's reserve full; process context, may sleep briefly. */
static void kfb_refill_reserve(struct kfree_batch_cpu *kc)
{
	struct kfree_batch_block *b;
	unsigned int target;

	raw_spin_lock_irq(&kc->lock);
	/* Shrink a grown target again once adds no longer run dry. */
	if (!kc->short_of_blocks)
		kc->reserve_target /= 2;
	kc->short_of_blocks = false;
	target = kcl_reserve_target(kc);
	raw_spin_unlock_irq(&kc->lock);

	while (READ_ONCE(kc->nr_reserve) < target) {
		/* NORETRY/NOMEMALLOC: a reserve is not worth reclaim or OOM. */
		b = (void *)__get_free_page(GFP_KERNEL | __GFP_NORETRY |
					    __GFP_NOMEMALLOC | __GFP_NOWARN);
		if (!b)
			return;
		kfb_page_taken(kc->kb);
		kfb_free_block_page(kc, b);
	}
}

/*
 * Run the worker now, whatever its timer says.  Takes no lock of ours
 * (this may run in softirq context, on top of an add on this CPU).
 */
static void kfb_kick(struct kfree_batch_cpu *kc)
{
	WRITE_ONCE(kc->gp_pending, false);
	queue_work_on(kc->cpu, kfb_worker_wq, &kc->work);
}

static void kfb_gp_done(struct rcu_head *head)
{
	/* Softirq or rcuc kthread context: waking the worker is fine here. */
	kfb_kick(container_of(head, struct kfree_batch_cpu, gp_head));
}

/* Wait for the grace period of what remains sealed: one callback per CPU. */
static void drain_wait_gp(struct kfree_batch_cpu *kc)
{
	struct kfree_batch *kb = kc->kb;
	bool call = false;

	lockdep_assert_held(&kc->drain_lock);
	/*
	 * Being destroyed: no callback may outlive @kc (only left over if
	 * objects were added during kfree_batch_destroy(), which warns).
	 */
	if (!READ_ONCE(kb->live))
		return;
	raw_spin_lock_irq(&kc->lock);
	if ((kc->sealed || kc->heads_sealed) && !READ_ONCE(kc->gp_pending)) {
		WRITE_ONCE(kc->gp_pending, true);
		kc->stats[KFREE_BATCH_GP_WAITS]++;
		call = true;
	}
	raw_spin_unlock_irq(&kc->lock);
	if (!call)
		return;
	if (kb->ops->call)
		kb->ops->call(kb, &kc->gp_head, kfb_gp_done);
	else
		kfb_kick(kc);
}

/* Under a flood, hurry the grace period instead of letting memory pile up. */
static void drain_expedite(struct kfree_batch_cpu *kc)
{
	struct kfree_batch *kb = kc->kb;
	unsigned long last = READ_ONCE(kb->last_expedite);
	unsigned long bound = READ_ONCE(backlog);
	bool hurry = false;

	lockdep_assert_held(&kc->drain_lock);
	if (!kb->ops->expedite || !bound)
		return;
	raw_spin_lock_irq(&kc->lock);
	if (kfb_pending(kc) > bound) {
		/*
		 * Poll again soon: an expedited grace period, started here
		 * or on another CPU, ends before the normal one that the
		 * callback waits for.
		 */
		kcl_arm(kc, 1);
		/*
		 * It interrupts every CPU: one per client every 100 ms at
		 * most, whichever CPUs are behind.
		 */
		hurry = time_after(jiffies, last + HZ / 10) &&
			try_cmpxchg(&kb->last_expedite, &last, jiffies);
		if (hurry)
			kc->stats[KFREE_BATCH_EXPEDITED]++;
	}
	raw_spin_unlock_irq(&kc->lock);
	if (hurry)
		kb->ops->expedite(kb);
}

/*
 * On @kc's dead CPU, seal what kfb_cpu_dead() could not: a fallback list
 * that waited behind another.  Nothing runs there to own the batches, nor
 * will while cpus_read_lock() is held; drain_lock keeps the worker and a
 * barrier from doing it at once.
 */
static void kfb_seal_dead(struct kfree_batch_cpu *kc)
{
	lockdep_assert_cpus_held();
	/* data_race(): a dead CPU's pointer, only tested. */
	if (!data_race(kc->heads))
		return;
	mutex_lock(&kc->drain_lock);
	kc_seal_open(kc, true, 0, NULL);
	mutex_unlock(&kc->drain_lock);
}

/*
 * The worker of @kc's CPU: it runs there (unbound while the CPU is
 * offline), so it seals what is due itself, with no IPI, and releases
 * next to the objects' barns.
 */
static void kfb_run(struct kfree_batch_cpu *kc)
{
	struct kfb_owner_op op = {};
	bool due;

	/* Seal only if the open batch is due, or to flush. */
	raw_spin_lock_irq(&kc->lock);
	kc->armed = false;
	due = READ_ONCE(kc->flush) ||
	      (kc->due_set && time_after_eq(jiffies, kc->due));
	if (!due && kc->due_set)
		kcl_arm(kc, max_t(long, (long)(kc->due - jiffies), 1));
	raw_spin_unlock_irq(&kc->lock);
	if (due && !kfb_owner_run(kc, kfb_op_expire, &op)) {
		cpus_read_lock();
		if (cpu_online(kc->cpu)) {
			/* Back online since the work was queued: go there. */
			queue_work_on(kc->cpu, kfb_worker_wq, &kc->work);
		} else {
			/* Dead: kfb_cpu_dead() sealed the open batch. */
			WRITE_ONCE(kc->flush, 0);
			raw_spin_lock_irq(&kc->lock);
			kc->due_set = false;
			raw_spin_unlock_irq(&kc->lock);
			kfb_seal_dead(kc);
		}
		cpus_read_unlock();
	}

	mutex_lock(&kc->drain_lock);
	/* In chunks, so that a barrier waits for one chunk, not a flood. */
	while (drain_ready(kc, NULL, KFB_DRAIN_CHUNK)) {
		mutex_unlock(&kc->drain_lock);
		cond_resched();
		mutex_lock(&kc->drain_lock);
	}
	kfb_refill_reserve(kc);
	drain_wait_gp(kc);
	drain_expedite(kc);
	mutex_unlock(&kc->drain_lock);
}

static void kfree_batch_work(struct work_struct *work)
{
	kfb_run(container_of(work, struct kfree_batch_cpu, work));
}

/*
 * The worker's timer (kcl_arm()), pinned to the CPU that armed it: the
 * owner for the time bound, so that it interrupts no other CPU.  Queues
 * the worker on the owner; softirq context.
 */
static void kfree_batch_timer(struct timer_list *t)
{
	struct kfree_batch_cpu *kc = timer_container_of(kc, t, timer);

	queue_work_on(kc->cpu, kfb_worker_wq, &kc->work);
}

/**
 * __kfree_batch_irq_work - add the objects deferred from NMI context
 * @work: a CPU's deferred_work of a client.
 *
 * Not for direct use: public only so that DEFINE_KFREE_BATCH() can
 * initialise the irq_work statically.  Runs as a hard irq_work, also on
 * PREEMPT_RT, because the adds it makes may take the client's raw lock.
 * On top of an add on this CPU it leaves the objects to that add.
 *
 * Context: hard interrupt context (irq_work).
 * Return: nothing; every deferred object is now in a batch or on the
 * fallback list.
 */
void __kfree_batch_irq_work(struct irq_work *work)
{
	struct kfree_batch_cpu *kc = container_of(work, struct kfree_batch_cpu,
						  deferred_work);

	/*
	 * On top of an add on this CPU (of this client), adding here would
	 * defer again: that add takes the list before it lets the batches
	 * go, or queues this irq_work again once it is done.  Otherwise own
	 * the batches as an add does: kc_unown() adds the deferred objects.
	 */
	if (!kc_own(kc))
		return;
	kc_unown(kc, false);
}
EXPORT_SYMBOL_GPL(__kfree_batch_irq_work);

/*
 * Seal everything of @only (NULL: of every cache) on every CPU.  One
 * barrier at a time: objects that one takes off a deferred list are in no
 * batch until it has added them, and another must not finish sealing
 * meanwhile.
 */
static void kfb_seal_all(struct kfree_batch *kb, struct kmem_cache *only)
{
	struct kfb_owner_op op = { .fn = kfb_op_seal, .only = only };
	struct kfree_batch_cpu *kc;
	bool busy;
	int cpu;

	guard(mutex)(&kfb_seal_lock);

	if (kb->flags & KFREE_BATCH_FREED) {
		kfb_freed_sync(kb);
		return;
	}
	/*
	 * First every deferred add, to this CPU's batches: all of them
	 * before any CPU is sealed.  The irq_work and the adds take a list
	 * only while they own their CPU's batches, so objects that they took
	 * are in that CPU's batches by the time the loop below seals them.
	 */
	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		irq_work_sync(&kc->deferred_work);
		kfb_adopt_deferred(kc);
	}
	lockdep_assert_cpus_held();
	for_each_online_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		/*
		 * An add in progress there may hold objects that it took off
		 * the deferred list above: wait for it through the work.  One
		 * that has ended is seen in the open batches; the acquire
		 * pairs with the release in kc_unown().
		 */
		busy = smp_load_acquire(&kc->adding);
		kfb_test_point(KFREE_BATCH_TP_GLANCE, kc);
		if (busy || kfb_has_open(kc, only))
			kfb_on_owner(kc, cpu, &op);
	}
	for_each_cpu_andnot(cpu, cpu_possible_mask, cpu_online_mask)
		kfb_seal_dead(per_cpu_ptr(kb->pcpu, cpu));
	/*
	 * A batch that was no longer open at the glance above is queued by
	 * now: kc_close() queues it first.  Pairs with its smp_wmb().
	 */
	smp_rmb();
}

/*
 * Is anything of @only (NULL: of any cache) sealed and still waiting for
 * its grace period?  A barrier waits for one only then.
 */
static bool kfb_waiting(struct kfree_batch *kb, struct kmem_cache *only)
{
	struct kfree_batch_cpu *kc;
	struct kfree_batch_block *b;
	bool found = false;
	int cpu;

	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		raw_spin_lock_irq(&kc->lock);
		for (b = kc->sealed; b && !found; b = b->next)
			found = (!only || kfb_block_has(b, only)) &&
				!kb->ops->poll(kb, &b->cookie);
		found |= kc->heads_sealed &&
			 !kb->ops->poll(kb, &kc->heads_cookie);
		raw_spin_unlock_irq(&kc->lock);
		if (found)
			return true;
	}
	return false;
}

/* Fallback objects left on some CPU, sealed or not: a glance. */
static bool kfb_heads_left(struct kfree_batch *kb)
{
	struct kfree_batch_cpu *kc;
	int cpu;

	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		/* data_race(): pointers only tested; a second round is safe. */
		if (data_race(kc->heads || kc->heads_sealed))
			return true;
	}
	return false;
}

/*
 * A barrier's part after sealing: wait for a grace period if anything of
 * @only is still waiting for one, then release what is ready.  Never
 * under cpus_read_lock(): CPU hotplug does not wait for a barrier's grace
 * period.  A per-cache barrier (@only, for kmem_cache_destroy()) waits for
 * an expedited one only if kfree_batch.expedite_destroy asks for it.
 * Return: true if fallback objects are left, sealed or not.
 */
static bool kfb_drain_sealed(struct kfree_batch *kb, struct kmem_cache *only)
{
	struct kfree_batch_cpu *kc;
	int cpu;

	if (kfb_waiting(kb, only)) {
		if (only && READ_ONCE(expedite_destroy) &&
		    kb->ops->synchronize_expedited)
			kb->ops->synchronize_expedited(kb);
		else
			kb->ops->synchronize(kb);
	}
	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		/* Taking drain_lock also waits for a release. */
		mutex_lock(&kc->drain_lock);
		drain_ready(kc, only, UINT_MAX);
		mutex_unlock(&kc->drain_lock);
	}
	return kfb_heads_left(kb);
}

/*
 * Seal, wait for a grace period (two while fallback objects are left),
 * then release what was sealed before it.  cpus_read_lock() is held only
 * while sealing (see kfb_on_owner()); a CPU that goes offline afterwards
 * has what it left open sealed by kfb_cpu_dead(), and its sealed batches
 * stay where the loop in kfb_drain_sealed() finds them.
 */
static void kfb_drain_all(struct kfree_batch *kb)
{
	int round;

	/*
	 * A fallback list that the first round left unsealed behind another
	 * (see kc_seal_open()) is sealed by the second, before its grace
	 * period: two rounds release every object added before the call.
	 */
	for (round = 0; round < 2; round++) {
		cpus_read_lock();
		kfb_seal_all(kb, NULL);
		cpus_read_unlock();
		if (!kfb_drain_sealed(kb, NULL))
			break;
	}
}

/* =========================== Shrinker =============================== */

static unsigned long kfb_count(struct shrinker *shrink,
			       struct shrink_control *sc)
{
	unsigned long stats[KFREE_BATCH_NR_STATS], count = 0;
	struct kfree_batch *kb;

	if (!mutex_trylock(&kfree_batch_clients_lock))
		return 0;
	list_for_each_entry(kb, &kfree_batch_clients, node) {
		kfree_batch_get_stats(kb, stats);
		count += stats[KFREE_BATCH_PENDING];
	}
	mutex_unlock(&kfree_batch_clients_lock);
	return count ? count : SHRINK_EMPTY;
}

static unsigned long kfb_scan(struct shrinker *shrink,
			      struct shrink_control *sc)
{
	struct kfree_batch *kb;

	/* Seal and release early; the memory comes back after the GP. */
	if (!mutex_trylock(&kfree_batch_clients_lock))
		return SHRINK_STOP;
	list_for_each_entry(kb, &kfree_batch_clients, node)
		kfree_batch_flush(kb);
	mutex_unlock(&kfree_batch_clients_lock);
	return SHRINK_STOP;
}

/* =========================== debugfs ================================ */

static int kfb_stats_show(struct seq_file *m, void *v)
{
	struct kfree_batch *kb = m->private;
	unsigned long stats[KFREE_BATCH_NR_STATS];
	int i;

	kfree_batch_get_stats(kb, stats);
	seq_printf(m, "domain %s\n", kb->ops->name);
	for (i = 0; i < KFREE_BATCH_NR_STATS; i++)
		seq_printf(m, "%s %lu\n", kfree_batch_stat_names[i], stats[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kfb_stats);

struct kfb_cache_count {
	const char *name;
	unsigned long objs, batches;
};

/*
 * Add @b to the table @t (of @n entries) under its name (see
 * kfb_block_name()); false when the table is full.
 */
static bool kfb_count_block(struct kfb_cache_count *t, int n,
			    struct kfree_batch_block *b)
{
	const char *name = kfb_block_name(b);
	int i;

	for (i = 0; i < n; i++) {
		if (!t[i].batches)
			t[i].name = name;
		else if (t[i].name != name)
			continue;
		t[i].objs += b->nr;
		t[i].batches++;
		return true;
	}
	return false;
}

/* Count the open block into the table @op->data. */
static void kfb_op_table(struct kfree_batch_cpu *kc, struct kfb_owner_op *op)
{
	if (kc->open)
		kfb_count_block(op->data, op->count, kc->open);
}

/*
 * Pending objects per CPU and block: "cpu name open|sealed objects
 * batches", where a block is named after its cache if it holds objects of
 * one only (see kfb_block_name()).  The client list mutex keeps every cache named here from
 * being destroyed meanwhile: kmem_cache_destroy() takes it too, in
 * kfree_batch_barrier_cache().
 */
static int kfb_caches_show(struct seq_file *m, void *v)
{
	struct kfree_batch *kb = m->private;
	struct kfb_cache_count t[2][16];
	struct kfb_owner_op op = {
		.fn = kfb_op_table, .data = t[0], .count = ARRAY_SIZE(t[0]),
	};
	struct kfree_batch_cpu *kc;
	struct kfree_batch_block *b;
	int cpu, i, j;

	mutex_lock(&kfree_batch_clients_lock);
	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		memset(t, 0, sizeof(t));
		kfb_on_owner(kc, cpu, &op);
		raw_spin_lock_irq(&kc->lock);
		for (b = kc->sealed; b; b = b->next)
			kfb_count_block(t[1], ARRAY_SIZE(t[1]), b);
		raw_spin_unlock_irq(&kc->lock);
		for (j = 0; j < 2; j++)
			for (i = 0; i < ARRAY_SIZE(t[j]) && t[j][i].batches; i++)
				seq_printf(m, "%d %s %s %lu %lu\n", cpu,
					   t[j][i].name,
					   j ? "sealed" : "open",
					   t[j][i].objs, t[j][i].batches);
	}
	mutex_unlock(&kfree_batch_clients_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kfb_caches);

/*
 * kfree_batch/caches: the counters of every cache that kfree_batch has
 * seen, over all clients.  Objects added are those released plus those
 * pending; sealed batches still waiting are not released yet.
 */
static int kfb_all_caches_show(struct seq_file *m, void *v)
{
	unsigned long released, bulk;
	struct kmem_cache *s;

	seq_puts(m, "# cache sealed released bulk_frees objs_per_bulk fallbacks pending\n");
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		released = atomic_long_read(&s->kfb_released);
		bulk = atomic_long_read(&s->kfb_bulk_frees);
		if (!atomic_long_read(&s->kfb_sealed) && !released &&
		    !atomic_long_read(&s->kfb_fallbacks))
			continue;
		seq_printf(m, "%s %lu %lu %lu %lu %lu %lu\n", s->name,
			   atomic_long_read(&s->kfb_sealed), released, bulk,
			   bulk ? released / bulk : 0,
			   atomic_long_read(&s->kfb_fallbacks),
			   kfree_batch_cache_pending(s));
	}
	mutex_unlock(&slab_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kfb_all_caches);

/* Clients set up before debugfs get their files from kfb_debugfs_init(). */
static void kfb_debugfs_add(struct kfree_batch *kb)
{
	lockdep_assert_held(&kfree_batch_clients_lock);
	if (!kfree_batch_debugfs)
		return;
	kb->debugfs = debugfs_create_dir(kb->name, kfree_batch_debugfs);
	debugfs_create_file("stats", 0444, kb->debugfs, kb, &kfb_stats_fops);
	debugfs_create_file("caches", 0444, kb->debugfs, kb, &kfb_caches_fops);
}

static int __init kfb_debugfs_init(void)
{
	struct kfree_batch *kb;

	mutex_lock(&kfree_batch_clients_lock);
	kfree_batch_debugfs = debugfs_create_dir("kfree_batch", NULL);
	debugfs_create_file("caches", 0444, kfree_batch_debugfs, NULL,
			    &kfb_all_caches_fops);
	list_for_each_entry(kb, &kfree_batch_clients, node)
		kfb_debugfs_add(kb);
	mutex_unlock(&kfree_batch_clients_lock);
	return 0;
}
late_initcall(kfb_debugfs_init);

/*
 * The objects of @s in @kc's sealed blocks.  Under drain_lock no block
 * leaves the list, and blocks are only appended after the tail read
 * here: the walk looks up objects without the raw lock.
 */
static unsigned long kfb_sealed_count(struct kfree_batch_cpu *kc,
				      struct kmem_cache *s)
{
	struct kfree_batch_block *b, *last;
	unsigned long n = 0;

	mutex_lock(&kc->drain_lock);
	raw_spin_lock_irq(&kc->lock);
	b = kc->sealed;
	last = kc->sealed_tail;
	raw_spin_unlock_irq(&kc->lock);
	for (; b; b = b->next) {
		n += kfb_block_count(b, s);
		if (b == last)
			break;
	}
	mutex_unlock(&kc->drain_lock);
	return n;
}

/* ======================= Public interface =========================== */

/* Set up @kb's per-CPU state, on every possible CPU. */
static void kfb_cpus_init(struct kfree_batch *kb)
{
	struct kfree_batch_cpu *kc;
	int cpu;

	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		if (!kb->pcpu_static) {
			raw_spin_lock_init(&kc->lock);
			kc->deferred_work = kb->flags & KFREE_BATCH_FREED ?
				IRQ_WORK_INIT(__kfree_batch_freed_irq_work) :
				IRQ_WORK_INIT_HARD(__kfree_batch_irq_work);
		}
		mutex_init(&kc->drain_lock);
		timer_setup(&kc->timer, kfree_batch_timer, TIMER_PINNED);
		INIT_WORK(&kc->work, kfree_batch_work);
		kc->kb = kb;
		kc->cpu = cpu;
	}
}

/*
 * Once @kb is on the list of clients, kfb_cpu_dead() seals what a CPU that
 * goes offline leaves open; what CPUs offline already left open (a static
 * client used early in boot) is sealed here.  Online CPUs fill their
 * reserve.
 */
static void kfb_cpus_start(struct kfree_batch *kb)
{
	struct kfree_batch_cpu *kc;
	int cpu;

	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		raw_spin_lock_irq(&kc->lock);
		kc->offline = !cpu_online(cpu);
		raw_spin_unlock_irq(&kc->lock);
		if (cpu_online(cpu)) {
			kfb_refill_reserve(kc);
			continue;
		}
		/* As kfb_seal_dead() may, from a barrier: one at a time. */
		mutex_lock(&kc->drain_lock);
		kfb_adopt_deferred(kc);
		kc_seal_open(kc, true, 0, NULL);
		mutex_unlock(&kc->drain_lock);
	}
	cpus_read_unlock();
}

/*
 * Stop @kb's per-CPU timers and works for good, once nothing is pending,
 * and free its reserve.
 */
static void kfb_cpus_stop(struct kfree_batch *kb)
{
	struct kfree_batch_cpu *kc;
	struct kfree_batch_block *b;
	int cpu;

	WRITE_ONCE(kb->live, false);
	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		timer_delete_sync(&kc->timer);
		cancel_work_sync(&kc->work);
	}
	/* A grace-period callback may still be in flight; it queues work. */
	kb->ops->cb_barrier(kb);
	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		/* Shut down: a stray kcl_arm() from now on is a no-op. */
		timer_shutdown_sync(&kc->timer);
		cancel_work_sync(&kc->work);
		while ((b = kc->reserve)) {
			kc->reserve = b->next;
			kfb_page_free(kb, b);
		}
		kc->nr_reserve = 0;
	}
}

/**
 * kfree_batch_init - make a client ready to release objects
 * @kb: the client: defined with DEFINE_KFREE_BATCH(), or with @name, @ops
 *	(and @ssp for SRCU) set and everything else zero.
 *
 * Context: process context; may sleep.
 * Return: 0, or -ENOMEM if the per-CPU state could not be allocated.
 */
int kfree_batch_init(struct kfree_batch *kb)
{
	kb->has_lane = false;
	if (kb->flags & KFREE_BATCH_SHEAVES)
		kfb_lane_lease(kb);
	if (!kb->pcpu_static) {
		kb->pcpu = alloc_percpu(struct kfree_batch_cpu);
		if (!kb->pcpu) {
			kfb_lane_unlease(kb);
			return -ENOMEM;
		}
	}
	kfb_cpus_init(kb);
	mutex_lock(&kfree_batch_clients_lock);
	list_add_tail_rcu(&kb->node, &kfree_batch_clients);
	kfb_debugfs_add(kb);
	mutex_unlock(&kfree_batch_clients_lock);
	kfb_cpus_start(kb);
	/* Pairs with the smp_load_acquire() in kcl_arm(). */
	smp_store_release(&kb->live, true);
	/* Release what was added before init (static clients). */
	kfree_batch_flush(kb);
	return 0;
}
EXPORT_SYMBOL_GPL(kfree_batch_init);

/**
 * kfree_batch_destroy - release every pending object and tear a client down
 * @kb: a client set up by kfree_batch_init().
 *
 * The caller must make sure that nothing adds to @kb any more.
 *
 * Context: process context; sleeps for a grace period.
 * Return: nothing; every object added before the call has been freed.
 */
void kfree_batch_destroy(struct kfree_batch *kb)
{
	unsigned long stats[KFREE_BATCH_NR_STATS];
	struct dentry *dir;

	/*
	 * While @kb is on the list, kfb_cpu_dead() seals what a CPU that
	 * goes offline leaves open, so that the barrier finds it.
	 */
	kfree_batch_barrier(kb);
	/* Only objects added during the call can be left: they are leaked. */
	kfree_batch_get_stats(kb, stats);
	WARN(stats[KFREE_BATCH_PENDING],
	     "kfree_batch: %s destroyed with %lu objects pending\n", kb->name,
	     stats[KFREE_BATCH_PENDING]);
	kfb_lane_unlease(kb);
	mutex_lock(&kfree_batch_clients_lock);
	list_del_rcu(&kb->node);
	dir = kb->debugfs;
	kb->debugfs = NULL;
	mutex_unlock(&kfree_batch_clients_lock);
	/*
	 * Not under the mutex: this waits for the readers of the client's
	 * files, and a reader of <client>/caches takes the mutex.  They still
	 * find @kb whole.
	 */
	debugfs_remove_recursive(dir);
	/* kfb_cpu_dead() walks the list under rcu_read_lock(). */
	synchronize_rcu();
	kfb_cpus_stop(kb);
	if (!kb->pcpu_static) {
		free_percpu(kb->pcpu);
		kb->pcpu = NULL;
	}
}
EXPORT_SYMBOL_GPL(kfree_batch_destroy);

/**
 * kfree_batch_add - free an object after @kb's grace period
 * @kb: the client.
 * @ptr: the start of an object from kmalloc(), kmem_cache_alloc(), vmalloc()
 *	or kvmalloc(); NULL is ignored.
 *
 * The object is put in a batch of its kmem_cache on this CPU and freed
 * once a grace period of @kb's domain that started after this call has
 * ended.  Without a head, the object needs room in a batch: if the per-CPU
 * reserve is empty and no storage can be had, or if this is an interrupt
 * that came during an add to @kb on this CPU, it is not queued.
 *
 * Context: any context but NMI, with raw spinlocks held too; never sleeps.
 * Return: true if the object was queued (or was NULL, or was refused with
 * a warning as a bad pointer or a double add), false if it could not be
 * queued: the caller still owns it.
 */
bool kfree_batch_add(struct kfree_batch *kb, void *ptr)
{
	return kfb_add(kb, ptr, NULL, false);
}
EXPORT_SYMBOL_GPL(kfree_batch_add);

/**
 * kfree_batch_add_head - free an object with an embedded head after a GP
 * @kb: the client.
 * @head: a struct kfree_batch_head in @ptr's first page, used only when no
 *	room in a batch can be had.
 * @ptr: the start of the object; NULL is ignored.
 *
 * Like kfree_batch_add(), but never fails: without room in a batch the object
 * is linked through @head, and in an interrupt that came during an add to
 * @kb on this CPU it is deferred as from NMI (see kfree_batch_add_nolock()).
 *
 * Context: any context but NMI, with raw spinlocks held too; never sleeps.
 * Return: nothing; the object belongs to @kb from now on.
 */
void kfree_batch_add_head(struct kfree_batch *kb, struct kfree_batch_head *head,
			  void *ptr)
{
	kfb_add(kb, ptr, head, false);
}
EXPORT_SYMBOL_GPL(kfree_batch_add_head);

/**
 * kfree_batch_add_nolock - free an object after a GP, from any context
 * @kb: the client.
 * @head: the object's struct kfree_batch_head, in its first page.
 * @ptr: the start of the object; NULL is ignored.
 *
 * Outside NMI context the object goes into the open batch of its cache on
 * this CPU when that takes a store and no more.  Otherwise (in NMI context,
 * when it interrupted an add to @kb on this CPU, when a batch would have
 * to be opened or sealed, which takes a lock and arms a timer, or on a
 * kernel with KASAN, debug objects or kmemleak, whose checks may allocate)
 * it is put on a lockless per-CPU list and a hard irq_work adds it to a
 * batch.  Work that other adds left to this CPU is left to the irq_work
 * too.
 *
 * Context: any context, NMI included, also code that holds a timer base's
 * lock or this CPU's lock of @kb (a probe, say); never sleeps, takes no
 * lock.
 * Return: nothing; the object belongs to @kb from now on.
 */
void kfree_batch_add_nolock(struct kfree_batch *kb,
			    struct kfree_batch_head *head, void *ptr)
{
	if (!ptr)
		return;
	if (in_nmi() || kfb_checks_first()) {
		/*
		 * The checks made first (KASAN, debug objects, kmemleak) are
		 * the irq_work's.  The caller may be preemptible: this CPU's
		 * list and irq_work, on this CPU.
		 */
		preempt_disable();
		kfb_defer(kb, head);
		preempt_enable();
	} else {
		kfb_add(kb, ptr, head, true);
	}
}
EXPORT_SYMBOL_GPL(kfree_batch_add_nolock);

/**
 * kfree_batch_add_mightsleep - free a headless object after a GP, may sleep
 * @kb: the client.
 * @ptr: the start of the object; NULL is ignored.
 *
 * Like kfree_batch_add(), but when no room in a batch can be had it allocates
 * one, and as a last resort waits for a grace period and frees @ptr itself.
 *
 * Context: process context; may sleep.
 * Return: nothing; the object belongs to @kb from now on.
 */
void kfree_batch_add_mightsleep(struct kfree_batch *kb, void *ptr)
{
	struct kfree_batch_cpu *kc;
	void *page;

	might_sleep();
	if (kfree_batch_add(kb, ptr))
		return;
	if (!(kb->flags & KFREE_BATCH_NO_STORAGE)) {
		page = (void *)__get_free_page(GFP_KERNEL | __GFP_NORETRY |
					       __GFP_NOMEMALLOC | __GFP_NOWARN);
		if (page) {
			kfb_page_taken(kb);
			kc = raw_cpu_ptr(kb->pcpu);
			kfb_free_block_page(kc, page);
			if (kfree_batch_add(kb, ptr))
				return;
		}
	}
	kb->ops->synchronize(kb);
	kvfree(ptr);
}
EXPORT_SYMBOL_GPL(kfree_batch_add_mightsleep);

/**
 * kfree_batch_flush - seal partly filled batches now
 * @kb: the client.
 *
 * Asks every CPU's worker to seal its open batches now instead of when
 * their time bound expires; they are released after their grace period.
 *
 * Context: any context but NMI; never sleeps.
 * Return: nothing.
 */
void kfree_batch_flush(struct kfree_batch *kb)
{
	struct kfree_batch_cpu *kc;
	unsigned long flags;
	int cpu;

	if (!READ_ONCE(kb->live))
		return;
	if (kfb_has_lane(kb)) {
		for_each_online_cpu(cpu) {
			struct kfb_lane *l = per_cpu_ptr(&kfb_lanes[kb->lane], cpu);

			/* data_race(): a hint; the timer seals what it misses. */
			if (data_race(l->nr_open))
				queue_work_on(cpu, kfb_wq, &l->seal_work);
		}
	}
	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		raw_spin_lock_irqsave(&kc->lock, flags);
		if (kfb_has_open(kc, NULL) || kc->sealed || kc->heads_sealed) {
			WRITE_ONCE(kc->flush, 1);
			kcl_arm(kc, 1);
		}
		raw_spin_unlock_irqrestore(&kc->lock, flags);
	}
}
EXPORT_SYMBOL_GPL(kfree_batch_flush);

/**
 * kfree_batch_barrier - wait until every object added so far is freed
 * @kb: the client.
 *
 * Seals every batch of @kb, waits for one grace period of its domain and
 * releases them.  Objects added concurrently with the call may or may not
 * be freed when it returns.
 *
 * Context: process context, not holding cpus_read_lock() (it takes it)
 * nor in a CPU hotplug callback; sleeps for a grace period if anything is
 * pending.
 * Return: nothing; every object added to @kb before the call has been
 * freed.
 */
void kfree_batch_barrier(struct kfree_batch *kb)
{
	might_sleep();
	if (kb->flags & KFREE_BATCH_FREED) {
		kfb_freed_barrier(kb);
		return;
	}
	kfb_drain_all(kb);
	if (kfb_has_lane(kb))
		kfb_lanes_barrier(kb->lane, NULL);
}
EXPORT_SYMBOL_GPL(kfree_batch_barrier);

/**
 * kfree_batch_barrier_cache - wait until one cache's pending objects are freed
 * @s: the kmem_cache.
 *
 * For every client, seals the batches of @s only, waits for a grace period
 * of that client's domain if it had any, and releases them: the cost
 * follows what @s has pending, and with nothing pending it returns without
 * waiting.  Objects of @s on a fallback list are released too.
 *
 * Context: process context, not holding cpus_read_lock() (it takes it)
 * nor in a CPU hotplug callback; may sleep.
 * Return: nothing; every object of @s added before the call has been freed.
 */
void kfree_batch_barrier_cache(struct kmem_cache *s)
{
	struct kfree_batch *kb;
	unsigned int lane;
	bool more = true;
	int round;

	might_sleep();
	/* Two rounds, as in kfb_drain_all(); the clients may change between. */
	for (round = 0; round < 2 && more; round++) {
		/* In this order: kfree_batch_cache_pending() runs under slab_mutex. */
		cpus_read_lock();
		mutex_lock(&kfree_batch_clients_lock);
		list_for_each_entry(kb, &kfree_batch_clients, node)
			kfb_seal_all(kb, s);
		mutex_unlock(&kfree_batch_clients_lock);
		cpus_read_unlock();
		more = false;
		mutex_lock(&kfree_batch_clients_lock);
		list_for_each_entry(kb, &kfree_batch_clients, node)
			more |= kfb_drain_sealed(kb, s);
		mutex_unlock(&kfree_batch_clients_lock);
	}
	for (lane = 0; lane < SLAB_DEFER_LANES; lane++)
		kfb_lanes_barrier(lane, s);
}
EXPORT_SYMBOL_GPL(kfree_batch_barrier_cache);

/**
 * kfree_batch_seal_ms - the time bound of a partly filled batch
 *
 * A batch is sealed at the latest this long after its first object, then
 * released once its grace period has passed: the time an object can wait
 * is this plus one grace period of its client's domain.
 *
 * Context: any context.
 * Return: the kfree_batch.seal_ms parameter, in milliseconds.
 */
unsigned int kfree_batch_seal_ms(void)
{
	return READ_ONCE(seal_ms);
}
EXPORT_SYMBOL_GPL(kfree_batch_seal_ms);

/**
 * kfree_batch_get_stats - read a client's counters
 * @kb: the client.
 * @stats: filled with the counters, indexed by enum kfree_batch_stat_item.
 *
 * The counters are summed over CPUs without stopping them: each is exact
 * once @kb is quiet (after kfree_batch_barrier(), say).
 *
 * Context: any context; takes no lock.
 * Return: nothing; the counters are in @stats.
 */
void kfree_batch_get_stats(struct kfree_batch *kb,
			   unsigned long stats[KFREE_BATCH_NR_STATS])
{
	struct kfree_batch_cpu *kc;
	int cpu, i;

	memset(stats, 0, sizeof(unsigned long) * KFREE_BATCH_NR_STATS);
	for_each_possible_cpu(cpu) {
		kc = per_cpu_ptr(kb->pcpu, cpu);
		for (i = 0; i < KFREE_BATCH_NR_STATS; i++)
			/* data_race(): word-sized counters, one writer each. */
			stats[i] += data_race(kc->stats[i]);
	}
	kfb_lanes_get_stats(kb, stats);
	/* Adds and releases are counted on different CPUs at times. */
	if (stats[KFREE_BATCH_ADDED] > stats[KFREE_BATCH_RELEASED])
		stats[KFREE_BATCH_PENDING] = stats[KFREE_BATCH_ADDED] -
					     stats[KFREE_BATCH_RELEASED];
}
EXPORT_SYMBOL_GPL(kfree_batch_get_stats);

/**
 * kfree_batch_cache_pending - count one cache's objects not yet released
 * @s: the kmem_cache.
 *
 * Counts the objects of @s in open and sealed batches of every client, on
 * every CPU; objects on fallback lists are not counted.  A snapshot: adds
 * and releases go on meanwhile.
 *
 * Context: process context (takes the client list mutex).
 * Return: the number of objects of @s pending in batches.
 */
unsigned long kfree_batch_cache_pending(struct kmem_cache *s)
{
	struct kfb_owner_op op = { .fn = kfb_op_count, .only = s };
	struct kfree_batch_cpu *kc;
	struct kfree_batch *kb;
	unsigned long n = 0;
	unsigned int lane;
	int cpu;

	mutex_lock(&kfree_batch_clients_lock);
	list_for_each_entry(kb, &kfree_batch_clients, node) {
		for_each_possible_cpu(cpu) {
			kc = per_cpu_ptr(kb->pcpu, cpu);
			if (kfb_has_open(kc, s))
				kfb_on_owner(kc, cpu, &op);
			n += kfb_sealed_count(kc, s);
		}
	}
	mutex_unlock(&kfree_batch_clients_lock);
	if (READ_ONCE(kfb_lanes_live))
		for_each_possible_cpu(cpu)
			for (lane = 0; lane < SLAB_DEFER_LANES; lane++)
				n += kfb_lane_count(per_cpu_ptr(&kfb_lanes[lane], cpu),
						    s);
	return n + op.count;
}
EXPORT_SYMBOL_GPL(kfree_batch_cache_pending);

static int __init kfree_batch_setup(void)
{
	struct shrinker *shrinker;
	int ret;

	kfb_worker_wq = alloc_workqueue("kfree_batch", WQ_PERCPU | WQ_MEM_RECLAIM,
					0);
	kfb_wq = alloc_workqueue("kfree_batch_cpu", WQ_PERCPU | WQ_MEM_RECLAIM,
				 0);
	if (WARN_ON(!kfb_worker_wq || !kfb_wq))
		return -ENOMEM;
	kfb_lanes_setup();
	/* A teardown in the prepare section runs once the CPU is dead. */
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN,
					"mm/kfree_batch:prepare",
					kfb_cpu_prepare, kfb_cpu_dead);
	WARN_ON(ret < 0);
	shrinker = shrinker_alloc(0, "kfree_batch");
	if (shrinker) {
		shrinker->count_objects = kfb_count;
		shrinker->scan_objects = kfb_scan;
		shrinker_register(shrinker);
	}
	return 0;
}
core_initcall(kfree_batch_setup);
