/*
 * fault_body.h - the bytes of the hostile answers the sandbox makes itself
 * (huge, deep, hang): from any position, without ever holding them. Pure.
 */
#ifndef SBX_FAULT_BODY_H
#define SBX_FAULT_BODY_H

#include <stddef.h>
#include <stdint.h>

#include "faults.h"

/* A body of up to four parts, each a text or one byte repeated. */
struct sbx_fault_body {
	struct {
		const char *text; /* NULL: FILL repeated LEN times */
		char fill;
		uint64_t len;
	} parts[4];
	size_t n;
	uint64_t total; /* bytes in all; UINT64_MAX: it never ends */
	uint64_t head;  /* the bytes before an endless body starts dripping */
};

/*
 * The body of F: huge, a JSON:API document of F->size bytes (one
 * organization whose name fills it); deep, {"data": and F->size arrays
 * nested; hang, {"data":[ and then spaces without end. XDR_OK, or
 * XDR_EINVAL for another kind.
 */
int sbx_fault_body_init(struct sbx_fault_body *b, const struct sbx_fault *f);

/* Up to MAX bytes of B from POS into BUF: how many (0 at the end). */
size_t sbx_fault_body_read(const struct sbx_fault_body *b, uint64_t pos,
                           char *buf, size_t max);

#endif
