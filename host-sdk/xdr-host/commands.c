/*
 * commands.c - the command table: every command's words, arguments,
 * options and one-line summary, in the order help shows them.
 */
#include "config.h"

#include "cli.h"

#define END_OPTS                                                               \
	{                                                                      \
		NULL, 0, NULL, false, NULL                                     \
	}

static const struct cli_opt opts_json[] = {
        {"json", 0, NULL, false, "print JSON instead of a table"},
        END_OPTS,
};

static const struct cli_opt opts_none[] = {END_OPTS};

/* The options of the list commands that answer a page. */
#define HELP_LIMIT "a page of at most N, 1 to 500 (default 25)"

static const struct cli_opt opts_system_list[] = {
        {"offset", 0, "N", false, "a page after the first N (default 0)"},
        {"limit", 0, "N", false, HELP_LIMIT},
        {"json", 0, NULL, false, "print JSON instead of a table"},
        END_OPTS,
};

static const struct cli_opt opts_report_list[] = {
        {"offset", 0, "N", false,
         "a page after the N newest reports (default 0)"},
        {"limit", 0, "N", false, HELP_LIMIT},
        {"json", 0, NULL, false, "print JSON instead of a table"},
        END_OPTS,
};

static const struct cli_opt opts_group_add[] = {
        {"email", 0, "ADDR", false,
         "the customer's e-mail address (auto-mapping matches its domain)"},
        END_OPTS,
};

static const struct cli_opt opts_system_add[] = {
        {"group", 0, "GROUP", false, "the group it belongs to (required)"},
        {"os", 0, "OS", false, "windows, linux or other (default other)"},
        {"sensor", 0, "SENSOR", false, "agent or syslog (default agent)"},
        {"agent-version", 0, "V", false, "the agent's version, e.g. 9.3.0"},
        {"mac", 0, "MAC", true,
         "a MAC address the agent registered (repeat for more)"},
        END_OPTS,
};

/* The options of commands that wait for the plugins afterwards. */
#define HELP_NO_WAIT      "return at once, without waiting for busy plugins"
#define HELP_WAIT_SECONDS "wait at most N seconds (default 600), then exit 3"

static const struct cli_opt opts_admin[] = {
        {"no-wait", 0, NULL, false, HELP_NO_WAIT},
        {"wait-seconds", 0, "N", false, HELP_WAIT_SECONDS},
        END_OPTS,
};

static const struct cli_opt opts_config_add[] = {
        {"group", 0, "GROUP", false, "the group reported on (required)"},
        {"publish-itglue", 0, NULL, false, "\"Publish report to the IT Glue\""},
        END_OPTS,
};

static const struct cli_opt opts_config_set[] = {
        {"publish-itglue", 0, NULL, false,
         "turn \"Publish report to the IT Glue\" on"},
        {"no-publish-itglue", 0, NULL, false, "turn it off"},
        END_OPTS,
};

static const struct cli_opt opts_generate[] = {
        {"config", 0, "NAME", false,
         "the report configuration (gives group and publishing)"},
        {"group", 0, "GROUP", false, "an ad-hoc report on this group"},
        {"title", 0, "T", false, "the report's title (required)"},
        {"type", 0, "TYPE", false, "default \"Security Summary\""},
        {"file", 0, "REPORT.html", false,
         "the generated file; the host keeps a copy (required)"},
        {"system", 0, "NAME", true,
         "a system the report covers, of the report's group (repeat)"},
        {"no-wait", 0, NULL, false, HELP_NO_WAIT},
        {"wait-seconds", 0, "N", false, HELP_WAIT_SECONDS},
        END_OPTS,
};

static const struct cli_opt opts_tick[] = {
        {"now", 0, "RFC3339", false,
         "the time to tick at, e.g. 2026-01-01T06:00:00Z (default: now)"},
        {"no-wait", 0, NULL, false, HELP_NO_WAIT},
        {"wait-seconds", 0, "N", false, HELP_WAIT_SECONDS},
        END_OPTS,
};

