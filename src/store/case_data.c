/* case_data.c — the loaded-case snapshot: builders and release. */
#include "store/case_data.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* Grows an array by one zeroed element; arrays grow by doubling (capacity = next power of 2). */
static void *push(void *arr, size_t *n, size_t size)
{
	size_t cnt = *n;
	if ((cnt & (cnt - 1)) == 0) { /* 0, 1, 2, 4, ...: capacity reached */
		size_t cap = cnt ? cnt * 2 : 1;
		arr = bt_xrealloc(arr, cap * size);
	}
	memset((char *)arr + cnt * size, 0, size);
	*n = cnt + 1;
	return arr;
}

struct bt_case *bt_case_new(void)
{
	struct bt_case *c = bt_xcalloc(1, sizeof *c);
	c->evidence = bt_evset_new();
	c->verdict_fixed = -1;
	c->verdict_at = -1;
	c->created = -1;
	return c;
}

struct bt_case_attempt *bt_case_push_attempt(struct bt_case *c)
{
	c->attempts = push(c->attempts, &c->nattempts, sizeof *c->attempts);
	return &c->attempts[c->nattempts - 1];
}

struct bt_case_recording *bt_case_push_recording(struct bt_case *c)
{
	c->recordings = push(c->recordings, &c->nrecordings, sizeof *c->recordings);
	return &c->recordings[c->nrecordings - 1];
}

struct bt_case_trace *bt_case_push_trace(struct bt_case *c)
{
	c->traces = push(c->traces, &c->ntraces, sizeof *c->traces);
	return &c->traces[c->ntraces - 1];
}

void bt_case_trace_push_sample(struct bt_case_trace *t, const struct bt_sample *s)
{
	t->samples = push(t->samples, &t->nsamples, sizeof *t->samples);
	t->samples[t->nsamples - 1] = *s;
}

void bt_case_trace_push_marker(struct bt_case_trace *t, double at, const char *label)
{
	t->markers = push(t->markers, &t->nmarkers, sizeof *t->markers);
	t->markers[t->nmarkers - 1].t = at;
	t->markers[t->nmarkers - 1].label = bt_xstrdup(label ? label : "");
}

struct bt_case_test *bt_case_push_test(struct bt_case *c)
{
	c->tests = push(c->tests, &c->ntests, sizeof *c->tests);
	return &c->tests[c->ntests - 1];
}

void bt_case_push_symptom(struct bt_case *c, const char *symptom)
{
	c->symptoms = push(c->symptoms, &c->nsymptoms, sizeof *c->symptoms);
	c->symptoms[c->nsymptoms - 1] = bt_xstrdup(symptom ? symptom : "");
}

void bt_case_push_note(struct bt_case *c, double at, const char *text)
{
	c->notes = push(c->notes, &c->nnotes, sizeof *c->notes);
	c->notes[c->nnotes - 1].at = at;
	c->notes[c->nnotes - 1].text = bt_xstrdup(text ? text : "");
}

void bt_case_push_ranking(struct bt_case *c, const char *board, const char *hyp, double p, int rank)
{
	c->rankings = push(c->rankings, &c->nrankings, sizeof *c->rankings);
	struct bt_case_ranking *r = &c->rankings[c->nrankings - 1];
	r->board = bt_xstrdup(board);
	r->hyp = bt_xstrdup(hyp ? hyp : "");
	r->probability = p;
	r->rank = rank;
}

void bt_case_free(struct bt_case *c)
{
	if (!c)
		return;
	free(c->label);
	free(c->board);
	free(c->product_type);
	free(c->ecid);
	free(c->serial);
	free(c->imei);
	free(c->udid);
	bt_evset_free(c->evidence);
	for (size_t i = 0; i < c->nattempts; i++) {
		free(c->attempts[i].name);
		free(c->attempts[i].log);
	}
	free(c->attempts);
	for (size_t i = 0; i < c->nrecordings; i++) {
		free(c->recordings[i].name);
		free(c->recordings[i].body);
	}
	free(c->recordings);
	for (size_t i = 0; i < c->ntraces; i++) {
		struct bt_case_trace *t = &c->traces[i];
		free(t->name);
		free(t->samples);
		for (size_t j = 0; j < t->nmarkers; j++)
			free(t->markers[j].label);
		free(t->markers);
	}
	free(c->traces);
	for (size_t i = 0; i < c->ntests; i++) {
		free(c->tests[i].test_id);
		free(c->tests[i].outcome);
		free(c->tests[i].note);
	}
	free(c->tests);
	for (size_t i = 0; i < c->nsymptoms; i++)
		free(c->symptoms[i]);
	free(c->symptoms);
	for (size_t i = 0; i < c->nnotes; i++)
		free(c->notes[i].text);
	free(c->notes);
	for (size_t i = 0; i < c->nrankings; i++) {
		free(c->rankings[i].board);
		free(c->rankings[i].hyp);
	}
	free(c->rankings);
	free(c->verdict_part);
	free(c->verdict_note);
	free(c);
}
