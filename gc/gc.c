/*
** gc/gc.c — the only file that calls Boehm GC.
**
** Boehm's collector is one per process: gc_init may be called by every kiln_new
** and initialises it once (GC_INIT is idempotent). Everything the VM allocates for
** Kiln lives here; scanned memory for objects with pointers, atomic (unscanned)
** memory for bytes.
**
** Also here, for the embedding API (vm/api.h): Kiln objects are allocated per VM
** (gc_new_obj/gc_new_atomic) and counted against the VM's heap limit, with an
** exact recount of its live objects after a full collection; host objects'
** finalizers (Boehm runs finalizers only on demand, see gc_run_host_finalizers);
** registration of host threads. The one static here is the finalization lock,
** process-wide like the collector whose queue it guards.
*/
#define GC_THREADS
#include <gc.h>
#include <gc/gc_mark.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "../vm/api.h"

#define INITIAL_HEAP ((size_t)4 << 20)

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_collector(void)
{
    if (!GC_is_init_called()) GC_INIT();
    GC_allow_register_threads();
    GC_set_finalize_on_demand(1);
    /* Boehm starts with a 64 KB heap and collects (stopping the world and waking its
    ** marker thread) while a VM starts: a hello world took 7-14 ms instead of 7.
    ** Starting with 4 MB (address space; pages are touched as they are used, peak
    ** RSS did not change) avoids that. GC_INITIAL_HEAP_SIZE, when set, wins. */
    if (!getenv("GC_INITIAL_HEAP_SIZE") && GC_get_heap_size() < INITIAL_HEAP)
        GC_expand_hp(INITIAL_HEAP - GC_get_heap_size());
}

/* Idempotent and thread-safe; the first call should come from the main thread
** (kiln_new, or gc_run_with_stack for the CLI). Threads the host makes itself may
** then register (kiln_thread_attach); finalizers run only when
** gc_run_host_finalizers asks, never inside Kiln code. */
void gc_init(void)
{
    pthread_once(&init_once, init_collector);
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
    gc_init();                      /* before GC_pthread_create initialises it implicitly */
    if (pthread_attr_init(&a) != 0) return -1;
    if (pthread_attr_setstacksize(&a, size) != 0 || pthread_create(&th, &a, thunk_main, &t) != 0) {
        pthread_attr_destroy(&a);
        return -1;
    }
    pthread_attr_destroy(&a);
    pthread_join(th, NULL);
    return 0;
}

/* The buffer escapes into an empty asm statement that claims to read memory, so
** the stores cannot be dropped as dead (a plain memset of a local array was: gcc
** removed the whole call). noinline puts the buffer below the caller's frame. */
void __attribute__((noinline)) gc_scrub_stack(void)
{
    char junk[64 << 10];
    memset(junk, 0, sizeof junk);
    __asm__ volatile("" : : "r"(junk) : "memory");
}

/* ---- the embedding API: per-VM heap limit ----------------------------------
**
** Boehm's heap is one per process, so a VM's limit needs our own accounting.
** Every Kiln object a VM allocates goes through gc_new_obj/gc_new_atomic, which
** add its size to api->heap_used. Past the limit, the slow path runs a full
** collection and recounts: it walks the objects the collection marked
** (GC_enumerate_reachable_objects_inner) and adds up those whose first word is
** one of this VM's classes — every Kiln object starts with its class pointer,
** and classes are never shared between VMs. That count is exact for the VM's
** live objects at that moment (a non-object block whose first word happens to
** be one of the VM's class pointers, e.g. an interfaces array, counts too: it
** is VM data anyway). If live bytes plus the request still pass the limit, the
** allocation fails with OutOfMemoryError; otherwise the count restarts from the
** live bytes. A program near its limit so collects more often, never more
** than once per allocated (limit - live) bytes. */

typedef struct {
    KClass **set;         /* open-addressing set of the VM's classes */
    size_t   mask;
    size_t   live;
} Count;

static size_t ptr_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29; x *= 0xbf58476d1ce4e5b9ull; x ^= x >> 32;
    return (size_t)x;
}

static void count_object(void *obj, size_t bytes, void *cd)
{
    Count *c = cd;
    if (bytes < sizeof(KObject)) return;
    KClass *k = *(KClass **)obj;
    if (!k) return;
    for (size_t i = ptr_hash(k) & c->mask; c->set[i]; i = (i + 1) & c->mask)
        if (c->set[i] == k) { c->live += bytes; return; }
}

static void *count_locked(void *cd)
{
    GC_enumerate_reachable_objects_inner(count_object, cd);
    return NULL;
}

/* Live bytes of vm's objects after a full collection, or (size_t)-1 if the
** class set cannot be built (then the caller trusts its running count). */
static size_t recount(KVM *vm)
{
    gc_scrub_stack();                   /* the collection's own frames start clean */
    size_t n = 0;
    for (KClass *k = vm->classes; k; k = k->next) n++;
    size_t cap = 16;
    while (cap < n * 2 + 2) cap *= 2;
    Count c = { calloc(cap, sizeof(KClass *)), cap - 1, 0 };
    if (!c.set) return (size_t)-1;
    for (KClass *k = vm->classes; k; k = k->next) {
        size_t i = ptr_hash(k) & c.mask;
        while (c.set[i]) i = (i + 1) & c.mask;
        c.set[i] = k;
    }
    GC_gcollect();
    GC_call_with_alloc_lock(count_locked, &c);
    free(c.set);
    return c.live;
}

