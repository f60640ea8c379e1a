// SPDX-License-Identifier: GPL-2.0
/* Negative: kfree_sensitive() zeroes the object; kfree_rcu() would not. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct psk_entry {
	u8 secret[64];
	struct rcu_head rcu;
};

static void psk_entry_free_rcu(struct rcu_head *head)
{
	kfree_sensitive(container_of(head, struct psk_entry, rcu));
}

void psk_entry_del(struct psk_entry *pe)
{
	call_rcu(&pe->rcu, psk_entry_free_rcu);
}
