// SPDX-License-Identifier: GPL-2.0
/* Positive: the object goes through one initialized local variable. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct bar_node {
	struct hlist_node hnode;
	unsigned long flags;
	struct rcu_head rcu_head;
};

static void bar_node_reclaim(struct rcu_head *rp)
{
	struct bar_node *node = container_of(rp, struct bar_node, rcu_head);

	kfree(node);
}

int bar_node_remove(struct bar_node *node)
{
	if (!node)
		return -ENOENT;
	hlist_del_rcu(&node->hnode);
	call_rcu(&node->rcu_head, bar_node_reclaim);
	return 0;
}
