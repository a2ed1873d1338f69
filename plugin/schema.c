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
};

const size_t itg_schema_migration_count =
        sizeof(itg_schema_migrations) / sizeof(itg_schema_migrations[0]);
