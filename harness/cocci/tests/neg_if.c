// SPDX-License-Identifier: GPL-2.0
/* Negative: the callback chooses how to free. */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/rcupdate.h>

static struct kmem_cache *leaf_kmem;

struct trie_node {
	unsigned char bits;
	struct rcu_head rcu;
};

static void trie_node_free_rcu(struct rcu_head *head)
{
	struct trie_node *n = container_of(head, struct trie_node, rcu);

	if (!n->bits)
		kmem_cache_free(leaf_kmem, n);
	else
		kvfree(n);
}

void trie_node_free(struct trie_node *n)
{
	call_rcu(&n->rcu, trie_node_free_rcu);
}