static void throw_oom(KVM *vm, size_t n)
{
    KApi *a = vm->api;
    if (vm->exc) return;
    a->scrub = 1;                       /* see api_leave */
    a->heap_counting = 1;               /* the error's own allocations are not limited */
    if (a->c_oom)
        vm_throw(vm, a->c_oom, "heap limit of %zu bytes reached (%zu live, %zu requested)",
                 a->heap_limit, a->heap_used, n);
    a->heap_counting = 0;
    if (!vm->exc) vm->exc = a->oom_error;
}

/* The limit's slow path: 0 if n more bytes fit after a collection, else -1 with
** OutOfMemoryError pending. */
static int over_limit(KVM *vm, size_t n)
{
    KApi *a = vm->api;
    a->heap_counting = 1;
    size_t live = recount(vm);
    a->heap_counting = 0;
    if (live != (size_t)-1) a->heap_used = live;
    if (a->heap_used + n <= a->heap_limit) { a->heap_used += n; return 0; }
    throw_oom(vm, n);
    return -1;
}

static inline int charge(KVM *vm, size_t n)
{
    KApi *a = vm->api;
    if (!a || !a->heap_limit || a->heap_counting) return 0;
    if (a->heap_used + n <= a->heap_limit) { a->heap_used += n; return 0; }
    return over_limit(vm, n);
}

void *gc_new_obj(KVM *vm, size_t n)
{
    if (charge(vm, n)) return NULL;
    void *p = GC_MALLOC(n);
    if (!p && vm->api) throw_oom(vm, n);
    return p;
}

void *gc_new_atomic(KVM *vm, size_t n)
{
    if (charge(vm, n)) return NULL;
    void *p = GC_MALLOC_ATOMIC(n);
    if (p) memset(p, 0, n);
    else if (vm->api) throw_oom(vm, n);
    return p;
}

/* ---- host objects: finalizers ------------------------------------------------
**
** Boehm runs finalizers only when asked (gc_init sets finalize-on-demand), and
** only gc_run_host_finalizers asks, under fin_lock. Boehm's callback moves the
** record from its VM's live list to its ready list; the VM then calls the host's
** finalizers on its own thread, outside the lock and outside Kiln code. The lock
** is process-wide like the collector it guards (Boehm's finalization queue is one
** per process); it holds no VM state. */

static pthread_mutex_t fin_lock = PTHREAD_MUTEX_INITIALIZER;

static void GC_CALLBACK host_finalized(void *obj, void *cd)
{
    (void)obj;
    KHostRec *r = cd;
    if (!r->vm) { free(r); return; }    /* kiln_free already ran it */
    KApi *a = r->vm->api;
    if (r->prev) r->prev->next = r->next; else a->host_live = r->next;
    if (r->next) r->next->prev = r->prev;
    r->prev = NULL;
    r->next = a->host_ready;
    a->host_ready = r;
}

void gc_host_register(KVM *vm, KObject *obj, KHostRec *r)
{
    KApi *a = vm->api;
    pthread_mutex_lock(&fin_lock);
    r->vm = vm;
    r->obj = obj;
    r->prev = NULL;
    r->next = a->host_live;
    if (a->host_live) a->host_live->prev = r;
    a->host_live = r;
    GC_REGISTER_FINALIZER(obj, host_finalized, r, NULL, NULL);
    pthread_mutex_unlock(&fin_lock);
}

void gc_run_host_finalizers(KVM *vm)
{
    KApi *a = vm->api;
    pthread_mutex_lock(&fin_lock);
    if (GC_should_invoke_finalizers()) GC_invoke_finalizers();
    KHostRec *r = a->host_ready;
    a->host_ready = NULL;
    pthread_mutex_unlock(&fin_lock);
    while (r) {
        KHostRec *next = r->next;
        if (r->fin) r->fin(r->ptr, r->ud);
        free(r);
        r = next;
    }
}

void gc_host_release_all(KVM *vm)
{
    KApi *a = vm->api;
    gc_run_host_finalizers(vm);
    pthread_mutex_lock(&fin_lock);
    KHostRec *r = a->host_live;
    a->host_live = NULL;
    /* Unregister each finalizer (atomic in Boehm). If it was still registered the
    ** record is ours to free; if a collection has already queued it, Boehm's
    ** callback runs later and frees the record, which waits with vm = NULL. The
    ** host's finalizers run under the lock: they must not call into Kiln anyway. */
    while (r) {
        KHostRec *next = r->next;
        GC_finalization_proc old = 0;
        void *old_cd = NULL;
        GC_REGISTER_FINALIZER(r->obj, 0, 0, &old, &old_cd);
        if (r->fin) r->fin(r->ptr, r->ud);
        if (old_cd == r) free(r);
        else r->vm = NULL;
        r = next;
    }
    pthread_mutex_unlock(&fin_lock);
}

void gc_collect(KVM *vm)
{
    GC_gcollect();
    gc_run_host_finalizers(vm);
}

/* ---- threads ----------------------------------------------------------------- */

int gc_initialised(void)
{
    return GC_is_init_called();
}

int gc_thread_attach(void)
{
    if (!GC_is_init_called()) return -1;
    if (GC_thread_is_registered()) return 0;
    struct GC_stack_base sb;
    if (GC_get_stack_base(&sb) != GC_SUCCESS) return -1;
    int rc = GC_register_my_thread(&sb);
    return rc == GC_SUCCESS || rc == GC_DUPLICATE ? 0 : -1;
}

void gc_thread_detach(void)
{
    if (GC_is_init_called() && GC_thread_is_registered()) GC_unregister_my_thread();
}

size_t gc_object_size(const void *p)
{
    return GC_size(p);
}
