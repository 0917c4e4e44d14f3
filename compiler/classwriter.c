/*
** compiler/classwriter.c — constant pool and class-file layout (docs/classfile.md).
*/
#include <string.h>

#include "../vm/bytecode.h"
#include "classwriter.h"

#define MAX_CP 65535

void kc_cw_init(Kc *c, KcCw *cw) {
    memset(cw, 0, sizeof *cw);
    cw->c = c;
    cw->count = 1;
}

static uint32_t hash_entry(const uint8_t *p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

static void rehash(KcCw *cw) {
    int ncap = cw->table_cap ? cw->table_cap * 2 : 256;
    int *nt = kc_alloc(cw->c, sizeof(int) * (size_t)ncap);
    for (int i = 1; i < cw->count; i++) {
        uint32_t h = hash_entry(cw->pool.p + cw->offs[i], cw->lens[i]);
        int k = (int)(h & (uint32_t)(ncap - 1));
        while (nt[k]) k = (k + 1) & (ncap - 1);
        nt[k] = i;
    }
    cw->table = nt;
    cw->table_cap = ncap;
}

/* Returns the index of the entry encoded as `bytes` (tag first), adding it if new. */
static int intern_entry(KcCw *cw, const uint8_t *bytes, size_t n) {
    if (cw->overflow) return 0;
    if ((cw->count + 1) * 2 > cw->table_cap) rehash(cw);
    uint32_t h = hash_entry(bytes, n);
    int k = (int)(h & (uint32_t)(cw->table_cap - 1));
    while (cw->table[k]) {
        int i = cw->table[k];
        if (cw->lens[i] == n && memcmp(cw->pool.p + cw->offs[i], bytes, n) == 0) return i;
        k = (k + 1) & (cw->table_cap - 1);
    }
    if (cw->count > MAX_CP - 1) {
        cw->overflow = 1;
        return 0;
    }
    if (cw->count >= cw->cap) {
        int ncap = cw->cap ? cw->cap * 2 : 64;
        uint32_t *no = kc_alloc(cw->c, sizeof(uint32_t) * (size_t)ncap);
        uint32_t *nl = kc_alloc(cw->c, sizeof(uint32_t) * (size_t)ncap);
        if (cw->offs) {
            memcpy(no, cw->offs, sizeof(uint32_t) * (size_t)cw->count);
            memcpy(nl, cw->lens, sizeof(uint32_t) * (size_t)cw->count);
        }
        cw->offs = no;
        cw->lens = nl;
        cw->cap = ncap;
    }
    int idx = cw->count++;
    cw->offs[idx] = (uint32_t)cw->pool.len;
    cw->lens[idx] = (uint32_t)n;
    kc_buf_put(cw->c, &cw->pool, bytes, n);
    cw->table[k] = idx;
    return idx;
}

int kc_cp_utf8(KcCw *cw, const char *s, size_t len) {
    KcBuf b = {0};
    kc_buf_u8(cw->c, &b, KCP_UTF8);
    kc_buf_u32(cw->c, &b, (uint32_t)len);
    kc_buf_put(cw->c, &b, s, len);
    return intern_entry(cw, b.p, b.len);
}

int kc_cp_int(KcCw *cw, int64_t v) {
    KcBuf b = {0};
    kc_buf_u8(cw->c, &b, KCP_INT);
    kc_buf_u64(cw->c, &b, (uint64_t)v);
    return intern_entry(cw, b.p, b.len);
}

/* An entry of `tag` whose payload is u16 indexes. */
static int ref_entry(KcCw *cw, int tag, int a, int b2, int nrefs) {
    uint8_t bytes[5] = { (uint8_t)tag, (uint8_t)a, (uint8_t)(a >> 8), (uint8_t)b2, (uint8_t)(b2 >> 8) };
    if (cw->overflow) return 0;
    return intern_entry(cw, bytes, nrefs == 1 ? 3 : 5);
}

int kc_cp_string(KcCw *cw, const char *s, size_t len) {
    int u = kc_cp_utf8(cw, s, len);
    return ref_entry(cw, KCP_STRING, u, 0, 1);
}

int kc_cp_class(KcCw *cw, const char *name) {
    int u = kc_cp_utf8(cw, name, strlen(name));
    return ref_entry(cw, KCP_CLASS, u, 0, 1);
}

int kc_cp_float(KcCw *cw, double v) {
    KcBuf b = {0};
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    kc_buf_u8(cw->c, &b, KCP_FLOAT);
    kc_buf_u64(cw->c, &b, bits);
    return intern_entry(cw, b.p, b.len);
}

static int member_ref(KcCw *cw, int tag, const char *cls, const char *name, const char *desc) {
    int k = kc_cp_class(cw, cls);
    int n = kc_cp_utf8(cw, name, strlen(name));
    int d = kc_cp_utf8(cw, desc, strlen(desc));
    int nt = ref_entry(cw, KCP_NAMETYPE, n, d, 2);
    return ref_entry(cw, tag, k, nt, 2);
}

int kc_cp_method(KcCw *cw, const char *cls, const char *name, const char *desc) {
    return member_ref(cw, KCP_METHOD, cls, name, desc);
}

int kc_cp_imethod(KcCw *cw, const char *cls, const char *name, const char *desc) {
    return member_ref(cw, KCP_IMETHOD, cls, name, desc);
}

int kc_cp_field(KcCw *cw, const char *cls, const char *name, const char *desc) {
    return member_ref(cw, KCP_FIELD, cls, name, desc);
}

void kc_cw_add_method(KcCw *cw, KcMethodOut *m) { kc_vec_push(cw->c, &cw->methods, m); }

void kc_cw_add_field(KcCw *cw, int access, const char *name, const char *desc) {
    KcFieldOut *f = kc_alloc(cw->c, sizeof *f);
    f->access = access;
    f->name = name;
    f->desc = desc;
    kc_vec_push(cw->c, &cw->fields, f);
}

void kc_cw_finish(KcCw *cw, int access, const char *name, const char *super,
                  const char *const *ifaces, int nifaces, const char *source_file,
                  uint8_t **data, size_t *len) {
    Kc *c = cw->c;
    int this_class = kc_cp_class(cw, name);
    int super_class = super ? kc_cp_class(cw, super) : 0;
    int *iidx = kc_alloc(c, sizeof(int) * (size_t)(nifaces + 1));
    for (int i = 0; i < nifaces; i++) iidx[i] = kc_cp_class(cw, ifaces[i]);
    int *fnames = kc_alloc(c, sizeof(int) * (size_t)(cw->fields.n + 1));
    int *fdescs = kc_alloc(c, sizeof(int) * (size_t)(cw->fields.n + 1));
    for (int i = 0; i < cw->fields.n; i++) {
        KcFieldOut *f = cw->fields.items[i];
        fnames[i] = kc_cp_utf8(cw, f->name, strlen(f->name));
        fdescs[i] = kc_cp_utf8(cw, f->desc, strlen(f->desc));
    }
    int sf_name = kc_cp_utf8(cw, "SourceFile", 10);
    int sf_value = kc_cp_utf8(cw, source_file, strlen(source_file));
    int *mnames = kc_alloc(c, sizeof(int) * (size_t)(cw->methods.n + 1));
    int *mdescs = kc_alloc(c, sizeof(int) * (size_t)(cw->methods.n + 1));
    for (int i = 0; i < cw->methods.n; i++) {
        KcMethodOut *m = cw->methods.items[i];
        mnames[i] = kc_cp_utf8(cw, m->name, strlen(m->name));
        mdescs[i] = kc_cp_utf8(cw, m->desc, strlen(m->desc));
    }

    KcBuf out = {0};
    kc_buf_put(c, &out, KCF_MAGIC, 4);
    kc_buf_u16(c, &out, KCF_MAJOR);
    kc_buf_u16(c, &out, KCF_MINOR);
    kc_buf_u16(c, &out, (unsigned)cw->count);
    kc_buf_put(c, &out, cw->pool.p, cw->pool.len);
    kc_buf_u16(c, &out, (unsigned)access);
    kc_buf_u16(c, &out, (unsigned)this_class);
    kc_buf_u16(c, &out, (unsigned)super_class);
    kc_buf_u16(c, &out, (unsigned)nifaces);
    for (int i = 0; i < nifaces; i++) kc_buf_u16(c, &out, (unsigned)iidx[i]);
    kc_buf_u16(c, &out, (unsigned)cw->fields.n);
    for (int i = 0; i < cw->fields.n; i++) {
        KcFieldOut *f = cw->fields.items[i];
        kc_buf_u16(c, &out, (unsigned)f->access);
        kc_buf_u16(c, &out, (unsigned)fnames[i]);
        kc_buf_u16(c, &out, (unsigned)fdescs[i]);
    }
    kc_buf_u16(c, &out, (unsigned)cw->methods.n);
    for (int i = 0; i < cw->methods.n; i++) {
        KcMethodOut *m = cw->methods.items[i];
        kc_buf_u16(c, &out, (unsigned)m->access);
        kc_buf_u16(c, &out, (unsigned)mnames[i]);
        kc_buf_u16(c, &out, (unsigned)mdescs[i]);
        kc_buf_u16(c, &out, (unsigned)m->max_stack);
        kc_buf_u16(c, &out, (unsigned)m->max_locals);
        kc_buf_u32(c, &out, (uint32_t)m->code.len);
        kc_buf_put(c, &out, m->code.p, m->code.len);
        kc_buf_u16(c, &out, (unsigned)m->nhandlers);
        kc_buf_put(c, &out, m->handlers.p, m->handlers.len);
        kc_buf_u16(c, &out, (unsigned)m->nlines);
        kc_buf_put(c, &out, m->lines.p, m->lines.len);
    }
    kc_buf_u16(c, &out, 1);                     /* attributes */
    kc_buf_u16(c, &out, (unsigned)sf_name);
    kc_buf_u32(c, &out, 2);
    kc_buf_u16(c, &out, (unsigned)sf_value);
    *data = out.p;
    *len = out.len;
}
