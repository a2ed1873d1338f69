/*
 * help.c - usage lines and help texts, all drawn from the command table.
 */
#include "config.h"

#include <string.h>

#include "cli.h"

void cli_print_usage(FILE *f, const struct cli_command *cmd)
{
	fprintf(f, "usage: xdr-host %s%s%s\n", cmd->words,
	        cmd->usage[0] ? " " : "", cmd->usage);
}

void cli_print_command_help(FILE *f, const struct cli_command *cmd)
{
	cli_print_usage(f, cmd);
	fprintf(f, "%s\n", cmd->summary);
	if (cmd->opts[0].name != NULL)
		fputc('\n', f);
	for (size_t i = 0; cmd->opts[i].name != NULL; i++) {
		const struct cli_opt *o = &cmd->opts[i];
		char left[48];

		snprintf(left, sizeof(left), "--%s%s%s", o->name,
		         o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-22s %s\n", left, o->help);
	}
}

/* Does the command's word list start with the words of prefix? */
static bool starts_with_words(const char *words, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(words, prefix, n) == 0 &&
	       (words[n] == '\0' || words[n] == ' ');
}

void cli_print_family(FILE *f, const char *prefix)
{
	for (size_t i = 0; i < cli_n_commands; i++)
		if (starts_with_words(cli_commands[i].words, prefix))
			cli_print_usage(f, &cli_commands[i]);
}

void cli_print_help(FILE *f)
{
	fputs("usage: xdr-host [--home DIR] [--plugin-dir DIR] [-v|--verbose] "
	      "COMMAND [ARGS]\n\n"
	      "The reference host of the Open XDR plugin ABI.\n\n"
	      "Commands:\n",
	      f);
	for (size_t i = 0; i < cli_n_commands; i++) {
		const struct cli_command *c = &cli_commands[i];

		fprintf(f, "  %-20s %s\n", c->words, c->summary);
	}
	fprintf(f,
	        "  %-20s %s\n\n"
	        "Global options:\n"
	        "  --home DIR           the host's home (default $XDR_HOME, "
	        "else ./xdr-home)\n"
	        "  --plugin-dir DIR     the plugin directory (default "
	        "$XDR_PLUGIN_DIR,\n"
	        "                       else %s)\n"
	        "  -v, --verbose        copy every plugin log line to stderr\n"
	        "  -h, --help           help; on a command, that command's "
	        "help\n"
	        "  --version            print the version\n\n"
	        "Exit status: 0 success, 1 the operation failed, 2 usage "
	        "error,\n"
	        "3 plugins still busy when the wait ended.\n",
	        "help [COMMAND]", "Show help for all commands or one.",
	        xdr_plugin_dir_default());
}
