// libFuzzer's driver entry point, from the runtime that `-sanitize=fuzzer` links in.
//
// SwiftPM links an executable target's `main` to the module's own entry point, so the fuzz targets
// keep a top-level `main.swift` that hands over to libFuzzer here, instead of relying on the
// runtime's `main` (which `-parse-as-library` would need, and SwiftPM on Linux does not allow).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
