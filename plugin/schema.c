/*
 * schema.c - the plugin's database schema, as forward migrations.
 *
 * To change the schema, append a row with the next version; never edit a row
 * that has shipped, since databases in the field have already applied it.
 */
#include <config.h>

#include "store.h"

const struct itg_migration itg_schema_migrations[] = {
        {1, "CREATE TABLE plugin_config ("
            " key TEXT PRIMARY KEY NOT NULL CHECK (length(key) > 0),"
            " value TEXT NOT NULL"
            ");"},
        {2, "CREATE TABLE instances ("
            " id INTEGER PRIMARY KEY,"
            " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
            " region TEXT CHECK (region IN ('us', 'eu', 'au')),"
            " url TEXT,"
            " key_sealed TEXT NOT NULL,"
            " key_masked TEXT NOT NULL,"
            " ca_file TEXT,"
            " proxy TEXT,"
            " rate_requests INTEGER NOT NULL CHECK (rate_requests > 0),"
            " rate_seconds INTEGER NOT NULL CHECK (rate_seconds > 0),"
            " test_state INTEGER NOT NULL DEFAULT -1,"
            " test_detail TEXT,"
            " test_at INTEGER NOT NULL DEFAULT 0,"
            " created_at INTEGER NOT NULL,"
            " updated_at INTEGER NOT NULL,"
            " CHECK ((region IS NULL) <> (url IS NULL))"
            ");"
            /* A group is served by one instance at most. */
            "CREATE TABLE instance_groups ("
            " instance_id INTEGER NOT NULL"
            "  REFERENCES instances (id) ON DELETE CASCADE,"
            " group_id INTEGER NOT NULL UNIQUE,"
            " PRIMARY KEY (instance_id, group_id)"
            ");"},
        /* Long work an administrator started: its state and its answer. */
        {3, "CREATE TABLE jobs ("
            " id INTEGER PRIMARY KEY,"
            " kind TEXT NOT NULL,"
            " state TEXT NOT NULL CHECK (state IN"
            "  ('queued', 'running', 'done', 'failed', 'cancelled')),"
            " result TEXT,"
            " done INTEGER NOT NULL DEFAULT 0,"
            " total INTEGER NOT NULL DEFAULT 0,"
            " created_at INTEGER NOT NULL,"
            " started_at INTEGER,"
            " finished_at INTEGER"
            ");"},
        /* IT Glue records imported for the mapping screens, by instance.
         * Ids are IT Glue's, kept as the text IT Glue sends. */
        {4, "CREATE TABLE itg_organizations ("
            " instance_id INTEGER NOT NULL"
            "  REFERENCES instances (id) ON DELETE CASCADE,"
            " id TEXT NOT NULL,"
            " name TEXT NOT NULL,"
            " short_name TEXT,"
            " type_id INTEGER,"
            " type_name TEXT,"
            " status_id INTEGER,"
            " status_name TEXT,"
            " parent_id INTEGER,"
            " updated_at TEXT,"
            " imported_at INTEGER NOT NULL,"
            " PRIMARY KEY (instance_id, id)"
            ");"
            "CREATE TABLE itg_configurations ("
            " instance_id INTEGER NOT NULL"
            "  REFERENCES instances (id) ON DELETE CASCADE,"
            " id TEXT NOT NULL,"
            " organization_id TEXT,"
            " name TEXT NOT NULL,"
            " hostname TEXT,"
            " primary_ip TEXT,"
            " mac_address TEXT,"
            " serial_number TEXT,"
            " type_id INTEGER,"
            " type_name TEXT,"
            " status_id INTEGER,"
            " status_name TEXT,"
            " archived INTEGER NOT NULL DEFAULT 0,"
            " updated_at TEXT,"
            " imported_at INTEGER NOT NULL,"
            " PRIMARY KEY (instance_id, id)"
            ");"
            "CREATE TABLE itg_configuration_interfaces ("
            " instance_id INTEGER NOT NULL,"
            " configuration_id TEXT NOT NULL,"
            " id TEXT NOT NULL,"
            " name TEXT,"
            " ip_address TEXT,"
            " mac_address TEXT,"
            " is_primary INTEGER NOT NULL DEFAULT 0,"
            " PRIMARY KEY (instance_id, id),"
            " FOREIGN KEY (instance_id, configuration_id)"
            "  REFERENCES itg_configurations (instance_id, id)"
            "  ON DELETE CASCADE"
            ");"
            "CREATE INDEX itg_configurations_by_organization"
            " ON itg_configurations (instance_id, organization_id);"},
};

const size_t itg_schema_migration_count =
        sizeof(itg_schema_migrations) / sizeof(itg_schema_migrations[0]);
