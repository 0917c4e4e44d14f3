/*
** jit/jit.c — the JIT's entry points (jit/jit.h): compile a method with tier 1,
** report it, release and dump machine code.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "backend.h"
#include "jit.h"
#include "../interp/interp.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One line to the VM's error output. */
static void write_err(KVM *vm, const char *text) {
    size_t n = strlen(text);
    if (vm->cfg.write_err) vm->cfg.write_err(vm->cfg.write_userdata, text, n);
    else fputs(text, stderr);
}

/* Compiles m; osr_pc >= 0 when an interpreted loop at that header asked for it. */
static int compile(KVM *vm, KMethod *m, int64_t osr_pc) {
    if (m->jit_code) return 0;
    if (m->jit_failed) return -1;
    double t0 = now_ms();
    void *code = NULL;
    size_t size = 0;
    const char *why = jit_t1_compile(vm, m, &code, &size);
    double ms = now_ms() - t0;
    char line[512];
    const char *cname = m->cls && m->cls->name ? m->cls->name : "?";
    if (why) {
        m->jit_failed = 1;
        m->jit_reason = why;
        if (vm->cfg.trace_jit) {
            snprintf(line, sizeof line, "jit: tier1 %s.%s %s refused: %s\n", cname, m->name, m->desc,
                     why);
            write_err(vm, line);
        }
        return -1;
    }
    m->jit_code = code;
    m->jit_size = size;
    m->compile_ms = ms;
    m->tier = KTIER_1;
    m->osr_compiled = osr_pc >= 0;
    m->osr_pc = osr_pc >= 0 ? (uint32_t)osr_pc : 0;
    m->entry = jb_code_to_entry(code);
    if (vm->cfg.trace_jit) {
        char osr[48] = "";
        if (osr_pc >= 0) snprintf(osr, sizeof osr, " OSR@%u", (unsigned)osr_pc);
        snprintf(line, sizeof line,
                 "jit: tier1 %s.%s %s bytecode=%u B native=%zu B time=%.3f ms%s\n",
                 cname, m->name, m->desc, m->code_len, size, ms, osr);
        write_err(vm, line);
    }
    return 0;
}

int jit_compile(KVM *vm, KMethod *m) {
    return compile(vm, m, -1);
}

void *jit_osr_target(KVM *vm, KMethod *m, uint32_t pc) {
    if (!m->jit_code && compile(vm, m, pc) != 0) return NULL;
    const JitData *jd = m->jit_data;
    for (uint32_t i = 0; jd && i < jd->nosr; i++)
        if (jd->osr[i].pc == pc) return jd->osr[i].addr;
    return NULL;
}

KSlot jit_osr_enter(KVM *vm, KMethod *m, KSlot *locals, void *target) {
    const JitData *jd = m->jit_data;
    return jb_code_to_osr(jd->osr_entry)(vm, m, locals, target);
}

void jit_print_stats(KVM *vm, FILE *out) {
    uint64_t calls = 0, backedges = 0, osr = 0, compiled = 0, osr_compiled = 0, refused = 0;
    size_t native = 0, bytecode = 0;
    double ms = 0;
    fprintf(out, "%-44s %10s %10s %4s %6s %9s %8s  %s\n", "method", "calls", "backedges", "tier",
            "osr", "compile", "native", "note");
    for (KClass *c = vm->classes; c; c = c->next) {
        if (c->builtin) continue;
        for (int i = 0; i < c->nmethods; i++) {
            KMethod *m = &c->methods[i];
            char name[512], note[128] = "";
            snprintf(name, sizeof name, "%s.%s%s", c->name, m->name, m->desc);
            if (m->jit_failed) snprintf(note, sizeof note, "%s", m->jit_reason ? m->jit_reason : "tier 1 refused");
            else if (m->jit_code && m->osr_compiled)
                snprintf(note, sizeof note, "compiled for OSR at pc %u", (unsigned)m->osr_pc);
            fprintf(out, "%-44s %10llu %10llu %4d %6llu %7.3fms %7zuB  %s\n", name,
                    (unsigned long long)m->invocations, (unsigned long long)m->backedges, m->tier,
                    (unsigned long long)m->osr_entries, m->compile_ms, m->jit_size, note);
            calls += m->invocations;
            backedges += m->backedges;
            osr += m->osr_entries;
            if (m->jit_code) {
                compiled++;
                native += m->jit_size;
                bytecode += m->code_len;
                ms += m->compile_ms;
                if (m->osr_compiled) osr_compiled++;
            }
            if (m->jit_failed) refused++;
        }
    }
    fprintf(out, "total: %llu calls, %llu back-edges, %llu OSR entries; %llu methods compiled "
                 "(%llu for OSR), %zu B bytecode -> %zu B native in %.3f ms",
            (unsigned long long)calls, (unsigned long long)backedges, (unsigned long long)osr,
            (unsigned long long)compiled, (unsigned long long)osr_compiled, bytecode, native, ms);
    if (ms > 0) fprintf(out, " (%.0f bytecode B/ms)", (double)bytecode / ms);
    fprintf(out, "; %llu refused by tier 1\n", (unsigned long long)refused);
}

