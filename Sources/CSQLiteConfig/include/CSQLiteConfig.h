#ifndef REMIT_CSQLITECONFIG_H
#define REMIT_CSQLITECONFIG_H

/// Turns off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS) for the whole process.
///
/// sqlite3_config() is variadic, so Swift cannot call it; this is the one call remit needs.
/// It only works before SQLite initialises (before the first connection opens); it then
/// returns SQLITE_OK (0), and SQLITE_MISUSE (21) afterwards, leaving SQLite as it was.
int remit_sqlite_disable_memstatus(void);

/// One value of a row handed to SQLite by a `remit_rows` table.
///
/// `length` says what it is: -1 an integer (`integer`), -2 NULL, 0 or more text of that many
/// bytes at `text`, which must stay valid until the statement reading it has finished.
typedef struct remit_value {
    long long integer;
    const char *text;
    int length;
} remit_value;

/// The rows a `remit_rows` virtual table yields: `count` rows of `columns` values each, row-major,
/// starting at row `start`. Filled by the caller before each statement that reads the table.
typedef struct remit_rows {
    int columns;
    long long start;
    long long count;
    const remit_value *values;
} remit_rows;

/// Registers on connection `db` an eponymous virtual table `name` with columns c0, c1, … of
/// `columns` values (1 to 64), yielding the rows of the returned `remit_rows` (empty until filled).
/// Registering the same name again replaces the table (and frees the earlier `remit_rows`).
///
/// SQLite owns the returned structure: it frees it when the module is replaced or the connection
/// closes. Returns NULL if registration failed.
remit_rows *remit_rows_register(void *db, const char *name, int columns);

#endif
