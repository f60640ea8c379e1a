/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfree_batch: free objects later, in batches, after a grace period.
 *
 * kfree_batch is a deferred-free engine.  A client adds objects that may
 * not be freed yet (readers may still hold them, or the caller's context
 * may not free); the engine groups them per CPU into batches, waits once
 * per batch for the client's grace-period domain (RCU, SRCU or none), and
 * releases each batch per kmem_cache.  A client with %KFREE_BATCH_SHEAVES
 * puts slab objects in SLUB's per-CPU deferred sheaf of their cache, which
 * goes whole to the cache's barn after the grace period; other objects go
 * to a per-CPU page of pointers, whose release makes one
 * kmem_cache_free_bulk_reuse() per cache and frees objects from the page
 * allocator (kmalloc above KMALLOC_MAX_CACHE_SIZE) with kfree_bulk() and
 * from vmalloc with vfree(), in process context.
 *
 * Use it where a free waits for a grace period or for a context that may
 * free, and where an rcu_head per object and a callback per object would
 * otherwise be used only to free.
 *
 * Limitations: an object must be freeable with kvfree() (from slab, large
 * kmalloc or vmalloc) and must be added at its start address; objects are
 * released in process context, on a WQ_MEM_RECLAIM workqueue or in a
 * barrier's caller (those of a %KFREE_BATCH_FREED client by the CPU's
 * irq_work), never in the context of an add; a headless object added
 * when the per-CPU reserve is dry and no page can be had without sleeping is
 * refused (kfree_batch_add() returns false and the caller keeps it), never
 * freed early (see Documentation/mm/kfree_batch.rst).
 *
 * Copyright (C) 2026 The kfree_batch authors.
 */
#ifndef _LINUX_KFREE_BATCH_H
#define _LINUX_KFREE_BATCH_H

#include <linux/rcupdate.h>
#include <linux/types.h>

struct dentry;
struct kfree_batch;
struct kfree_batch_cpu;
struct kmem_cache;
struct srcu_struct;

/**
 * union kfree_batch_cookie - a grace-period state, as a domain snapshots it
 * @rcu: the RCU domain's full polled state.
 * @seq: the SRCU domain's polled state.
 */
union kfree_batch_cookie {
	struct rcu_gp_seq rcu;
	unsigned long seq;
};

/**
 * struct kfree_batch_gp_ops - a grace-period domain
 * @name: short name, shown in debugfs.
 * @snapshot: store in @c the state that, once it has passed, means that
 *	every reader that could see an object added so far has finished.
 *	Called on the CPU whose batch is sealed (on another once that CPU
 *	is dead), with preemption disabled, in any context but NMI (hard
 *	interrupts included): it must not start a grace period or wake
 *	anything.
 * @poll: return true if the grace period of @c has passed.  Any context
 *	but NMI.
 * @call: invoke @func(@head) once a grace period that starts after the call
 *	has ended; called from process context.  NULL for a domain whose
 *	cookies have always passed.
 * @synchronize: wait for a full grace period.  May sleep.
 * @synchronize_expedited: optional; the same, faster, for a caller that
 *	waits on it: kfree_batch_barrier_cache(), from kmem_cache_destroy(),
 *	when the kfree_batch.expedite_destroy parameter is set.  NULL:
 *	@synchronize.  May sleep.
 * @cb_barrier: wait until every @func given to @call has run.  May sleep.
 * @expedite: optional; hurry the grace periods that cookies taken so far
 *	wait for, without blocking.  Called from process context when a CPU's
 *	backlog passes the kfree_batch.backlog parameter (0, never, by
 *	default).
 */
struct kfree_batch_gp_ops {
	const char *name;
	void (*snapshot)(struct kfree_batch *kb, union kfree_batch_cookie *c);
	bool (*poll)(struct kfree_batch *kb, union kfree_batch_cookie *c);
	void (*call)(struct kfree_batch *kb, struct rcu_head *head,
		     rcu_callback_t func);
	void (*synchronize)(struct kfree_batch *kb);
	void (*synchronize_expedited)(struct kfree_batch *kb);
	void (*cb_barrier)(struct kfree_batch *kb);
	void (*expedite)(struct kfree_batch *kb);
};

/* RCU: the *_full polled API, call_rcu(), synchronize_rcu(), rcu_barrier(). */
extern const struct kfree_batch_gp_ops kfree_batch_rcu_ops;
/* SRCU, bound to the client's srcu_struct (kfree_batch.ssp). */
extern const struct kfree_batch_gp_ops kfree_batch_srcu_ops;
/* No grace period: objects are only deferred to a context that may free. */
extern const struct kfree_batch_gp_ops kfree_batch_none_ops;

/**
 * struct kfree_batch_head - an object's fallback link
 * @next: the next object on a CPU's fallback list.
 *
 * Embedded in objects added with kfree_batch_add_head() or
 * kfree_batch_add_nolock(), and used only when no room in a batch can be had,
 * or to defer an add made in NMI context.  It is as small as 7.3's
 * struct kvfree_rcu_head and must lie in the object's first page.
 */
struct kfree_batch_head {
	struct kfree_batch_head *next;
};

