// SPDX-License-Identifier: GPL-2.0
/* Positive: callback with a forward declaration; both go away. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct ctx_info {
	int id;
	struct rcu_head rcu;
};

static void ctx_info_free_rcu(struct rcu_head *head);

void ctx_info_retire(struct ctx_info *ci)
{
	call_rcu(&ci->rcu, ctx_info_free_rcu);
}

static void ctx_info_free_rcu(struct rcu_head *head)
{
	struct ctx_info *ci = container_of(head, struct ctx_info, rcu);

	kfree(ci);
}
