/*
 * options.h - the command line of itglue-sandbox.
 */
#ifndef SBX_OPTIONS_H
#define SBX_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "sandbox.h"

struct sbx_options {
	struct sbx_settings set;
	const char *data; /* --data FILE, or NULL */
	const char *save; /* --save FILE, or NULL */
	bool generate;
	struct sbx_generate_spec spec;
	struct sbx_faults faults;
	bool help, version;
};

/*
 * Parses ARGV into O (which must be released with sbx_options_free()).
 * Returns XDR_OK, or XDR_EINVAL after writing why to ERR.
 */
int sbx_options_parse(int argc, char **argv, struct sbx_options *o, FILE *err);
void sbx_options_free(struct sbx_options *o);
void sbx_options_usage(FILE *out);

#endif
