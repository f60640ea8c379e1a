// SPDX-License-Identifier: GPL-2.0
/*
 * kfree_srcu(): one kfree_batch client per srcu_struct.
 *
 * An SRCU grace period belongs to one srcu_struct, so the objects of each
 * srcu_struct are batched apart: kfree_srcu() looks up the client of its
 * srcu_struct in an rhashtable keyed by the srcu_struct's address, and
 * adds the object there.  Nothing is added to struct srcu_struct; a
 * client costs its struct kfree_srcu_client and the engine's per-CPU
 * state, with no page kept in advance (%KFREE_BATCH_NO_RESERVE).
 *
 * The first kfree_srcu() on an srcu_struct may come from any context
 * call_srcu() accepts, where a client cannot be allocated.  That call, and
 * those until the client is ready, go to call_srcu() with a callback that
 * frees the object, and the srcu_struct is noted in a small table for a
 * work to set its client up.  If the table is full or memory short, the
 * objects keep going to call_srcu() and a later call tries again.
 *
 * cleanup_srcu_struct() calls kfree_srcu_cleanup(), which waits for the
 * srcu_struct's objects and frees its client.
 *
 * Copyright (C) 2026 The kfree_batch authors.
 */

#include <linux/irq_work.h>
#include <linux/kfree_batch.h>
#include <linux/kfree_srcu.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "slab.h"

struct kfree_srcu_client {
	struct rhash_head node;			/* kfree_srcu_table */
	struct srcu_struct *ssp;
	struct kfree_batch kb;
	struct rcu_head rcu;
	char name[16];				/* srcu.<id> */
};

/* Changed under kfree_srcu_lock, looked up under rcu_read_lock(). */
static struct rhashtable kfree_srcu_table;
static const struct rhashtable_params kfree_srcu_params = {
	.key_len = sizeof(struct srcu_struct *),
	.key_offset = offsetof(struct kfree_srcu_client, ssp),
	.head_offset = offsetof(struct kfree_srcu_client, node),
	.automatic_shrinking = true,
};

static DEFINE_MUTEX(kfree_srcu_lock);
static unsigned int kfree_srcu_ids;		/* kfree_srcu_lock */

/* srcu_structs met without a client, for the setup work: cmpxchg(). */
#define KFREE_SRCU_WANTED	8
static struct srcu_struct *kfree_srcu_wanted[KFREE_SRCU_WANTED];
/* Set once kfree_srcu() is used at all. */
static bool kfree_srcu_used;
/* Set once kfree_batch can take clients and the table is set up. */
static bool kfree_srcu_ready;
/*
 * Set once an srcu_struct went to call_srcu() and got no client (table
 * full, memory short): from then on cleanup runs srcu_barrier() for every
 * srcu_struct, as it cannot tell which ones did.
 */
static bool kfree_srcu_strays;

static void kfree_srcu_setup_work_fn(struct work_struct *work);
static DECLARE_WORK(kfree_srcu_setup_work, kfree_srcu_setup_work_fn);

static void kfree_srcu_kick(struct irq_work *work)
{
	queue_work(system_dfl_wq, &kfree_srcu_setup_work);
}

/* call_srcu()'s callers may hold raw locks: the work is queued later. */
static DEFINE_IRQ_WORK(kfree_srcu_irq_work, kfree_srcu_kick);

/*
 * The client of @ssp, if it has one.  It lives until cleanup_srcu_struct()
 * of @ssp, which may not run meanwhile (as for call_srcu()).
 */
static struct kfree_srcu_client *kfree_srcu_find(struct srcu_struct *ssp)
{
	/* Pairs with the smp_store_release() in kfree_srcu_init(). */
	if (!smp_load_acquire(&kfree_srcu_ready))
		return NULL;
	return rhashtable_lookup_fast(&kfree_srcu_table, &ssp,
				      kfree_srcu_params);
}

/*
 * The client of @ssp, set up now if it has none.  NULL if memory is short,
 * or early in boot, before kfree_batch takes clients.
 */