static const struct cli_opt opts_run[] = {
        {"tick-seconds", 0, "N", false, "seconds between ticks (default 60)"},
        END_OPTS,
};

static const struct cli_opt opts_events[] = {
        {"id", 0, "N", false, "only events with this event id"},
        {"offset", 0, "N", false,
         "a page after the N newest events (default 0)"},
        {"limit", 0, "N", false, HELP_LIMIT},
        {"json", 0, NULL, false, "print JSON instead of a table"},
        END_OPTS,
};

static const struct cli_opt opts_kp_parse[] = {
        {"id", 0, "N", false, "the event id of the text (required)"},
        END_OPTS,
};

static const struct cli_opt opts_kp_report[] = {
        {"format", 0, "FMT", false, "html (default) or csv"},
        {"out", 0, "FILE", false, "write to FILE instead of stdout"},
        END_OPTS,
};

static const struct cli_opt opts_console[] = {
        {"listen", 0, "ADDR:PORT", false,
         "where to listen (default 127.0.0.1:8443; [::1]:PORT for IPv6; "
         "port 0 picks one)"},
        {"allow-host", 0, "NAME", true,
         "a Host name the console also answers to, NAME or NAME:PORT "
         "(repeat)"},
        {"allow-remote", 0, NULL, false,
         "listen on an address that is not loopback (plain HTTP!)"},
        {"port-file", 0, "FILE", false,
         "write the port to FILE once listening"},
        {"tick-seconds", 0, "N", false,
         "seconds between plugin ticks (default 60; 0: never)"},
        END_OPTS,
};

static const struct cli_opt opts_dashboard[] = {
        {"out", 0, "FILE.html", false, "the page to write (required)"},
        END_OPTS,
};

