/* case_stats.c — hit rates of hypotheses and rules over confirmed verdicts. */
#include "store/case_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "store/case_data.h"
#include "store/case_score.h"

static struct bt_stat_top *top_row(struct bt_stats *s, const char *board, const char *hyp)
{
	for (size_t i = 0; i < s->ntops; i++)
		if (strcmp(s->tops[i].board, board) == 0 && strcmp(s->tops[i].hyp, hyp) == 0)
			return &s->tops[i];
	s->tops = bt_xrealloc(s->tops, (s->ntops + 1) * sizeof *s->tops);
	struct bt_stat_top *t = &s->tops[s->ntops++];
	memset(t, 0, sizeof *t);
	snprintf(t->board, sizeof t->board, "%s", board);
	snprintf(t->hyp, sizeof t->hyp, "%s", hyp);
	return t;
}

static struct bt_stat_rule *rule_row(struct bt_stats *s, const char *rule, const char *hyp,
				     int raises)
{
	for (size_t i = 0; i < s->nrules; i++)
		if (strcmp(s->rules[i].rule, rule) == 0 && strcmp(s->rules[i].hyp, hyp) == 0 &&
		    s->rules[i].raises == raises)
			return &s->rules[i];
	s->rules = bt_xrealloc(s->rules, (s->nrules + 1) * sizeof *s->rules);
	struct bt_stat_rule *r = &s->rules[s->nrules++];
	memset(r, 0, sizeof *r);
	snprintf(r->rule, sizeof r->rule, "%s", rule);
	snprintf(r->hyp, sizeof r->hyp, "%s", hyp);
	r->raises = raises;
	return r;
}

static void score_case(struct bt_stats *s, const struct bt_case *c, const struct bt_diagnosis *d)
{
	const char *part = c->verdict_part;
	int fixed = c->verdict_fixed == 1;
	s->cases++;
	s->fixed += fixed;
	if (!d || !d->nhyp) {
		s->undetermined++;
		return;
	}
	const char *board = d->board ? d->board : "(none)";
	const char *top = d->hyp[0].id;
	if (fixed || strcmp(top, part) == 0) {
		struct bt_stat_top *t = top_row(s, board, top);
		t->judged++;
		t->right += fixed && strcmp(top, part) == 0;
	} else {
		s->undetermined++;
	}
	for (size_t h = 0; h < d->nhyp; h++) {
		const struct bt_hypothesis *hy = &d->hyp[h];
		int is_part = strcmp(hy->id, part) == 0;
		if (!fixed && !is_part)
			continue; /* "not P" says nothing about the other hypotheses */
		int was_fault = fixed && is_part;
		for (size_t k = 0; k < hy->ncontribs; k++) {
			const struct bt_contrib *ct = &hy->contribs[k];
			if (ct->lr == 1.0 || !ct->rule)
				continue;
			int raises = ct->lr > 1.0;
			struct bt_stat_rule *r = rule_row(s, ct->rule, hy->id, raises);
			r->judged++;
			r->right += raises ? was_fault : !was_fault;
		}
	}
}

int bt_stats_compute(struct bt_store *st, const struct bt_boards *boards, struct bt_stats **out)
{
	*out = NULL;
	int64_t *ids;
	size_t n;
	int err = bt_store_verdict_cases(st, &ids, &n);
	if (err != BT_OK)
		return err;
	struct bt_stats *s = bt_xcalloc(1, sizeof *s);
	for (size_t i = 0; i < n && err == BT_OK; i++) {
		struct bt_case *c;
		err = bt_store_load(st, ids[i], &c);
		if (err != BT_OK)
			break;
		struct bt_diagnosis *d = bt_case_diagnose(c, boards);
		score_case(s, c, d);
		bt_diagnosis_free(d);
		bt_case_free(c);
	}
	free(ids);
	if (err != BT_OK) {
		bt_stats_free(s);
		return err;
	}
	*out = s;
	return BT_OK;
}

void bt_stats_free(struct bt_stats *s)
{
	if (!s)
		return;
	free(s->tops);
	free(s->rules);
	free(s);
}
