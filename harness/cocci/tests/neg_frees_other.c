// SPDX-License-Identifier: GPL-2.0
/* Negative: the callback frees another allocation too. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct label_set {
	char *names;
	struct rcu_head rcu;
};

static void label_set_free_rcu(struct rcu_head *head)
{
	struct label_set *ls = container_of(head, struct label_set, rcu);

	kfree(ls->names);
	kfree(ls);
}

void label_set_put(struct label_set *ls)
{
	call_rcu(&ls->rcu, label_set_free_rcu);
}
