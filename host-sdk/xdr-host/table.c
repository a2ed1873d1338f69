/*
 * table.c - text output in aligned columns under a header, for people;
 * scripts use --json.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct row {
	char **cells;
	char *after;
};

struct cli_table {
	size_t ncols;
	struct row header;
	struct row *rows;
	size_t nrows;
	size_t cap;
};

/* A copy fit for one terminal line: control characters and line
 * separators become spaces. */
static char *clean_copy(const char *s)
{
	char *copy = strdup(s != NULL && *s != '\0' ? s : "-");

	if (copy != NULL)
		xdr_text_flatten(copy);
	return copy;
}

static void row_free(struct row *r, size_t ncols)
{
	for (size_t i = 0; r->cells != NULL && i < ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	free(r->after);
}

static int row_fill(struct row *r, size_t ncols, const char *const *cells)
{
	r->cells = calloc(ncols, sizeof(*r->cells));
	if (r->cells == NULL)
		return -1;
	for (size_t i = 0; i < ncols; i++) {
		r->cells[i] = clean_copy(cells[i]);
		if (r->cells[i] == NULL)
			return -1;
	}
	return 0;
}

struct cli_table *cli_table_new(size_t ncols, const char *const *header)
{
	struct cli_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->ncols = ncols;
	if (row_fill(&t->header, ncols, header) != 0) {
		cli_table_free(t);
		return NULL;
	}
	return t;
}

int cli_table_add(struct cli_table *t, const char *const *cells,
                  const char *after)
{
	struct row *r;

	if (t->nrows == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 16;
		struct row *p = realloc(t->rows, ncap * sizeof(*p));

		if (p == NULL)
			return -1;
		t->rows = p;
		t->cap = ncap;
	}
	r = &t->rows[t->nrows++];
	memset(r, 0, sizeof(*r));
	if (row_fill(r, t->ncols, cells) != 0)
		return -1;
	if (after != NULL && (r->after = strdup(after)) == NULL)
		return -1;
	return 0;
}

/* Width on screen, counting UTF-8 code points rather than bytes. */
static size_t width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void print_row(FILE *f, const struct row *r, const size_t *widths,
                      size_t ncols)
{
	for (size_t i = 0; i < ncols; i++) {
		fputs(r->cells[i], f);
		if (i + 1 < ncols)
			fprintf(f, "%*s",
			        (int)(widths[i] - width(r->cells[i]) + 2), "");
	}
	fputc('\n', f);
	if (r->after != NULL)
		fputs(r->after, f);
}

void cli_table_print(FILE *f, const struct cli_table *t)
{
	size_t *widths = calloc(t->ncols, sizeof(*widths));

	if (widths == NULL)
		return;
	for (size_t i = 0; i < t->ncols; i++) {
		widths[i] = width(t->header.cells[i]);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t w = width(t->rows[r].cells[i]);

			if (w > widths[i])
				widths[i] = w;
		}
	}
	print_row(f, &t->header, widths, t->ncols);
	for (size_t r = 0; r < t->nrows; r++)
		print_row(f, &t->rows[r], widths, t->ncols);
	free(widths);
}

void cli_table_free(struct cli_table *t)
{
	if (t == NULL)
		return;
	row_free(&t->header, t->ncols);
	for (size_t r = 0; r < t->nrows; r++)
		row_free(&t->rows[r], t->ncols);
	free(t->rows);
	free(t);
}

int cli_table_finish(struct cli_table *t, int rc)
{
	if (rc == CLI_OK)
		cli_table_print(stdout, t);
	cli_table_free(t);
	return rc == CLI_OK ? CLI_OK : cli_fail("out of memory");
}
