/*
** compiler/prelude.c — the text of std.core (stdlib/std/core.kl), embedded.
**
** Every compilation parses it so that user code sees std.core's declarations;
** kc_compile_prelude emits its classes for the VM to load at start.
*/
#include "kcint.h"

__asm__(".section .rodata\n"
        ".global kc_prelude_text\n"
        ".hidden kc_prelude_text\n"
        "kc_prelude_text:\n"
        ".incbin \"stdlib/std/core.kl\"\n"
        ".byte 0\n"
        ".previous");
