// SPDX-License-Identifier: GPL-2.0
/* Callback and its only user under the same #ifdef: converted, removed. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct dbg_rec {
	int seq;
	struct rcu_head rcu;
};

#ifdef CONFIG_FOO_DEBUG
static void dbg_rec_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct dbg_rec, rcu));
}

void dbg_rec_drop(struct dbg_rec *r)
{
	call_rcu(&r->rcu, dbg_rec_free_rcu);
}
#else
void dbg_rec_drop(struct dbg_rec *r)
{
}
#endif
