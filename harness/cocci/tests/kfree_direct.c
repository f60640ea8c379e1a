// SPDX-License-Identifier: GPL-2.0
/* Positive: static callback that only kfree()s container_of(). */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct foo_entry {
	struct list_head list;
	u32 key;
	struct rcu_head rcu;
};

static void foo_entry_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct foo_entry, rcu));
}

void foo_entry_del(struct foo_entry *e)
{
	list_del_rcu(&e->list);
	call_rcu(&e->rcu, foo_entry_free_rcu);
}
