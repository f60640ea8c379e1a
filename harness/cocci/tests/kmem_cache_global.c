// SPDX-License-Identifier: GPL-2.0
/* Positive: kmem_cache_free() with a global cache; the cache is dropped. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

static struct kmem_cache *flow_cachep __read_mostly;

struct flow_rec {
	__be32 saddr, daddr;
	struct rcu_head rcu;
};

static void flow_rec_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(flow_cachep, container_of(head, struct flow_rec, rcu));
}

void flow_rec_release(struct flow_rec *fr)
{
	call_rcu(&fr->rcu, flow_rec_free_rcu);
}

void flow_exit(void)
{
	rcu_barrier();
	kmem_cache_destroy(flow_cachep);
}
