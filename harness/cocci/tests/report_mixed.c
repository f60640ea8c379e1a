// SPDX-License-Identifier: GPL-2.0
/* Report mode: conversions, notes and refusals in one file. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

#define SNAP_SLOTS	512

static struct kmem_cache *snap_cachep;

struct snap {
	unsigned long slots[SNAP_SLOTS];
	struct rcu_head rcu;
};

struct snap_big {
	u32 hist[1024];
	struct rcu_head rcu;
};

struct snap_meta {
	int gen;
	struct rcu_head rcu;
};

static void snap_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct snap, rcu));
}

static void snap_big_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct snap_big, rcu));
}

static void snap_meta_free_rcu(struct rcu_head *head)
{
	struct snap_meta *m = container_of(head, struct snap_meta, rcu);

	kmem_cache_free(snap_cachep, m);
}

void snap_release(struct snap *s, struct snap_big *b, struct snap_meta *m)
{
	call_rcu(&s->rcu, snap_free_rcu);
	call_rcu(&b->rcu, snap_big_free_rcu);
	call_rcu(&m->rcu, snap_meta_free_rcu);
}

void snap_meta_release_all(struct snap_meta *metas, int n)
{
	int i;

	for (i = 0; i < n; i++)
		call_rcu(&metas[i].rcu, snap_meta_free_rcu);
}

void snap_release_ext(struct snap *s)
{
	call_rcu(&s->rcu, snap_ext_free_rcu);
}