const struct cli_command cli_commands[] = {
        {"setting set", "KEY VALUE", 2, 2, opts_none, "KEY VALUE",
         "Change a setting.", cmd_setting_set},
        {"setting get", "KEY", 1, 1, opts_none, "KEY", "Print a setting.",
         cmd_setting_get},
        {"group add", "NAME", 1, 1, opts_group_add, "NAME [--email ADDR]",
         "Add a group; prints its id.", cmd_group_add},
        {"group list", "", 0, 0, opts_json, "[--json]", "List the groups.",
         cmd_group_list},
        {"system add", "NAME", 1, 1, opts_system_add,
         "NAME --group GROUP [--os windows|linux|other]\n"
         "           [--sensor agent|syslog] [--agent-version V] [--mac "
         "MAC]...",
         "Add a system; prints its id.", cmd_system_add},
        {"system list", "", 0, 0, opts_system_list,
         "[--offset N] [--limit N] [--json]", "List the systems.",
         cmd_system_list},
        {"inventory load", "FILE.json", 1, 1, opts_none, "FILE.json",
         "Add or update groups and systems in bulk, all or nothing.",
         cmd_inventory_load},
        {"plugin list", "", 0, 0, opts_json, "[--json]",
         "List the plugin directory: name, version, ABI, loaded or why not.",
         cmd_plugin_list},
        {"admin", "PLUGIN ACTION [JSON | -]", 2, 3, opts_admin,
         "PLUGIN ACTION [JSON | -] [--no-wait] [--wait-seconds N]",
         "Run a plugin's admin action (request from the argument or stdin).",
         cmd_admin},
        {"report config add", "NAME", 1, 1, opts_config_add,
         "NAME --group GROUP [--publish-itglue]",
         "Add a report configuration; prints its id.", cmd_report_config_add},
        {"report config list", "", 0, 0, opts_json, "[--json]",
         "List the report configurations.", cmd_report_config_list},
        {"report config set", "NAME", 1, 1, opts_config_set,
         "NAME --publish-itglue | --no-publish-itglue",
         "Change a report configuration's publishing to IT Glue.",
         cmd_report_config_set},
        {"report generate", "", 0, 0, opts_generate,
         "(--config NAME | --group GROUP) --title T [--type TYPE]\n"
         "           --file REPORT.html [--system NAME]... [--no-wait] "
         "[--wait-seconds N]",
         "Record a generated report, print its id and tell the plugins.",
         cmd_report_generate},
        {"report list", "", 0, 0, opts_report_list,
         "[--offset N] [--limit N] [--json]", "List the generated reports.",
         cmd_report_list},
        {"tick", "", 0, 0, opts_tick,
         "[--now RFC3339] [--no-wait] [--wait-seconds N]",
         "Give the plugins one scheduler tick.", cmd_tick},
        {"run", "", 0, 0, opts_run, "[--tick-seconds N]",
         "Tick the plugins until SIGINT or SIGTERM, then stop them cleanly.",
         cmd_run},
        {"events", "", 0, 0, opts_events,
         "[--id N] [--offset N] [--limit N] [--json]", "List the event log.",
         cmd_events},
        {"kp install", "FILE.kp", 1, 1, opts_none, "FILE.kp",
         "Verify a knowledge pack and install its plugin and objects.",
         cmd_kp_install},
        {"kp list", "", 0, 0, opts_json, "[--json]",
         "List the installed knowledge packs (current and previous).",
         cmd_kp_list},
        {"kp remove", "NAME", 1, 1, opts_none, "NAME",
         "Remove a knowledge pack: its plugin file and its objects.",
         cmd_kp_remove},
        {"kp rollback", "NAME", 1, 1, opts_none, "NAME",
         "Bring back the previous version of a pack: plugin and objects.",
         cmd_kp_rollback},
        {"kp parse", "TEXT", 1, 1, opts_kp_parse, "--id N TEXT",
         "Apply the parsing rule to an event's description; prints JSON.",
         cmd_kp_parse},
        {"kp show", "NAME", 1, 1, opts_none, "NAME",
         "Print an object of the installed packs (alert, search, report, "
         "knowledge object, parsing rule, dashboard) as JSON.",
         cmd_kp_show},
        {"kp report", "NAME", 1, 1, opts_kp_report,
         "NAME [--format html|csv] [--out FILE]",
         "Render a report of the pack over the event log.", cmd_kp_report},
        {"alert list", "", 0, 0, opts_json, "[--json]",
         "List the pack's alerts and whether they are enabled.",
         cmd_alert_list},
        {"alert enable", "NAME", 1, 1, opts_none, "NAME",
         "Enable an alert: its events fire it from now on.", cmd_alert_enable},
        {"alert disable", "NAME", 1, 1, opts_none, "NAME", "Disable an alert.",
         cmd_alert_disable},
        {"alerts", "", 0, 0, opts_json, "[--json]",
         "List the alerts that fired.", cmd_alerts},
        {"search list", "", 0, 0, opts_none, "", "List the saved searches.",
         cmd_search_list},
        {"search", "NAME", 1, 1, opts_json, "NAME [--json]",
         "Run a saved search over the event log.", cmd_search},
        {"dashboard", "NAME", 1, 1, opts_dashboard, "NAME --out FILE.html",
         "Render a dashboard as a self-contained HTML page with SVG charts.",
         cmd_dashboard},
        {"console", "", 0, 0, opts_console,
         "[--listen ADDR:PORT] [--allow-host NAME]... [--allow-remote]\n"
         "           [--port-file FILE] [--tick-seconds N]",
         "Serve the web console (plain HTTP, for loopback or an SSH "
         "tunnel) and tick the plugins until SIGINT or SIGTERM; needs "
         "\"console passwd\" first.",
         cmd_console},
        {"console passwd", "", 0, 0, opts_none, "",
         "Set the console's password: asked twice on a terminal, else the "
         "first line of stdin.",
         cmd_console_passwd},
};

const size_t cli_n_commands = sizeof(cli_commands) / sizeof(cli_commands[0]);
