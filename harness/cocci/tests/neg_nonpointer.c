// SPDX-License-Identifier: GPL-2.0
/* Negative: call_rcu() on &obj.field, not through a pointer. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct opt_blk {
	int len;
	struct rcu_head rcu;
};

struct opt_owner {
	struct opt_blk *cur;
	struct opt_blk spare;
};

static void opt_blk_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct opt_blk, rcu));
}

void opt_owner_drop_spare(struct opt_owner *o)
{
	call_rcu(&o->spare.rcu, opt_blk_free_rcu);
}

void opt_owner_drop(struct opt_blk *cur)
{
	call_rcu(&(*cur).rcu, opt_blk_free_rcu);
}
