// SPDX-License-Identifier: GPL-2.0
/* call_rcu() as a macro argument is left alone; the plain one is converted. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct lease_ent {
	unsigned long expires;
	struct rcu_head rcu;
};

static void lease_ent_free(struct rcu_head *head)
{
	kfree(container_of(head, struct lease_ent, rcu));
}

#define LEASE_TRACE(fn) do { trace_lease_op(#fn); fn; } while (0)

void lease_ent_expire(struct lease_ent *le)
{
	LEASE_TRACE(call_rcu(&le->rcu, lease_ent_free));
}

void lease_ent_revoke(struct lease_ent *le)
{
	call_rcu(&le->rcu, lease_ent_free);
}
