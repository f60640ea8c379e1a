// SPDX-License-Identifier: GPL-2.0
/* Callback also in an ops table: the call_rcu() is converted, callback kept. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct tk_params {
	int action;
	struct rcu_head rcu;
};

struct tk_ops {
	void (*free_rcu)(struct rcu_head *head);
};

static void tk_params_free_rcu(struct rcu_head *head)
{
	struct tk_params *p = container_of(head, struct tk_params, rcu);

	kfree(p);
}

static const struct tk_ops tk_default_ops = {
	.free_rcu	= tk_params_free_rcu,
};

void tk_params_release(struct tk_params *p)
{
	call_rcu(&p->rcu, tk_params_free_rcu);
}

const struct tk_ops *tk_get_ops(void)
{
	return &tk_default_ops;
}
