// SPDX-License-Identifier: GPL-2.0
/* A mention in a comment does not keep the callback; #if 0 code does. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct ra_chain {
	struct ra_chain __rcu *next;
	struct rcu_head rcu;
};

struct wq_ent {
	int id;
	struct rcu_head rcu;
};

/* Freed by ra_chain_free_rcu() once readers are gone. */
static void ra_chain_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct ra_chain, rcu));
}

static void wq_ent_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct wq_ent, rcu));
}

void ra_chain_del(struct ra_chain *ra)
{
	call_rcu(&ra->rcu, ra_chain_free_rcu); /* see ra_chain_free_rcu */
}

void wq_ent_del(struct wq_ent *we)
{
	call_rcu(&we->rcu, wq_ent_free_rcu);
#if 0
	wq_ent_free_rcu(&we->rcu);
#endif
}
