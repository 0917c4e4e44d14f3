/*
** loader/asm.h — the Kiln assembler and its inverse (docs/assembler.md).
**
** ld_assemble turns the text form of one class file (.kasm) into class-file bytes;
** ld_dis_kasm prints class-file bytes as .kasm text that ld_assemble turns back
** into the identical bytes. Neither needs a VM or the collector: memory is
** malloc'd and the caller frees what it is given.
*/
#ifndef KILN_ASM_H
#define KILN_ASM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../vm/vm.h"

/* Assembles src[0..len) (path names it in messages). Returns 0 with a malloc'd
** class file in *out / *outlen, or -1 with "PATH:LINE: message" in err. The
** output is not checked beyond what its syntax needs: bad bytecode, bad indices
** and bad flags are assembled as written (that is what the verifier tests need). */
K_FUNC int ld_assemble(const char *src, size_t len, const char *path, uint8_t **out,
                       size_t *outlen, char *err, size_t errlen);

/* Prints the class file data[0..len) as .kasm. The file should have passed
** ld_parse_class; anything that cannot be decoded is printed as a comment and
** -1 is returned (0 otherwise). */
K_FUNC int ld_dis_kasm(const uint8_t *data, size_t len, FILE *out);

#endif
