// SPDX-License-Identifier: GPL-2.0
/* Negative: call_rcu_hurry() and call_rcu_tasks() keep their callback. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct tramp {
	void *text;
	struct rcu_head rcu;
};

static void tramp_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct tramp, rcu));
}

void tramp_release(struct tramp *t, bool urgent)
{
	if (urgent)
		call_rcu_hurry(&t->rcu, tramp_free_rcu);
	else
		call_rcu_tasks(&t->rcu, tramp_free_rcu);
}
