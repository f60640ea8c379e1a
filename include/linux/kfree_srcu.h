/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfree_srcu(): free an object after an SRCU grace period, in batches.
 *
 * The SRCU counterpart of kfree_rcu(), for any srcu_struct: the object is
 * freed once every reader of that srcu_struct that may see it has left,
 * without a callback per object.  Each srcu_struct that kfree_srcu() is
 * used on becomes a kfree_batch client of its own, set up on first use
 * (see Documentation/mm/kfree_batch.rst).
 *
 * Copyright (C) 2026 The kfree_batch authors.
 */
#ifndef _LINUX_KFREE_SRCU_H
#define _LINUX_KFREE_SRCU_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

struct srcu_struct;

void kvfree_call_srcu(struct srcu_struct *ssp, struct rcu_head *head,
		      void *ptr);
void kfree_srcu_barrier(struct srcu_struct *ssp);
void kfree_srcu_cleanup(struct srcu_struct *ssp);
#if IS_ENABLED(CONFIG_KUNIT)
struct kfree_batch *kfree_srcu_batch(struct srcu_struct *ssp);
#endif

/**
 * kfree_srcu - free an object after an SRCU grace period
 * @ssp: the srcu_struct whose readers may still see the object.
 * @ptr: the object, from kmalloc(), kmem_cache_alloc() or kvmalloc();
 *	NULL is ignored.
 * @rhf: the name of the struct rcu_head within the type of @ptr, in its
 *	first 4096 bytes.
 *
 * Like call_srcu() with a callback that only frees the object, but the
 * objects are grouped per CPU and per kmem_cache and wait for one grace
 * period per batch.  kfree_srcu_barrier() waits for the objects;
 * cleanup_srcu_struct() does too.
 *
 * Context: wherever call_srcu() may be called.
 * Return: nothing; the object belongs to kfree_srcu from now on.
 */
#define kfree_srcu(ssp, ptr, rhf)					\
do {									\
	typeof(ptr) ___p = (ptr);					\
	const size_t ___off = offsetof(typeof(*___p), rhf);		\
									\
	BUILD_BUG_ON(___off >= 4096);					\
	if (___p)							\
		kvfree_call_srcu(ssp, (void *)___p + ___off, (void *)___p); \
} while (0)

/**
 * kfree_srcu_mightsleep - free an object without a head after an SRCU GP
 * @ssp: the srcu_struct whose readers may still see the object.
 * @ptr: the object, as for kfree_srcu(); NULL is ignored.
 *
 * For objects without a struct rcu_head: when no room in a batch can be
 * had, it waits for a grace period with synchronize_srcu() and frees the
 * object itself.
 *
 * Context: process context; may sleep.
 * Return: nothing; the object belongs to kfree_srcu from now on.
 */
#define kfree_srcu_mightsleep(ssp, ptr) kvfree_call_srcu(ssp, NULL, ptr)

#ifdef CONFIG_TASKS_TRACE_RCU
#include <linux/rcupdate_trace.h>

/**
 * kfree_rcu_tasks_trace - free an object after a tasks-trace RCU GP
 * @ptr: the object, as for kfree_srcu(); NULL is ignored.
 * @rhf: the name of its struct rcu_head, as for kfree_srcu().
 *
 * call_rcu_tasks_trace() with a callback that only frees the object, in
 * batches: kfree_srcu() on rcu_tasks_trace_srcu_struct.  Wait for the
 * objects with kfree_rcu_tasks_trace_barrier().
 *
 * Context: wherever call_rcu_tasks_trace() may be called.
 * Return: nothing.
 */
#define kfree_rcu_tasks_trace(ptr, rhf)					\
	kfree_srcu(&rcu_tasks_trace_srcu_struct, ptr, rhf)

/**
 * kfree_rcu_tasks_trace_barrier - wait for kfree_rcu_tasks_trace()'d objects
 *
 * kfree_srcu_barrier() on rcu_tasks_trace_srcu_struct.
 *
 * Context: process context; may sleep.
 * Return: nothing; every object kfree_rcu_tasks_trace()'d before the call
 * has been freed.
 */
#define kfree_rcu_tasks_trace_barrier()					\
	kfree_srcu_barrier(&rcu_tasks_trace_srcu_struct)
#endif /* CONFIG_TASKS_TRACE_RCU */

#endif /* _LINUX_KFREE_SRCU_H */
