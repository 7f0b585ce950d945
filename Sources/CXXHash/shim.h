#ifndef PIPE_CXXHASH_SHIM_H
#define PIPE_CXXHASH_SHIM_H
// Debian's libxxhash-dev: XXH3-128 streaming and one-shot hashing.
#include <xxhash.h>
#if defined(__x86_64__)
// The runtime-dispatched XXH3 entry points (SSE2/AVX2/AVX-512 picked per CPU), which libxxhash exports on
// x86-64 and `xxhsum` itself uses; the plain XXH3_* symbols are the SSE2 build.
#include <xxh_x86dispatch.h>
#endif
#endif
