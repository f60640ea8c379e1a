// SPDX-License-Identifier: GPL-2.0
/* Negative: the callback updates a counter. */
#include <linux/slab.h>
#include <linux/atomic.h>
#include <linux/rcupdate.h>

static atomic_t nr_conns = ATOMIC_INIT(0);

struct conn_ent {
	u16 port;
	struct rcu_head rcu;
};

static void conn_ent_free_rcu(struct rcu_head *head)
{
	struct conn_ent *ce = container_of(head, struct conn_ent, rcu);

	atomic_dec(&nr_conns);
	kfree(ce);
}

void conn_ent_del(struct conn_ent *ce)
{
	call_rcu(&ce->rcu, conn_ent_free_rcu);
}