void jit_free_method(KMethod *m) {
    if (!m->jit_code) return;
    if (jb_entry_to_code(m->entry) == m->jit_code) m->entry = in_entry;
    sljit_free_code(m->jit_code, NULL);
    m->jit_code = NULL;
    m->jit_data = NULL;
    m->jit_size = 0;
    if (m->tier == KTIER_1) m->tier = KTIER_INTERP;
}

/* The full path of `prog` found on PATH, into buf; 0 or -1. */
static int find_on_path(const char *prog, char *buf, size_t n) {
    const char *path = getenv("PATH");
    if (!path) return -1;
    while (*path) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        if (len > 0 && (size_t)snprintf(buf, n, "%.*s/%s", (int)len, path, prog) < n &&
            access(buf, X_OK) == 0)
            return 0;
        if (!end) break;
        path = end + 1;
    }
    return -1;
}

/* Disassembles with objdump: only its instruction lines ("  addr:\tbytes\tinsn").
** Returns the number of lines written, or -1 when objdump could not be run. */
static int dump_objdump(const void *code, size_t size, FILE *out) {
    char objdump[1024], tmp[256], cmd[2048], line[512];
    if (!JB_OBJDUMP_ARCH || find_on_path("objdump", objdump, sizeof objdump) < 0) return -1;
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    if ((size_t)snprintf(tmp, sizeof tmp, "%s/kiln-jit-XXXXXX", dir) >= sizeof tmp) return -1;
    int fd = mkstemp(tmp);
    if (fd < 0) return -1;
    int ok = write(fd, code, size) == (ssize_t)size;
    close(fd);
    int nlines = -1;
    if (ok && (size_t)snprintf(cmd, sizeof cmd,
                               "'%s' -D -b binary -m %s --adjust-vma=0x%lx '%s' 2>/dev/null",
                               objdump, JB_OBJDUMP_ARCH, (unsigned long)(uintptr_t)code,
                               tmp) < sizeof cmd) {
        FILE *p = popen(cmd, "r");
        if (p) {
            nlines = 0;
            while (fgets(line, sizeof line, p)) {
                /* instruction lines: optional blanks, hex address, ':' then a tab */
                const char *s = line;
                while (*s == ' ') s++;
                const char *h = s;
                while ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')) s++;
                if (s > h && s[0] == ':' && s[1] == '\t') {
                    fputs(line, out);
                    nlines++;
                }
            }
            if (pclose(p) != 0 && nlines == 0) nlines = -1;
        }
    }
    unlink(tmp);
    return nlines;
}

int jit_dump(KVM *vm, KMethod *m, FILE *out) {
    (void)vm;
    if (!m->jit_code) return -1;
    const uint8_t *code = m->jit_code;
    fprintf(out, "; %s.%s %s  %zu bytes of %s at %p\n", m->cls && m->cls->name ? m->cls->name : "?",
            m->name, m->desc, m->jit_size, JB_ARCH_NAME, m->jit_code);
    fflush(out);
    if (dump_objdump(code, m->jit_size, out) > 0) return 0;
    for (size_t i = 0; i < m->jit_size; i += 16) {
        fprintf(out, "%16lx:", (unsigned long)(uintptr_t)(code + i));
        for (size_t j = i; j < i + 16 && j < m->jit_size; j++) fprintf(out, " %02x", code[j]);
        fputc('\n', out);
    }
    return 0;
}
