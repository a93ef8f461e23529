/* from_board.c — guided-test definitions from board profiles. */
#include "guided/guided.h"

#include <string.h>
#include <strings.h>

#include "engine/board.h"

static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; s && *s; s++)
		if (strncasecmp(s, w, n) == 0)
			return true;
	return false;
}

static bool has_restore(const char *s)
{
	return has_word(s, "restore");
}

static bool mentions_restore(const struct bt_guided_test *t)
{
	if (has_restore(t->title))
		return true;
	for (size_t i = 0; i < t->nsteps; i++)
		if (has_restore(t->steps[i]))
			return true;
	return false;
}

void bt_guided_def_from_board(const struct bt_guided_test *t, struct bt_guided_def *out)
{
	memset(out, 0, sizeof *out);
	const struct bt_guided_def *shape = bt_guided_builtin(t->id);
	out->id = t->id;
	out->title = t->title && *t->title ? t->title : shape ? shape->title : t->id;
	out->risk = t->risk && *t->risk ? t->risk : "none";
	if (shape && shape->kind != BT_GUIDED_CHECKLIST)
		out->kind = shape->kind;
	else
		out->kind = mentions_restore(t) ? BT_GUIDED_RETRY_COMPARE : BT_GUIDED_MANUAL;
	out->a_label = shape ? shape->a_label : "before";
	out->b_label = shape ? shape->b_label : "after";
	if (t->safety && *t->safety)
		out->safety[out->nsafety++] = t->safety;
	else
		for (size_t i = 0; shape && i < shape->nsafety; i++)
			out->safety[out->nsafety++] = shape->safety[i];
	if (t->data_loss && out->nsafety < BT_GUIDED_MAX_SAFETY)
		out->safety[out->nsafety++] = "This test ERASES ALL DATA on the phone: get the "
					      "customer's consent first.";
	bool compare = out->kind != BT_GUIDED_MANUAL;
	if (compare)
		out->steps[out->nsteps++] = (struct bt_guided_step){
			BT_STEP_OBSERVE_A, shape ? shape->steps[0].text
						 : "Attempt A: the restore as it is now." };
	size_t room = BT_GUIDED_MAX_STEPS - (compare ? 2 : 0);
	/* Attempt B is watched right after the step that retries the restore; steps after it
	 * (reconnect afterwards...) follow the observation. */
	size_t retry_at = t->nsteps;
	for (size_t i = 0; compare && i < t->nsteps && i < room; i++)
		if (has_word(t->steps[i], "retry") || has_word(t->steps[i], "restore"))
			retry_at = i;
	const char *btext = shape ? shape->steps[shape->nsteps - 1].text
			  : t->observe && *t->observe ? t->observe
			  : "Attempt B: retry the restore and let it run.";
	for (size_t i = 0; i < t->nsteps && out->nsteps < room + (compare ? 1 : 0); i++) {
		if (t->steps[i] && *t->steps[i])
			out->steps[out->nsteps++] = (struct bt_guided_step){ BT_STEP_DO, t->steps[i] };
		if (compare && i == retry_at)
			out->steps[out->nsteps++] = (struct bt_guided_step){ BT_STEP_OBSERVE_B, btext };
	}
	if (compare && retry_at == t->nsteps)
		out->steps[out->nsteps++] = (struct bt_guided_step){ BT_STEP_OBSERVE_B, btext };
	if (out->nsteps == 0)
		out->steps[out->nsteps++] = (struct bt_guided_step){ BT_STEP_DO, out->title };
	for (size_t i = 0; i < t->noutcomes && out->noutcomes < BT_GUIDED_MAX_OUTCOMES; i++)
		out->outcomes[out->noutcomes++] = (struct bt_guided_outcome){
			t->outcomes[i].id, t->outcomes[i].title ? t->outcomes[i].title : t->outcomes[i].id };
	if (out->noutcomes == 0 && shape) {
		for (size_t i = 0; i < shape->noutcomes; i++)
			out->outcomes[out->noutcomes++] = shape->outcomes[i];
	}
	if (out->noutcomes == 0)
		out->outcomes[out->noutcomes++] = (struct bt_guided_outcome){ "done", "Done" };
}

void bt_guided_def_checklist(const struct bt_symptom *const *symptoms, size_t n,
			     struct bt_guided_def *out)
{
	const struct bt_guided_def *shape = bt_guided_builtin("symptom_checklist");
	*out = *shape;
	if (n == 0)
		return;
	out->nitems = 0;
	for (size_t i = 0; i < n && out->nitems < BT_GUIDED_MAX_ITEMS; i++)
		out->items[out->nitems++] = (struct bt_guided_item){
			symptoms[i]->id, symptoms[i]->title ? symptoms[i]->title : symptoms[i]->id };
}
