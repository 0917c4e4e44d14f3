/*
** vm/error.c — the one throw path, stack traces and the uncaught-error report.
**
** An error's trace is captured when it is created, from the frame chain that
** every tier maintains (vm->frame, with frame->pc current): one line per frame,
** innermost first, "  at CLASS.METHOD (FILE:LINE)".
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "vm.h"

/* Line of bytecode offset pc: the last table entry at or before pc; 0 if none. */
int vm_line_of(const KMethod *m, uint32_t pc)
{
    int line = 0;
    for (uint32_t i = 0; i < m->nlines; i++) {
        if (m->lines[i].pc > pc) break;
        line = (int)m->lines[i].line;
    }
    return line;
}

int vm_is_subclass(const KClass *c, const KClass *of)
{
    for (; c; c = c->super)
        if (c == of) return 1;
    return 0;
}

/* Growable text buffer in malloc memory, for building traces. */
typedef struct { char *p; size_t n, cap; } Buf;

static void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->n + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) return;
        b->p = p; b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void buf_fmt(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_fmt(Buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* At most this many frames in a trace; the rest are summarised in one line. */
#define TRACE_MAX 64

KString *vm_capture_trace(KVM *vm, int skip_error_inits)
{
    Buf b = {0};
    int shown = 0, skipped = 0;
    KFrame *f = vm->frame;
    /* An error made by Kiln code is created inside its constructors: start at
    ** the frame that constructed it. */
    while (skip_error_inits && f && strcmp(f->method->name, "init") == 0 &&
           vm_is_subclass(f->method->cls, vm->c_error))
        f = f->prev;
    for (; f; f = f->prev) {
        if (shown >= TRACE_MAX) { skipped++; continue; }
        KMethod *m = f->method;
        buf_fmt(&b, "  at %s.%s (%s:%d)\n", m->cls->name, m->name,
                m->cls->source_file ? m->cls->source_file : "?", vm_line_of(m, f->pc));
        shown++;
    }
    if (skipped) buf_fmt(&b, "  ... %d more\n", skipped);
    KString *s = vm_string_new(vm, b.p ? b.p : "", b.n);
    free(b.p);
    return s;
}

KSlot vm_throw(KVM *vm, KClass *cls, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t size = cls->instance_size > sizeof(KError) ? cls->instance_size : sizeof(KError);
    KError *e = gc_alloc(size);
    if (!e) { vm->exc = NULL; return 0; }
    e->hdr.cls = cls;
    e->message = vm_string_cstr(vm, msg);
    e->trace = vm_capture_trace(vm, 0);
    vm->exc = &e->hdr;
    return 0;
}

KSlot vm_throw_div_zero(KVM *vm)
{
    return vm_throw(vm, vm->c_arith_error, "division by zero");
}

KSlot vm_throw_stack_overflow(KVM *vm)
{
    return vm_throw(vm, vm->c_stack_error, "stack depth exceeded %lld calls",
                    (long long)vm->max_depth);
}

static const char *simple_name(const char *qualified)
{
    const char *dot = strrchr(qualified, '.');
    return dot ? dot + 1 : qualified;
}

char *vm_format_uncaught(KVM *vm, KObject *exc)
{
    (void)vm;
    Buf b = {0};
    if (vm_is_subclass(exc->cls, vm->c_error)) {
        KError *e = (KError *)exc;
        buf_fmt(&b, "Uncaught %s: ", simple_name(exc->cls->name));
        if (e->message) buf_add(&b, e->message->data, (size_t)e->message->len);
        buf_add(&b, "\n", 1);
        if (e->trace) buf_add(&b, e->trace->data, (size_t)e->trace->len);
    } else {
        buf_fmt(&b, "Uncaught %s\n", simple_name(exc->cls->name));
    }
    char *out = gc_strndup(b.p ? b.p : "", b.n);
    free(b.p);
    return out;
}
