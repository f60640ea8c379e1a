// SPDX-License-Identifier: GPL-2.0
/*
 * The file has <linux/kfree_srcu.h> already: not added twice.  An rcu_head
 * reached through a member is not converted.
 */
#include <linux/kfree_srcu.h>
#include <linux/slab.h>
#include <linux/srcu.h>

DEFINE_STATIC_SRCU(bus_srcu);

struct bus {
	int n;
	struct rcu_head rcu;
};

static struct bus static_bus;

static void free_bus(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct bus, rcu));
}

void bus_replace(struct bus *old)
{
	call_srcu(&bus_srcu, &old->rcu, free_bus);
}

void bus_replace_static(void)
{
	call_srcu(&bus_srcu, &static_bus.rcu, free_bus);
}
