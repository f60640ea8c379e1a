// SPDX-License-Identifier: GPL-2.0
/* call_srcu() with a kmem_cache_free() callback becomes kfree_srcu(). */
#include <linux/slab.h>
#include <linux/srcu.h>

struct sess {
	unsigned long id;
	struct rcu_head rcu;
};

static struct kmem_cache *sess_cache;

struct sess_table {
	struct srcu_struct srcu;
};

static void sess_free_rcu(struct rcu_head *head)
{
	struct sess *s = container_of(head, struct sess, rcu);

	kmem_cache_free(sess_cache, s);
}

void sess_drop(struct sess_table *t, struct sess *s)
{
	call_srcu(&t->srcu, &s->rcu, sess_free_rcu);
}
