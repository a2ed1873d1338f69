/*
 * memstream_posix.c - os.h in-memory streams on open_memstream().
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "os.h"

int os_memstream_open(struct os_memstream *s)
{
	s->text = NULL;
	s->size = 0;
	s->f = open_memstream(&s->text, &s->size);
	return s->f != NULL ? 0 : -1;
}

char *os_memstream_close(struct os_memstream *s, size_t *size)
{
	bool failed = ferror(s->f) != 0;
	char *text;

	if (fclose(s->f) != 0)
		failed = true;
	s->f = NULL;
	text = s->text;
	s->text = NULL;
	if (failed || text == NULL) {
		free(text);
		errno = errno != 0 ? errno : ENOMEM;
		return NULL;
	}
	if (size != NULL)
		*size = s->size;
	return text;
}
