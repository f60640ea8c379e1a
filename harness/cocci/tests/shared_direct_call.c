// SPDX-License-Identifier: GPL-2.0
/* Callback also called directly: the call_rcu() is converted, callback kept. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct mc_list {
	struct mc_list __rcu *next;
	__be32 addr;
	struct rcu_head rcu;
};

static void mc_list_reclaim(struct rcu_head *head)
{
	kfree(container_of(head, struct mc_list, rcu));
}

void mc_list_del(struct mc_list *ml, bool published)
{
	if (!published) {
		mc_list_reclaim(&ml->rcu);
		return;
	}
	call_rcu(&ml->rcu, mc_list_reclaim);
}
