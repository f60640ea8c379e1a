// SPDX-License-Identifier: GPL-2.0
/* Negative: the cache argument is a function call; not dropped. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct sock_ext {
	int family;
	struct rcu_head rcu;
};

struct kmem_cache *sock_ext_cache(int family);

static void sock_ext_free_rcu(struct rcu_head *head)
{
	struct sock_ext *se = container_of(head, struct sock_ext, rcu);

	kmem_cache_free(sock_ext_cache(se->family), se);
}

void sock_ext_put(struct sock_ext *se)
{
	call_rcu(&se->rcu, sock_ext_free_rcu);
}
