/*
** loader/loader.h — class files in, runtime classes out.
**
** ld_parse_class reads a class file completely (every length, count and index
** checked against the buffer) into a KClass; nothing is linked or run. Classes are
** found by name through vm->classes, then the class path (directories, .kar
** archives), then parsed, linked (superclass) and verified before first use.
** Constant-pool entries are resolved lazily and cached in KConst.resolved.
*/
#ifndef KILN_LOADER_H
#define KILN_LOADER_H

#include "../vm/vm.h"

/* Parses `len` bytes. On failure returns NULL and writes a one-line message
** "ORIGIN: <reason> at offset N" into err. */
K_FUNC KClass *ld_parse_class(KVM *vm, const uint8_t *data, size_t len, const char *origin,
                              char *err, size_t errlen);

/* Finds a loaded class or loads, links and verifies it from the class path.
** On failure returns NULL with err filled (may be NULL: then no message). */
K_FUNC KClass *ld_find_class(KVM *vm, const char *name, char *err, size_t errlen);

/* Adds a class-path entry (directory, .kar, or .klc file). Returns 0 or -1 with err. */
K_FUNC int ld_add_path(KVM *vm, const char *path, char *err, size_t errlen);

/* Adds (links, verifies) a parsed class: 0 or -1 with err. */
K_FUNC int ld_define_class(KVM *vm, KClass *c, char *err, size_t errlen);

/* The main module named by the last archive manifest read, or NULL. */
K_FUNC const char *ld_main_module(KVM *vm);

/* Resolution of constant-pool entries of class `from`, cached. On failure they
** return NULL with a LinkError pending in vm->exc. The verifier guarantees the
** entry's kind, so these do not re-check it. */
K_FUNC KMethod *ld_resolve_method(KVM *vm, KClass *from, uint16_t idx);
K_FUNC KString *ld_resolve_string(KVM *vm, KClass *from, uint16_t idx);

/* Member reference helpers: class name, member name and descriptor of a
** FIELD/METHOD/IMETHOD entry (pointers into the constant pool). */
K_FUNC void ld_member_ref(const KClass *c, uint16_t idx, const char **cls, const char **name,
                          const char **desc);

/* Closes archives and frees class-path entries (kiln_free). */
K_FUNC void ld_close(KVM *vm);

/* Writes an archive of class files (names are qualified class names) with a
** manifest naming main_module. Returns 0, or -1 with err. */
K_FUNC int ld_write_archive(const char *path, const char *const *names, const uint8_t *const *data,
                            const size_t *lens, int n, const char *main_module,
                            char *err, size_t errlen);

/* Calls fn for every class entry (*.klc) of the archive at path, in archive
** order; stops at the first nonzero return, which it returns. -1 with err if
** the archive cannot be read. */
K_FUNC int ld_archive_each(const char *path,
                           int (*fn)(void *ud, const char *entry, const uint8_t *data, size_t len),
                           void *ud, char *err, size_t errlen);

/* Writes a readable disassembly of the class (constant pool, members, code). */
K_FUNC void ld_disassemble(KClass *c, FILE *out);

#endif
