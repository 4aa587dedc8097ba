/* SPDX-License-Identifier: MIT */
/* Intrusive circular doubly linked lists: a struct list_node lives inside the object. */
#ifndef KEEL_LIB_LIST_H
#define KEEL_LIB_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *next, *prev;
};

static inline void list_init(struct list_node *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

/* Insert @n right after @head (so a list used as a stack pops from list_first()). */
static inline void list_add(struct list_node *head, struct list_node *n)
{
	n->next = head->next;
	n->prev = head;
	head->next->prev = n;
	head->next = n;
}

/* Insert @n right before @head: at the tail. */
static inline void list_add_tail(struct list_node *head, struct list_node *n)
{
	list_add(head->prev, n);
}

/* Unlink @n and leave it pointing at itself, so a second removal is harmless. */
static inline void list_del(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

/* First node, or NULL when the list is empty. */
static inline struct list_node *list_first(const struct list_node *head)
{
	return list_empty(head) ? NULL : head->next;
}

#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#endif
