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

/* The source text of module `module` ("a.b" -> "a/b.kl") from the first class-path
** entry (directory or .kar) that holds it: malloc'd text (its length in *len) and
** a malloc'd path for messages in *path ("dir/a/b.kl", "x.kar!a/b.kl"); NULL when
** no entry has it. The caller frees both. */
K_FUNC char *ld_find_source(KVM *vm, const char *module, size_t *len, char **path);

/* Adds (links, verifies) a parsed class: 0 or -1 with err. */
K_FUNC int ld_define_class(KVM *vm, KClass *c, char *err, size_t errlen);

/* Classes parsed together (one compilation, the prelude) wait in a pending list
** and are defined when first looked up, so they may refer to each other in any
** order. ld_take_pending returns 1 when `name` was pending (then *out is the
** defined class, or NULL with err filled), 0 when it was not. */
K_FUNC void ld_add_pending(KVM *vm, KClass *c);
K_FUNC int  ld_take_pending(KVM *vm, const char *name, KClass **out, char *err, size_t errlen);
K_FUNC int  ld_define_pending(KVM *vm, char *err, size_t errlen);   /* all of them */
K_FUNC int  ld_valid_class_name(const char *name);

/* The main module named by the last archive manifest read, or NULL. */
K_FUNC const char *ld_main_module(KVM *vm);

/* Resolution of constant-pool entries of class `from`, cached. On failure they
** return NULL with a LinkError pending in vm->exc. The verifier guarantees the
** entry's kind, so these do not re-check it. */
K_FUNC KMethod *ld_resolve_method(KVM *vm, KClass *from, uint16_t idx);
K_FUNC KString *ld_resolve_string(KVM *vm, KClass *from, uint16_t idx);
K_FUNC KClass  *ld_resolve_class(KVM *vm, KClass *from, uint16_t idx);   /* CLASS (arrays too) */
K_FUNC KField  *ld_resolve_field(KVM *vm, KClass *from, uint16_t idx, int is_static);
/* METHOD for invokevirtual/invokespecial (instance methods; vindex set for
** virtual ones), IMETHOD for invokeinterface. */
K_FUNC KMethod *ld_resolve_instance_method(KVM *vm, KClass *from, uint16_t idx);
K_FUNC KMethod *ld_resolve_interface_method(KVM *vm, KClass *from, uint16_t idx);

/* Runs c's static initializer "<clinit>()V" if it has not run yet (a class whose
** initializer is running counts as initialised: cyclic uses see default values).
** Returns 0, or -1 with the initializer's error pending. Resolution never runs
** initializers: only executing NEW, GETSTATIC, PUTSTATIC and INVOKESTATIC does. */
K_FUNC int ld_ensure_init(KVM *vm, KClass *c);

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

/* The disassembler (.kasm text) and the assembler are in loader/asm.h. */

#endif
