// System zlib, used by `Tasks` to read gzip-compressed dataset files (IDX `.gz`).
#include <zlib.h>