/**
 * enum kfree_batch_stat_item - the counters of a client
 * @KFREE_BATCH_ADDED: objects added.
 * @KFREE_BATCH_RELEASED: objects released to their allocator.
 * @KFREE_BATCH_SEALED: batches sealed with a grace-period cookie.
 * @KFREE_BATCH_GP_WAITS: grace-period callbacks queued (domain @call).
 * @KFREE_BATCH_BULK_FREES: bulk release calls (objects per call is
 *	@KFREE_BATCH_RELEASED divided by this).
 * @KFREE_BATCH_FALLBACKS: objects linked through their head because no
 *	room in a batch could be had.
 * @KFREE_BATCH_LEAKED: objects refused with a warning and never freed: a
 *	pointer no allocator owns, or a double add.
 * @KFREE_BATCH_EXPEDITED: grace periods expedited because a CPU's backlog
 *	passed kfree_batch.backlog objects.
 * @KFREE_BATCH_PENDING: objects added but not yet released.
 * @KFREE_BATCH_PEAK: the highest pending count seen (sum of the per-CPU
 *	peaks: an upper bound).
 * @KFREE_BATCH_PAGES: pages the client holds for its batches: open,
 *	sealed, being released and in the reserve.
 * @KFREE_BATCH_PAGES_ALLOCATED: pages taken from the page allocator for
 *	batches, in all.
 * @KFREE_BATCH_NR_STATS: the number of counters.
 */
enum kfree_batch_stat_item {
	KFREE_BATCH_ADDED,
	KFREE_BATCH_RELEASED,
	KFREE_BATCH_SEALED,
	KFREE_BATCH_GP_WAITS,
	KFREE_BATCH_BULK_FREES,
	KFREE_BATCH_FALLBACKS,
	KFREE_BATCH_LEAKED,
	KFREE_BATCH_EXPEDITED,
	KFREE_BATCH_PENDING,
	KFREE_BATCH_PEAK,
	KFREE_BATCH_PAGES,
	KFREE_BATCH_PAGES_ALLOCATED,
	KFREE_BATCH_NR_STATS,
};

/**
 * struct kfree_batch - a client of the engine
 * @name: the client's name, used in debugfs (kfree_batch/<name>/).
 * @ops: the client's grace-period domain.
 * @ssp: the srcu_struct of the SRCU domain; NULL otherwise.
 * @flags: %KFREE_BATCH_SHEAVES, %KFREE_BATCH_NO_RESERVE,
 *	%KFREE_BATCH_FREED (below);
 *	%KFREE_BATCH_NO_STORAGE makes every add take the fallback path, as
 *	when memory is short (a test hook).
 * @reserve: the fewest empty batch pages each CPU keeps for this client;
 *	0 (the default) for the kfree_batch.reserve_pages parameter.  Set it
 *	before kfree_batch_init(), which fills the reserves.
 */
struct kfree_batch {
	const char *name;
	const struct kfree_batch_gp_ops *ops;
	struct srcu_struct *ssp;
	unsigned long flags;
	unsigned int reserve;
	/* private: */
	struct kfree_batch_cpu __percpu *pcpu;
	bool pcpu_static;
	bool live;
	bool has_lane;				/* @lane leased: acquire */
	unsigned int lane;
	unsigned long last_expedite;		/* jiffies, cmpxchg() */
	struct list_head node;
	struct dentry *debugfs;
};

#define KFREE_BATCH_NO_STORAGE	BIT(0)
/*
 * Slab objects go to SLUB's per-CPU deferred sheaves of their cache, in a
 * lane that kfree_batch_init() leases to the client (SLAB_DEFER_LANES in
 * all; the domain must have @call).  Without a lane, pointer pages.
 */
#define KFREE_BATCH_SHEAVES	BIT(1)
/*
 * Keep no empty pages in advance: a CPU's reserve grows only while its
 * adds run dry, and shrinks back to none.  For a client that may be idle
 * on most CPUs (one per srcu_struct, say), at the cost of a page
 * allocation when a batch opens.
 */
#define KFREE_BATCH_NO_RESERVE	BIT(2)
/*
 * The client's objects are slab objects whose free hooks have run
 * (kfree_nolock(), which may not free them where it is called): in the
 * none domain, they are linked through their free pointer and released
 * in bulk, per cache, by the next irq_work of the CPU, with no hook
 * again.  Define such a client with DEFINE_KFREE_BATCH_FREED() and add
 * with kfree_batch_add_freed().
 */
#define KFREE_BATCH_FREED	BIT(3)

int kfree_batch_init(struct kfree_batch *kb);
void kfree_batch_destroy(struct kfree_batch *kb);

bool kfree_batch_add(struct kfree_batch *kb, void *ptr);
void kfree_batch_add_head(struct kfree_batch *kb, struct kfree_batch_head *head,
			  void *ptr);
void kfree_batch_add_nolock(struct kfree_batch *kb,
			    struct kfree_batch_head *head, void *ptr);
void kfree_batch_add_mightsleep(struct kfree_batch *kb, void *ptr);
void kfree_batch_add_freed(struct kfree_batch *kb, struct kmem_cache *s,
			   void *x);

void kfree_batch_flush(struct kfree_batch *kb);
void kfree_batch_barrier(struct kfree_batch *kb);
void kfree_batch_barrier_cache(struct kmem_cache *s);

unsigned int kfree_batch_seal_ms(void);
void kfree_batch_get_stats(struct kfree_batch *kb,
			   unsigned long stats[KFREE_BATCH_NR_STATS]);
unsigned long kfree_batch_cache_pending(struct kmem_cache *s);

#endif /* _LINUX_KFREE_BATCH_H */
