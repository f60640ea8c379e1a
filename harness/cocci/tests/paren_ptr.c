// SPDX-License-Identifier: GPL-2.0
/* Positive: &(*pp)->field gives kfree_rcu(*pp, field). */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct sched_tbl {
	int nents;
	struct rcu_head rcu;
};

static void sched_tbl_free_cb(struct rcu_head *head)
{
	struct sched_tbl *t = container_of(head, struct sched_tbl, rcu);

	kfree(t);
}

void sched_tbl_clear(struct sched_tbl **pp)
{
	if (*pp) {
		call_rcu(&(*pp)->rcu, sched_tbl_free_cb);
		*pp = NULL;
	}
}
