// SPDX-License-Identifier: GPL-2.0
/* Positive: kvfree() callback becomes kvfree_rcu(). */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct qux_table {
	unsigned int size;
	struct rcu_head rcu;
	struct hlist_head buckets[];
};

static void qux_table_free_rcu(struct rcu_head *head)
{
	struct qux_table *t = container_of(head, struct qux_table, rcu);

	kvfree(t);
}

void qux_table_replace(struct qux_table __rcu **slot, struct qux_table *new)
{
	struct qux_table *old = rcu_replace_pointer(*slot, new, true);

	if (old)
		call_rcu(&old->rcu, qux_table_free_rcu);
}