static struct kfree_batch *kfree_srcu_setup(struct srcu_struct *ssp)
{
	struct kfree_srcu_client *c;

	if (!READ_ONCE(kfree_srcu_ready))
		return NULL;
	mutex_lock(&kfree_srcu_lock);
	WRITE_ONCE(kfree_srcu_used, true);
	c = kfree_srcu_find(ssp);
	if (c)
		goto out;
	c = kzalloc_obj(*c);
	if (!c)
		goto out;
	c->ssp = ssp;
	snprintf(c->name, sizeof(c->name), "srcu.%u", kfree_srcu_ids++);
	c->kb.name = c->name;
	c->kb.ops = &kfree_batch_srcu_ops;
	c->kb.ssp = ssp;
	c->kb.flags = KFREE_BATCH_NO_RESERVE;
	if (kfree_batch_init(&c->kb)) {
		kfree(c);
		c = NULL;
		goto out;
	}
	if (rhashtable_insert_fast(&kfree_srcu_table, &c->node,
				   kfree_srcu_params)) {
		kfree_batch_destroy(&c->kb);
		kfree(c);
		c = NULL;
	}
out:
	if (!c)
		WRITE_ONCE(kfree_srcu_strays, true);
	mutex_unlock(&kfree_srcu_lock);
	return c ? &c->kb : NULL;
}

static void kfree_srcu_setup_work_fn(struct work_struct *work)
{
	struct srcu_struct *ssp;
	unsigned int i;

	/* Early in boot: kfree_srcu_init() queues this work again. */
	if (!READ_ONCE(kfree_srcu_ready))
		return;
	for (i = 0; i < KFREE_SRCU_WANTED; i++) {
		ssp = READ_ONCE(kfree_srcu_wanted[i]);
		if (!ssp)
			continue;
		kfree_srcu_setup(ssp);
		/* Cleared once set up: calls meanwhile see it wanted. */
		cmpxchg(&kfree_srcu_wanted[i], ssp, NULL);
	}
}

/* Note @ssp for the setup work; any context call_srcu() accepts. */
static void kfree_srcu_want(struct srcu_struct *ssp)
{
	unsigned int i;

	if (!READ_ONCE(kfree_srcu_used))
		WRITE_ONCE(kfree_srcu_used, true);
	for (i = 0; i < KFREE_SRCU_WANTED; i++)
		if (READ_ONCE(kfree_srcu_wanted[i]) == ssp)
			return;
	for (i = 0; i < KFREE_SRCU_WANTED; i++) {
		if (!cmpxchg(&kfree_srcu_wanted[i], NULL, ssp)) {
			irq_work_queue(&kfree_srcu_irq_work);
			return;
		}
	}
	WRITE_ONCE(kfree_srcu_strays, true);
}

/**
 * kvfree_call_srcu - kfree_srcu() and kfree_srcu_mightsleep()
 * @ssp: the srcu_struct.
 * @head: the object's struct rcu_head; NULL for kfree_srcu_mightsleep().
 * @ptr: the start of the object; NULL is ignored.
 *
 * Context: with @head, wherever call_srcu() may be called; without, a
 * context that may sleep.
 * Return: nothing; the object belongs to kfree_srcu from now on.
 */
void kvfree_call_srcu(struct srcu_struct *ssp, struct rcu_head *head,
		      void *ptr)
{
	struct kfree_srcu_client *c;
	struct kfree_batch *kb;

	if (!ptr)
		return;
	if (!head) {
		might_sleep();
		c = kfree_srcu_find(ssp);
		kb = c ? &c->kb : kfree_srcu_setup(ssp);
		if (kb) {
			kfree_batch_add_mightsleep(kb, ptr);
		} else {
			synchronize_srcu(ssp);
			kvfree(ptr);
		}
		return;
	}
	c = kfree_srcu_find(ssp);
	if (c) {
		/* The head's first word is its link: see kfree_batch_head. */
		kfree_batch_add_head(&c->kb, (struct kfree_batch_head *)head,
				     ptr);
		return;
	}
	call_srcu(ssp, head, kvfree_rcu_cb);
	kfree_srcu_want(ssp);
}
EXPORT_SYMBOL_GPL(kvfree_call_srcu);

