/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfree_batch: what mm's own clients and the KUnit suite see beyond
 * <linux/kfree_batch.h>, the per-CPU state of a client, so that
 * kfree_rcu()'s and kfree_nolock()'s clients can be defined statically
 * and accept objects from early boot on.  A client elsewhere lives in a
 * struct kfree_batch that kfree_batch_init() gives per-CPU state.
 *
 * Copyright (C) 2026 The kfree_batch authors.
 */
#ifndef _MM_KFREE_BATCH_H
#define _MM_KFREE_BATCH_H

#include <linux/irq_work.h>
#include <linux/kfree_batch.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

struct kfree_batch_block;

/*
 * A block of pointers names the first caches of its slab objects, for a
 * per-cache barrier to find them; it holds objects of any number.
 */
#define KFREE_BATCH_BLOCK_CACHES	4

/**
 * struct kfree_batch_cpu - the per-CPU state of a client
 *
 * Private to mm/kfree_batch.c; here so that DEFINE_KFREE_BATCH() can
 * define it statically.
 */
struct kfree_batch_cpu {
	/* private: */
	/*
	 * Owned by this CPU: only code running on it touches these, with
	 * @adding set (adds, the irq_work, and works bound to this CPU),
	 * or another CPU once this one is dead.  No lock.
	 */
	bool adding;
	struct kfree_batch_block *open;
	/* The open block's caches, for other CPUs to glance at. */
	struct kmem_cache *open_s[KFREE_BATCH_BLOCK_CACHES];
	unsigned long open_more;		/* its @more */
	struct kfree_batch_head *heads;		/* fallback, not sealed yet */
	/*
	 * Each slot has one writer at a time: the owner (ADDED, PEAK, ...),
	 * @drain_lock's holder (RELEASED, BULK_FREES), or @lock's holder
	 * (SEALED, GP_WAITS, and RELEASED and BULK_FREES of a FREED
	 * client).  PENDING is computed, not kept.
	 */
	unsigned long stats[KFREE_BATCH_NR_STATS];
	unsigned int flush;			/* set by anyone, xchg() */

	/* Shared with other CPUs: under @lock, taken with interrupts off. */
	raw_spinlock_t lock;
	struct kfree_batch_block *sealed;	/* FIFO in seal order */
	struct kfree_batch_block *sealed_tail;
	struct kfree_batch_block *reserve;	/* empty blocks */
	unsigned int nr_reserve;
	unsigned int reserve_target;
	bool short_of_blocks;
	struct kfree_batch_head *heads_sealed;
	union kfree_batch_cookie heads_cookie;
	unsigned long armed_until;
	unsigned long due;			/* the oldest open batch's */
	bool armed;
	bool due_set;
	bool gp_pending;
	bool offline;				/* keeps no reserve */

	/* NMI adds and adds on top of adds, handed to an irq_work. */
	struct llist_head deferred;
	struct irq_work deferred_work;

	/* Serialises releases, so that a barrier can wait for them. */
	struct mutex drain_lock;
	struct timer_list timer;		/* queues @work: kcl_arm() */
	struct work_struct work;		/* the worker */
	struct rcu_head gp_head;
	struct kfree_batch *kb;
	int cpu;
};

void __kfree_batch_irq_work(struct irq_work *work);
void __kfree_batch_freed_irq_work(struct irq_work *work);

/*
 * Points where the KUnit suite can hold an add, a close or a barrier on
 * one CPU, so that an interleaving of two CPUs happens on every run: the
 * suite sets kfree_batch_test_hook, which is called at each of them.
 */
enum kfree_batch_test_point {
	KFREE_BATCH_TP_OWNED,	/* an add owns its CPU's open batches */
	KFREE_BATCH_TP_CLOSE,	/* a batch is leaving the open ones */
	KFREE_BATCH_TP_GLANCE,	/* a barrier has read a CPU's @adding */
};

typedef void (*kfree_batch_test_hook_t)(enum kfree_batch_test_point point,
					struct kfree_batch_cpu *kc);
#if IS_ENABLED(CONFIG_KFREE_BATCH_KUNIT_TEST)
extern kfree_batch_test_hook_t kfree_batch_test_hook;
#endif

/* The per-CPU state and the client, for the two macros below. */
#define __DEFINE_KFREE_BATCH(_name, _ops, _ssp, _flags, _irq_work)	\
	static DEFINE_PER_CPU(struct kfree_batch_cpu, _name##_pcpu) = {	\
		.lock = __RAW_SPIN_LOCK_UNLOCKED(_name##_pcpu.lock),	\
		.deferred_work = _irq_work,				\
	};								\
	struct kfree_batch _name = {					\
		.name = #_name,						\
		.ops = (_ops),						\
		.ssp = (_ssp),						\
		.flags = (_flags),					\
		.pcpu = &_name##_pcpu,					\
		.pcpu_static = true,					\
	}

/**
 * DEFINE_KFREE_BATCH - define a client with static per-CPU state
 * @_name: the variable's name, also the client's name.
 * @_ops: its grace-period domain (&kfree_batch_rcu_ops, ...).
 * @_ssp: its srcu_struct for the SRCU domain, else NULL.
 *
 * The client accepts objects at once, even before kfree_batch_init() is
 * called on it (early in boot, say); they are released once it is.  The
 * variable has external linkage: do not prefix the macro with static.
 */
#define DEFINE_KFREE_BATCH(_name, _ops, _ssp)				\
	__DEFINE_KFREE_BATCH(_name, _ops, _ssp, 0,			\
			     IRQ_WORK_INIT_HARD(__kfree_batch_irq_work))

/**
 * DEFINE_KFREE_BATCH_FREED - define a client for freed slab objects
 * @_name: the variable's name, also the client's name.
 *
 * A %KFREE_BATCH_FREED client in the none domain, with no reserve.  Its
 * irq_work is not a hard one: on PREEMPT_RT it frees in the irq_work
 * thread, where the slab locks may be taken.
 */
#define DEFINE_KFREE_BATCH_FREED(_name)					\
	__DEFINE_KFREE_BATCH(_name, &kfree_batch_none_ops, NULL,	\
			     KFREE_BATCH_FREED | KFREE_BATCH_NO_RESERVE, \
			     IRQ_WORK_INIT(__kfree_batch_freed_irq_work))

#endif /* _MM_KFREE_BATCH_H */
