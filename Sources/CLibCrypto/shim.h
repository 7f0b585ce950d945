#ifndef PIPE_CLIBCRYPTO_SHIM_H
#define PIPE_CLIBCRYPTO_SHIM_H
// Debian's libssl-dev (OpenSSL 3 libcrypto): the EVP message digests (SHA-256, MD5) and one-shot HMAC.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif
