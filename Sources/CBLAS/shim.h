#ifndef PIPE_CBLAS_SHIM_H
#define PIPE_CBLAS_SHIM_H
// Debian's libopenblas-dev: the CBLAS interface (sgemm, sgemv, ...) plus OpenBLAS thread control.
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
