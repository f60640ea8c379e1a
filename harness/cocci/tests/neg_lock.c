// SPDX-License-Identifier: GPL-2.0
/* Negative: the callback takes a lock. */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/rcupdate.h>

static DEFINE_SPINLOCK(gc_lock);

struct gc_item {
	struct list_head gc_list;
	struct rcu_head rcu;
};

static void gc_item_free_rcu(struct rcu_head *head)
{
	struct gc_item *it = container_of(head, struct gc_item, rcu);

	spin_lock(&gc_lock);
	list_del(&it->gc_list);
	spin_unlock(&gc_lock);
	kfree(it);
}

void gc_item_retire(struct gc_item *it)
{
	call_rcu(&it->rcu, gc_item_free_rcu);
}
