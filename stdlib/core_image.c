/*
** stdlib/core_image.c — std.core compiled at build time, embedded in the library.
**
** tools/mkcoreimage compiles stdlib/std/core.kl with the library's own compiler,
** checks that a VM loads and verifies the result, and writes the image that this
** file embeds (the Makefile passes its path as KILN_CORE_IMAGE). kiln_new then
** parses these class files instead of compiling std.core again at every start;
** they are verified like any other class. Built without KILN_CORE_IMAGE (as it is
** for tools/mkcoreimage itself) the image is empty and kiln_new compiles from source.
**
** Image format (little-endian): the 8 bytes "KCIMG1\0\0", a u32 class count, then
** per class a u16 name length, the name, a u32 class-file length and the class file.
*/
#include "stdlib.h"

#ifdef KILN_CORE_IMAGE
__asm__(".section .rodata\n"
        ".balign 8\n"
        ".global kiln_core_image\n"
        ".hidden kiln_core_image\n"
        "kiln_core_image:\n"
        ".incbin \"" KILN_CORE_IMAGE "\"\n"
        ".global kiln_core_image_end\n"
        ".hidden kiln_core_image_end\n"
        "kiln_core_image_end:\n"
        ".previous");
#else
__asm__(".section .rodata\n"
        ".global kiln_core_image\n"
        ".hidden kiln_core_image\n"
        "kiln_core_image:\n"
        ".global kiln_core_image_end\n"
        ".hidden kiln_core_image_end\n"
        "kiln_core_image_end:\n"
        ".previous");
#endif
