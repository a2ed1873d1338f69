/*
 * fault_body.c - the bytes of huge, deep and hang answers.
 */
#include "config.h"

#include "fault_body.h"

#include <string.h>

#include <xdr/plugin.h>

static void add(struct sbx_fault_body *b, const char *text, char fill,
                uint64_t len)
{
	b->parts[b->n].text = text;
	b->parts[b->n].fill = fill;
	b->parts[b->n].len = text ? strlen(text) : len;
	b->n++;
}

int sbx_fault_body_init(struct sbx_fault_body *b, const struct sbx_fault *f)
{
	static const char huge_head[] = "{\"data\":[{\"id\":\"1\",\"type\":"
	                                "\"organizations\",\"attributes\":{"
	                                "\"name\":\"",
	                  huge_tail[] = "\"}}]}", deep_head[] = "{\"data\":",
	                  hang_head[] = "{\"data\":[";

	memset(b, 0, sizeof(*b));
	switch (f->kind) {
	case SBX_FAULT_HUGE:
		if (f->size < (long)(sizeof(huge_head) + sizeof(huge_tail)))
			return XDR_EINVAL;
		add(b, huge_head, 0, 0);
		add(b, NULL, 'x',
		    (uint64_t)f->size - (sizeof(huge_head) - 1) -
		            (sizeof(huge_tail) - 1));
		add(b, huge_tail, 0, 0);
		break;
	case SBX_FAULT_DEEP:
		if (f->size < 1)
			return XDR_EINVAL;
		add(b, deep_head, 0, 0);
		add(b, NULL, '[', (uint64_t)f->size);
		add(b, NULL, ']', (uint64_t)f->size);
		add(b, "}", 0, 0);
		break;
	case SBX_FAULT_HANG:
		add(b, hang_head, 0, 0);
		add(b, NULL, ' ', UINT64_MAX - (sizeof(hang_head) - 1));
		b->head = sizeof(hang_head) - 1;
		b->total = UINT64_MAX;
		return XDR_OK;
	default:
		return XDR_EINVAL;
	}
	for (size_t i = 0; i < b->n; i++)
		b->total += b->parts[i].len;
	b->head = b->total;
	return XDR_OK;
}

size_t sbx_fault_body_read(const struct sbx_fault_body *b, uint64_t pos,
                           char *buf, size_t max)
{
	size_t done = 0;
	uint64_t start = 0;

	for (size_t i = 0; i < b->n && done < max; i++) {
		uint64_t len = b->parts[i].len, at, take;

		if (pos + done >= start + len) {
			start += len;
			continue;
		}
		at = pos + done - start;
		take = len - at;
		if (take > max - done)
			take = max - done;
		if (b->parts[i].text)
			memcpy(buf + done, b->parts[i].text + at, (size_t)take);
		else
			memset(buf + done, b->parts[i].fill, (size_t)take);
		done += (size_t)take;
		start += len;
	}
	return done;
}
