// SPDX-License-Identifier: GPL-2.0
/* call_rcu() hidden in a macro wrapper: the callback must stay. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct tnode_x {
	unsigned char bits;
	struct rcu_head rcu;
};

static void tnode_x_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct tnode_x, rcu));
}

#define tnode_x_free(n) call_rcu(&(n)->rcu, tnode_x_free_rcu)

void tnode_x_prune(struct tnode_x *n)
{
	if (!n->bits)
		tnode_x_free(n);
}
