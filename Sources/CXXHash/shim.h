#ifndef PIPE_CXXHASH_SHIM_H
#define PIPE_CXXHASH_SHIM_H
// Debian's libxxhash-dev: XXH3-128 streaming and one-shot hashing.
#include <xxhash.h>
#endif
