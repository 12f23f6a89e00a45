/* ipc_buffer.c — the thread-local IPC-buffer pointer every libsel4 stub uses (declared in
 * sel4/functions.h). Each thread's copy lives in its own static TLS block. */
#include <sel4/functions.h>

__thread seL4_IPCBuffer *__sel4_ipc_buffer;
