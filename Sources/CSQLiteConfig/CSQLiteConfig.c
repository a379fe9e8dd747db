#include "CSQLiteConfig.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

int remit_sqlite_disable_memstatus(void) {
    // With statistics on, every sqlite3_malloc() and sqlite3_free() takes a global mutex to keep
    // the counters; a bulk import makes millions of them. remit never reads the counters.
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

// A virtual table that yields rows the caller keeps in memory, so that one
// `INSERT ... SELECT` writes a whole chunk of rows: SQLite then keeps its cursors
// open across the rows instead of opening, seeking and closing them for every
// row of a prepared INSERT.

typedef struct rows_table {
    sqlite3_vtab base;
    const remit_rows *rows;
} rows_table;

typedef struct rows_cursor {
    sqlite3_vtab_cursor base;
    long long row;
} rows_cursor;

static int rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **error) {
    (void)argc; (void)argv; (void)error;
    const remit_rows *rows = aux;
    char sql[64 + 8 * 64];
    int used = snprintf(sql, sizeof sql, "CREATE TABLE x(");
    for (int i = 0; i < rows->columns && i < 64; i++) {
        used += snprintf(sql + used, sizeof sql - (size_t)used, i ? ", c%d" : "c%d", i);
    }
    snprintf(sql + used, sizeof sql - (size_t)used, ")");
    int rc = sqlite3_declare_vtab(db, sql);
    if (rc != SQLITE_OK) return rc;
    rows_table *table = sqlite3_malloc(sizeof *table);
    if (!table) return SQLITE_NOMEM;
    memset(table, 0, sizeof *table);
    table->rows = rows;
    *out = &table->base;
    return SQLITE_OK;
}

static int rows_disconnect(sqlite3_vtab *table) {
    sqlite3_free(table);
    return SQLITE_OK;
}

static int rows_best_index(sqlite3_vtab *table, sqlite3_index_info *info) {
    (void)table;
    info->estimatedCost = 1000;
    info->estimatedRows = 1000;
    return SQLITE_OK;
}

static int rows_open(sqlite3_vtab *table, sqlite3_vtab_cursor **out) {
    (void)table;
    rows_cursor *cursor = sqlite3_malloc(sizeof *cursor);
    if (!cursor) return SQLITE_NOMEM;
    memset(cursor, 0, sizeof *cursor);
    *out = &cursor->base;
    return SQLITE_OK;
}

static int rows_close(sqlite3_vtab_cursor *cursor) {
    sqlite3_free(cursor);
    return SQLITE_OK;
}

static const remit_rows *rows_of(sqlite3_vtab_cursor *cursor) {
    return ((const rows_table *)cursor->pVtab)->rows;
}

static int rows_filter(sqlite3_vtab_cursor *cursor, int index, const char *name, int argc, sqlite3_value **argv) {
    (void)index; (void)name; (void)argc; (void)argv;
    ((rows_cursor *)cursor)->row = rows_of(cursor)->start;
    return SQLITE_OK;
}

static int rows_next(sqlite3_vtab_cursor *cursor) {
    ((rows_cursor *)cursor)->row++;
    return SQLITE_OK;
}

static int rows_eof(sqlite3_vtab_cursor *cursor) {
    const remit_rows *rows = rows_of(cursor);
    return ((rows_cursor *)cursor)->row >= rows->count || rows->values == NULL;
}

static int rows_column(sqlite3_vtab_cursor *cursor, sqlite3_context *context, int column) {
    const remit_rows *rows = rows_of(cursor);
    const remit_value *value = &rows->values[((rows_cursor *)cursor)->row * rows->columns + column];
    if (value->length == -1) {
        sqlite3_result_int64(context, value->integer);
    } else if (value->length < 0) {
        sqlite3_result_null(context);
    } else {
        sqlite3_result_text(context, value->text, value->length, SQLITE_STATIC);
    }
    return SQLITE_OK;
}

static int rows_rowid(sqlite3_vtab_cursor *cursor, sqlite3_int64 *rowid) {
    *rowid = ((rows_cursor *)cursor)->row;
    return SQLITE_OK;
}

static const sqlite3_module rows_module = {
    .iVersion = 0,
    .xCreate = NULL,   // eponymous only: the table exists without CREATE VIRTUAL TABLE
    .xConnect = rows_connect,
    .xBestIndex = rows_best_index,
    .xDisconnect = rows_disconnect,
    .xDestroy = rows_disconnect,
    .xOpen = rows_open,
    .xClose = rows_close,
    .xFilter = rows_filter,
    .xNext = rows_next,
    .xEof = rows_eof,
    .xColumn = rows_column,
    .xRowid = rows_rowid,
};

remit_rows *remit_rows_register(void *db, const char *name, int columns) {
    if (columns < 1 || columns > 64) return NULL;
    remit_rows *rows = sqlite3_malloc(sizeof *rows);
    if (!rows) return NULL;
    memset(rows, 0, sizeof *rows);
    rows->columns = columns;
    if (sqlite3_create_module_v2(db, name, &rows_module, rows, sqlite3_free) != SQLITE_OK) return NULL;
    return rows;
}
