#include "CSQLiteConfig.h"

#include <sqlite3.h>

int remit_sqlite_disable_memstatus(void) {
    // With statistics on, every sqlite3_malloc() and sqlite3_free() takes a global mutex to keep
    // the counters; a bulk import makes millions of them. remit never reads the counters.
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
