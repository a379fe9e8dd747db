#ifndef REMIT_CSQLITECONFIG_H
#define REMIT_CSQLITECONFIG_H

/// Turns off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS) for the whole process.
///
/// sqlite3_config() is variadic, so Swift cannot call it; this is the one call remit needs.
/// It only works before SQLite initialises (before the first connection opens); it then
/// returns SQLITE_OK (0), and SQLITE_MISUSE (21) afterwards, leaving SQLite as it was.
int remit_sqlite_disable_memstatus(void);

#endif
