// SPDX-License-Identifier: GPL-2.0
/* Positive: container_of(head, typeof(*p), field). */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct route_cache {
	unsigned int gen;
	struct rcu_head rcu;
};

static void route_cache_free_rcu(struct rcu_head *head)
{
	struct route_cache *rc = container_of(head, typeof(*rc), rcu);

	kfree(rc);
}

void route_cache_swap(struct route_cache __rcu **pp, struct route_cache *new)
{
	struct route_cache *old = rcu_dereference_protected(*pp, 1);

	rcu_assign_pointer(*pp, new);
	call_rcu(&old->rcu, route_cache_free_rcu);
}
