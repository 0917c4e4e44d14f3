/*
** gc/gc.c — the only file that calls Boehm GC.
**
** Boehm's collector is one per process: gc_init may be called by every kiln_new
** and initialises it once (GC_INIT is idempotent). Everything the VM allocates for
** Kiln lives here; scanned memory for objects with pointers, atomic (unscanned)
** memory for bytes.
*/
#define GC_THREADS
#include <gc.h>
#include <pthread.h>
#include <string.h>
#include "../vm/vm.h"

void gc_init(void)
{
    GC_INIT();
}

void *gc_alloc(size_t n)
{
    return GC_MALLOC(n);            /* zeroed */
}

void *gc_alloc_atomic(size_t n)
{
    void *p = GC_MALLOC_ATOMIC(n);
    if (p) memset(p, 0, n);
    return p;
}

void *gc_alloc_root(size_t n)
{
    return GC_MALLOC_UNCOLLECTABLE(n);
}

void gc_free_root(void *p)
{
    GC_FREE(p);
}

char *gc_strndup(const char *s, size_t n)
{
    char *p = GC_MALLOC_ATOMIC(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *gc_strdup(const char *s)
{
    return gc_strndup(s, strlen(s));
}

size_t gc_heap_size(void)
{
    return GC_get_heap_size();
}

size_t gc_collections(void)
{
    return (size_t)GC_get_gc_no();
}

/* Runs fn(arg) on a new thread with a stack of `size` bytes, registered with the
** collector, and waits for it. Returns 0, or -1 if the thread could not start
** (then fn was not run). Used so deep Kiln recursion has room on the C stack. */
typedef struct { void (*fn)(void *); void *arg; } Thunk;

static void *thunk_main(void *p)
{
    Thunk *t = p;
    t->fn(t->arg);
    return NULL;
}

int gc_run_with_stack(size_t size, void (*fn)(void *), void *arg)
{
    pthread_attr_t a;
    pthread_t th;
    Thunk t = { fn, arg };
    if (pthread_attr_init(&a) != 0) return -1;
    if (pthread_attr_setstacksize(&a, size) != 0 || pthread_create(&th, &a, thunk_main, &t) != 0) {
        pthread_attr_destroy(&a);
        return -1;
    }
    pthread_attr_destroy(&a);
    pthread_join(th, NULL);
    return 0;
}
