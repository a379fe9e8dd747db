// The system zlib (Debian's zlib1g-dev), for inflating ZIP entries and their CRC-32.
#include <zlib.h>
