// SPDX-License-Identifier: GPL-2.0
/* Positive: the cache is reached through the object being freed. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct pool_owner {
	struct kmem_cache *cache;
	const char *name;
};

struct pool_obj {
	struct pool_owner *owner;
	void *payload;
	struct rcu_head rcu;
};

static void pool_obj_rcu_free(struct rcu_head *head)
{
	struct pool_obj *obj = container_of(head, struct pool_obj, rcu);

	kmem_cache_free(obj->owner->cache, obj);
}

void pool_obj_put(struct pool_obj *obj)
{
	call_rcu(&obj->rcu, pool_obj_rcu_free);
}
