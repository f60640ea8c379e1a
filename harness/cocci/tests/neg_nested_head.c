// SPDX-License-Identifier: GPL-2.0
/* Negative: the rcu_head sits in a sub-struct (a.b), not a direct member. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct rt_common {
	u32 flags;
	struct rcu_head rcu;
};

struct rt_entry {
	int prio;
	struct rt_common common;
};

static void rt_entry_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct rt_entry, common.rcu));
}

void rt_entry_release(struct rt_entry *rt)
{
	call_rcu(&rt->common.rcu, rt_entry_free_rcu);
}