static_assert(offsetof(struct rcu_head, next) ==
	      offsetof(struct kfree_batch_head, next));

/* Let a setup asked for before now finish. */
static void kfree_srcu_setup_sync(void)
{
	irq_work_sync(&kfree_srcu_irq_work);
	flush_work(&kfree_srcu_setup_work);
}

/**
 * kfree_srcu_barrier - wait for the objects kfree_srcu()'d on an srcu_struct
 * @ssp: the srcu_struct.
 *
 * Context: process context; sleeps for a grace period of @ssp if objects
 * are pending.
 * Return: nothing; every object given to kfree_srcu() or
 * kfree_srcu_mightsleep() on @ssp before the call has been freed.
 */
void kfree_srcu_barrier(struct srcu_struct *ssp)
{
	struct kfree_srcu_client *c;

	might_sleep();
	if (!READ_ONCE(kfree_srcu_used))
		return;
	kfree_srcu_setup_sync();
	c = kfree_srcu_find(ssp);
	/* Objects that went to call_srcu() before the client was set up. */
	if (c || READ_ONCE(kfree_srcu_strays))
		srcu_barrier(ssp);
	if (c)
		kfree_batch_barrier(&c->kb);
}
EXPORT_SYMBOL_GPL(kfree_srcu_barrier);

/**
 * kfree_srcu_cleanup - free an srcu_struct's objects and its client
 * @ssp: the srcu_struct, being cleaned up.
 *
 * Called by cleanup_srcu_struct(), before it checks that no grace period
 * or callback is pending.
 *
 * Context: process context; sleeps for a grace period of @ssp if objects
 * are pending.
 * Return: nothing; every object given to kfree_srcu() on @ssp has been
 * freed and its client is gone.
 */
void kfree_srcu_cleanup(struct srcu_struct *ssp)
{
	struct kfree_srcu_client *c;
	unsigned int i;

	if (!READ_ONCE(kfree_srcu_used))
		return;
	kfree_srcu_setup_sync();
	/* A request left after the work ran: nothing can be set up now. */
	for (i = 0; i < KFREE_SRCU_WANTED; i++)
		cmpxchg(&kfree_srcu_wanted[i], ssp, NULL);
	mutex_lock(&kfree_srcu_lock);
	c = kfree_srcu_find(ssp);
	if (c)
		rhashtable_remove_fast(&kfree_srcu_table, &c->node,
				       kfree_srcu_params);
	mutex_unlock(&kfree_srcu_lock);
	if (c)
		kfree_batch_destroy(&c->kb);
	/* What went to call_srcu() before the client was set up, or without. */
	if (c || READ_ONCE(kfree_srcu_strays))
		srcu_barrier(ssp);
	/* Lookups of other srcu_structs may still walk through @c. */
	if (c)
		kfree_rcu(c, rcu);
}

/**
 * kfree_srcu_batch - the kfree_batch client of an srcu_struct, for KUnit
 * @ssp: the srcu_struct.
 *
 * Context: process context.
 * Return: the client, or NULL if kfree_srcu() has not set one up.
 */
VISIBLE_IF_KUNIT struct kfree_batch *kfree_srcu_batch(struct srcu_struct *ssp)
{
	struct kfree_srcu_client *c;

	kfree_srcu_setup_sync();
	c = kfree_srcu_find(ssp);
	return c ? &c->kb : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(kfree_srcu_batch);

static int __init kfree_srcu_init(void)
{
	if (rhashtable_init(&kfree_srcu_table, &kfree_srcu_params))
		return -ENOMEM;
	/* The table is set up before a lookup uses it. */
	smp_store_release(&kfree_srcu_ready, true);
	/* Set up what kfree_srcu() met before. */
	if (READ_ONCE(kfree_srcu_used))
		queue_work(system_dfl_wq, &kfree_srcu_setup_work);
	return 0;
}

/* After kfree_batch's core_initcall. */
postcore_initcall(kfree_srcu_init);
