#include "core/evidence.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct item {
	struct bt_evidence ev;
	/* The const pointers in ev point at these owned copies. */
	char *key, *value, *source, *excerpt;
};

struct bt_evset {
	struct item *items;
	size_t count;
	size_t alloc;
};

struct bt_evset *bt_evset_new(void)
{
	return bt_xcalloc(1, sizeof(struct bt_evset));
}

static void item_clear(struct item *it)
{
	free(it->key);
	free(it->value);
	free(it->source);
	free(it->excerpt);
}

void bt_evset_free(struct bt_evset *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->count; i++)
		item_clear(&set->items[i]);
	free(set->items);
	free(set);
}

static void item_fill(struct item *it, const char *key, const char *value, const char *source,
		      long line, double time_s, const char *excerpt)
{
	it->key = bt_xstrdup(key ? key : "");
	it->value = bt_xstrndup(value ? value : "", BT_EVIDENCE_VALUE_MAX);
	it->source = bt_xstrdup(source ? source : "");
	it->excerpt = bt_xstrndup(excerpt ? excerpt : "", BT_EVIDENCE_EXCERPT_MAX);
	it->ev.key = it->key;
	it->ev.value = it->value;
	it->ev.source = it->source;
	it->ev.excerpt = it->excerpt;
	it->ev.line = line;
	it->ev.time_s = time_s;
}

void bt_evset_add(struct bt_evset *set, const char *key, const char *value,
		  const char *source, long line, double time_s, const char *excerpt)
{
	if (set->count == set->alloc) {
		set->alloc = set->alloc ? set->alloc * 2 : 16;
		set->items = bt_xrealloc(set->items, set->alloc * sizeof *set->items);
	}
	item_fill(&set->items[set->count++], key, value, source, line, time_s, excerpt);
}

void bt_evset_put(struct bt_evset *set, const char *key, const char *value,
		  const char *source, long line, double time_s, const char *excerpt)
{
	for (size_t i = set->count; i-- > 0;) {
		struct item *it = &set->items[i];
		if (strcmp(it->key, key) == 0) {
			item_clear(it);
			item_fill(it, key, value, source, line, time_s, excerpt);
			return;
		}
	}
	bt_evset_add(set, key, value, source, line, time_s, excerpt);
}

void bt_evset_merge(struct bt_evset *dst, const struct bt_evset *src)
{
	for (size_t i = 0; i < src->count; i++) {
		const struct bt_evidence *e = &src->items[i].ev;
		bt_evset_add(dst, e->key, e->value, e->source, e->line, e->time_s, e->excerpt);
	}
}

size_t bt_evset_count(const struct bt_evset *set)
{
	return set->count;
}

const struct bt_evidence *bt_evset_at(const struct bt_evset *set, size_t i)
{
	return i < set->count ? &set->items[i].ev : NULL;
}

const struct bt_evidence *bt_evset_find(const struct bt_evset *set, const char *key)
{
	for (size_t i = set->count; i-- > 0;)
		if (strcmp(set->items[i].key, key) == 0)
			return &set->items[i].ev;
	return NULL;
}

const char *bt_evset_value(const struct bt_evset *set, const char *key)
{
	const struct bt_evidence *e = bt_evset_find(set, key);
	return e ? e->value : NULL;
}

size_t bt_evset_remove(struct bt_evset *set, const char *key)
{
	size_t out = 0, removed = 0;
	for (size_t i = 0; i < set->count; i++) {
		if (strcmp(set->items[i].key, key) == 0) {
			item_clear(&set->items[i]);
			removed++;
		} else {
			set->items[out++] = set->items[i];
		}
	}
	set->count = out;
	/* Pointers inside moved items still point at their own heap copies: nothing to fix. */
	return removed;
}
