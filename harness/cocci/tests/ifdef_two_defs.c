// SPDX-License-Identifier: GPL-2.0
/* Negative: two definitions under #ifdef/#else; only one is free-only. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct stat_blk {
	atomic_t users;
	struct rcu_head rcu;
};

#ifdef CONFIG_STAT_BLK_ACCOUNTING
static void stat_blk_free_rcu(struct rcu_head *head)
{
	struct stat_blk *b = container_of(head, struct stat_blk, rcu);

	this_cpu_dec(stat_blk_count);
	kfree(b);
}
#else
static void stat_blk_free_rcu(struct rcu_head *head)
{
	struct stat_blk *b = container_of(head, struct stat_blk, rcu);

	kfree(b);
}
#endif

void stat_blk_put(struct stat_blk *b)
{
	if (atomic_dec_and_test(&b->users))
		call_rcu(&b->rcu, stat_blk_free_rcu);
}
