/*
** tests/unit/test_verifier.c — the bytecode verifier against hand-built classes.
**
** Every case builds one method (or a few) over a shared constant pool, runs
** vf_verify_class and checks either acceptance or a distinctive substring of the
** message. A final fuzz pass feeds random and mutated methods and only checks
** that the verifier answers (run it under ASan/UBSan to make that mean something).
** Prints a line per failure and ends with "N passed, N failed".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../vm/vm.h"
#include "../../verifier/verifier.h"

#define U16(x) (uint8_t)((x) & 0xff), (uint8_t)(((x) >> 8) & 0xff)
#define I32(x) (uint8_t)((uint32_t)(x) & 0xff), (uint8_t)(((uint32_t)(x) >> 8) & 0xff), \
               (uint8_t)(((uint32_t)(x) >> 16) & 0xff), (uint8_t)(((uint32_t)(x) >> 24) & 0xff)

/* Instruction shorthands. */
#define ICONST(v)   OP_ICONST, I32(v)
#define BCONST(v)   OP_BCONST, (uint8_t)(v)
#define LDC(i)      OP_LDC, U16(i)
#define LOAD(i)     OP_LOAD, U16(i)
#define STORE(i)    OP_STORE, U16(i)
#define IINC(i, d)  OP_IINC, U16(i), U16(d)
#define INVOKE(i)   OP_INVOKESTATIC, U16(i)
#define BR(op, off) OP_##op, I32(off)

static int passed, failed;

/* ---- the shared constant pool -------------------------------------------------- */

enum {
    C_HELLO = 1, C_INT = 2, C_FLOAT = 3, C_STR = 4, C_MODNAME = 5, C_MOD = 6,
    C_F_NAME = 7, C_F_DESC = 8, C_F_NT = 9, C_F = 10,          /* f(IZ)I               */
    C_G_NAME = 11, C_G_DESC = 12, C_G_NT = 13, C_G = 14,       /* g(String)V           */
    C_H_NAME = 15, C_H_DESC = 16, C_H_NT = 17, C_H = 18,       /* h(Object)t.Mod       */
    C_FIELD = 19, C_ARITHNAME = 20, C_ARITH = 21,
    C_BAD_DESC = 22, C_BAD_NT = 23, C_BAD_M = 24,              /* f(Q)V: malformed     */
    C_K_DESC = 25, C_K_NT = 26, C_K = 27,                      /* g(t.Mod)V            */
    C_BAD_STR = 28, C_GARBAGE = 29, C_BAD_CLASS = 30,
    C_N_NAME = 31, C_N_DESC = 32, C_N_NT = 33, C_N = 34,       /* n()I                 */
    C_A_DESC = 35, C_A_NT = 36, C_A = 37,                      /* g([I)[Lt.Mod;        */
    NCP = 38
};

static KConst pool[NCP];

static void utf8(int i, const char *s) {
    pool[i].tag = KCP_UTF8;
    pool[i].v.utf8.s = s;
    pool[i].v.utf8.len = (uint32_t)strlen(s);
}
static void ref(int i, uint8_t tag, uint16_t a, uint16_t b) {
    pool[i].tag = tag;
    pool[i].a = a;
    pool[i].b = b;
}

static void init_pool(void) {
    utf8(C_HELLO, "hello");
    pool[C_INT].tag = KCP_INT;      pool[C_INT].v.i = 42;
    pool[C_FLOAT].tag = KCP_FLOAT;  pool[C_FLOAT].v.f = 1.5;
    ref(C_STR, KCP_STRING, C_HELLO, 0);
    utf8(C_MODNAME, "t.Mod");
    ref(C_MOD, KCP_CLASS, C_MODNAME, 0);
    utf8(C_F_NAME, "f"); utf8(C_F_DESC, "(IZ)I");
    ref(C_F_NT, KCP_NAMETYPE, C_F_NAME, C_F_DESC); ref(C_F, KCP_METHOD, C_MOD, C_F_NT);
    utf8(C_G_NAME, "g"); utf8(C_G_DESC, "(Lstd.core.String;)V");
    ref(C_G_NT, KCP_NAMETYPE, C_G_NAME, C_G_DESC); ref(C_G, KCP_METHOD, C_MOD, C_G_NT);
    utf8(C_H_NAME, "h"); utf8(C_H_DESC, "(Lstd.core.Object;)Lt.Mod;");
    ref(C_H_NT, KCP_NAMETYPE, C_H_NAME, C_H_DESC); ref(C_H, KCP_METHOD, C_MOD, C_H_NT);
    ref(C_FIELD, KCP_FIELD, C_MOD, C_F_NT);
    utf8(C_ARITHNAME, "std.core.ArithmeticError");
    ref(C_ARITH, KCP_CLASS, C_ARITHNAME, 0);
    utf8(C_BAD_DESC, "(Q)V");
    ref(C_BAD_NT, KCP_NAMETYPE, C_F_NAME, C_BAD_DESC); ref(C_BAD_M, KCP_METHOD, C_MOD, C_BAD_NT);
    utf8(C_K_DESC, "(Lt.Mod;)V");
    ref(C_K_NT, KCP_NAMETYPE, C_G_NAME, C_K_DESC); ref(C_K, KCP_METHOD, C_MOD, C_K_NT);
    ref(C_BAD_STR, KCP_STRING, C_INT, 0);
    pool[C_GARBAGE].tag = 77;
    ref(C_BAD_CLASS, KCP_CLASS, C_INT, 0);
    utf8(C_N_NAME, "n"); utf8(C_N_DESC, "()I");
    ref(C_N_NT, KCP_NAMETYPE, C_N_NAME, C_N_DESC); ref(C_N, KCP_METHOD, C_MOD, C_N_NT);
    utf8(C_A_DESC, "([I)[Lt.Mod;");
    ref(C_A_NT, KCP_NAMETYPE, C_G_NAME, C_A_DESC); ref(C_A, KCP_METHOD, C_MOD, C_A_NT);
}

/* ---- building methods ------------------------------------------------------------ */

/* Argument slots and result kind of a well-formed descriptor (tests only). */
static void desc_info(const char *d, int is_static, uint16_t *nargs, char *ret) {
    int n = is_static ? 0 : 1;
    const char *p = d + 1;
    while (*p && *p != ')') {
        while (*p == '[') p++;
        if (*p == 'L') { while (*p && *p != ';') p++; }
        if (*p) p++;
        n++;
    }
    *nargs = (uint16_t)n;
    if (*p == ')') p++;
    *ret = (*p == '[' || *p == 'L') ? 'L' : *p ? *p : 'V';
}

static KMethod mk(const char *desc, uint16_t flags, uint16_t max_stack, uint16_t max_locals,
                  const uint8_t *code, uint32_t len) {
    KMethod m;
    memset(&m, 0, sizeof m);
    m.name = "f";
    m.desc = desc;
    m.flags = flags;
    m.max_stack = max_stack;
    m.max_locals = max_locals;
    desc_info(desc, (flags & KACC_STATIC) != 0, &m.nargs, &m.ret);
    m.code = (uint8_t *)(uintptr_t)code;
    m.code_len = len;
    return m;
}

static KClass mkclass(KMethod *ms, uint16_t n) {
    KClass c;
    memset(&c, 0, sizeof c);
    c.name = "t.Mod";
    c.flags = KACC_MODULE;
    c.cp = pool;
    c.ncp = NCP;
    c.methods = ms;
    c.nmethods = n;
    return c;
}

/* Verifies the class; expect NULL = must pass, else a substring of the error. */
static int run_class(const char *name, KClass *c, const char *expect) {
    char err[512];
    err[0] = 0;
    int r = vf_verify_class(NULL, c, err, sizeof err);
    if (getenv("VF_VERBOSE")) printf("%-50s %s\n", name, r ? err : "ok");
    if (expect == NULL) {
        if (r != 0) {
            printf("FAIL %s: rejected: %s\n", name, err);
            failed++;
            return 0;
        }
        for (uint16_t i = 0; i < c->nmethods; i++)
            if (!c->methods[i].verified) {
                printf("FAIL %s: method %u not marked verified\n", name, (unsigned)i);
                failed++;
                return 0;
            }
    } else {
        if (r == 0) {
            printf("FAIL %s: accepted, expected \"%s\"\n", name, expect);
            failed++;
            return 0;
        }
        if (!strstr(err, expect) || strncmp(err, "verify error: ", 14) != 0) {
            printf("FAIL %s: got \"%s\", expected \"%s\"\n", name, err, expect);
            failed++;
            return 0;
        }
        for (uint16_t i = 0; i < c->nmethods; i++)
            if (c->methods[i].verified) {
                printf("FAIL %s: method %u marked verified in a rejected class\n", name,
                       (unsigned)i);
                failed++;
                return 0;
            }
    }
    passed++;
    return 1;
}

static int run_m(const char *name, KMethod *m, const char *expect) {
    KClass c = mkclass(m, 1);
    return run_class(name, &c, expect);
}

/* A static method with the given descriptor, stack and locals. */
#define CASE(name, expect, desc, ms, ml, ...) do {                               \
        static const uint8_t code_[] = { __VA_ARGS__ };                          \
        KMethod m_ = mk(desc, KACC_STATIC, ms, ml, code_, sizeof code_);         \
        run_m(name, &m_, expect);                                                \
    } while (0)
#define BAD(name, expect, desc, ms, ml, ...)  CASE(name, expect, desc, ms, ml, __VA_ARGS__)
#define GOOD(name, desc, ms, ml, ...)         CASE(name, NULL, desc, ms, ml, __VA_ARGS__)

static void check(const char *name, int ok, const char *what) {
    if (ok) passed++;
    else { printf("FAIL %s: %s\n", name, what); failed++; }
}

/* ---- rejected methods ------------------------------------------------------------ */

static void bad_decoding(void) {
    BAD("unknown opcode", "unknown opcode 0xee", "()V", 0, 0, 0xee);
    BAD("truncated operand", "truncated instruction (iconst needs 5 bytes, 3 left)", "()V", 1, 0,
        OP_ICONST, 1, 0);
    BAD("falls off the end", "at pc 5: falls off the end of the code", "()V", 1, 0,
        ICONST(1), OP_POP);
    BAD("falls off after a conditional branch", "falls off the end of the code", "()V", 1, 0,
        BCONST(1), BR(IFTRUE, -2));
    BAD("branch into an operand", "at pc 0: branch target 2 is not an instruction", "()V", 0, 0,
        BR(GOTO, 2), OP_RETURN);
    BAD("branch past the end", "branch target 100 is outside the code", "()V", 0, 0,
        BR(GOTO, 100), OP_RETURN);
    BAD("branch before the start", "branch target -1 is outside the code", "()V", 0, 0,
        OP_NOP, BR(GOTO, -2), OP_RETURN);
    BAD("bconst 2", "bool constant 2 is not 0 or 1", "()V", 1, 0, BCONST(2), OP_POP, OP_RETURN);
    BAD("local index beyond max_locals", "local 5 out of range (max_locals 2)", "()V", 1, 2,
        LOAD(5), OP_POP, OP_RETURN);
    BAD("iinc beyond max_locals", "local 2 out of range", "()V", 0, 2, IINC(2, 1), OP_RETURN);
    /* Dead code is decoded too: its constants and locals must be sound. */
    BAD("dead code with a bad constant", "at pc 1: constant 1 is utf8, expected int, float or string",
        "()V", 1, 0, OP_RETURN, LDC(C_HELLO), OP_POP, OP_RETURN);
}

static void bad_constants(void) {
    BAD("ldc utf8", "constant 1 is utf8, expected int, float or string", "()V", 1, 0,
        LDC(C_HELLO), OP_POP, OP_RETURN);
    BAD("ldc class", "constant 6 is class, expected int, float or string", "()V", 1, 0,
        LDC(C_MOD), OP_POP, OP_RETURN);
    BAD("ldc index 0", "constant 0 is out of range (pool size 38)", "()V", 1, 0,
        LDC(0), OP_POP, OP_RETURN);
    BAD("ldc past the pool", "constant 99 is out of range", "()V", 1, 0,
        LDC(99), OP_POP, OP_RETURN);
    BAD("ldc unknown tag", "constant 29 is tag 77, expected", "()V", 1, 0,
        LDC(C_GARBAGE), OP_POP, OP_RETURN);
    BAD("string naming an int", "string constant 28 refers to entry 2, which is not utf8", "()V",
        1, 0, LDC(C_BAD_STR), OP_POP, OP_RETURN);
    BAD("invokestatic of a field", "constant 19 is field, expected method", "()V", 2, 0,
        ICONST(1), BCONST(1), INVOKE(C_FIELD), OP_POP, OP_RETURN);
    BAD("invokestatic of an int", "constant 2 is int, expected method", "()V", 0, 0,
        INVOKE(C_INT), OP_RETURN);
    BAD("invokestatic, malformed descriptor", "method ref 24 has a malformed descriptor \"(Q)V\"",
        "()V", 0, 0, INVOKE(C_BAD_M), OP_RETURN);
}

static void bad_types(void) {
    BAD("iadd on empty stack", "at pc 0: stack underflow (iadd needs 2, stack has 0)", "()V", 2, 0,
        OP_IADD, OP_RETURN);
    BAD("iadd int bool", "at pc 10: expected int, found bool (operand 2 of iadd)", "()V", 2, 0,
        ICONST(1), BCONST(1), OP_NOP, OP_NOP, OP_NOP, OP_IADD, OP_POP, OP_RETURN);
    BAD("iftrue on int", "expected bool, found int (operand 1 of iftrue)", "()V", 1, 0,
        ICONST(1), BR(IFTRUE, 5), OP_RETURN);
    BAD("scmpeq with an int", "expected std.core.String, found int", "()V", 2, 0,
        LDC(C_STR), ICONST(3), OP_SCMPEQ, OP_POP, OP_RETURN);
    BAD("max_stack exceeded", "at pc 5: max_stack 1 exceeded", "()V", 1, 0,
        ICONST(1), ICONST(2), OP_IADD, OP_POP, OP_RETURN);
    BAD("max_stack 0 and a call result", "max_stack 0 exceeded", "()V", 0, 0,
        INVOKE(C_N), OP_POP, OP_RETURN);
    BAD("dup on empty stack", "stack underflow (dup needs 1", "()V", 2, 0, OP_DUP, OP_RETURN);
    BAD("pop on empty stack", "stack underflow (pop needs 1", "()V", 2, 0, OP_POP, OP_RETURN);
    BAD("store on empty stack", "stack underflow (store needs 1", "()V", 2, 1, STORE(0),
        OP_RETURN);
    BAD("load before store", "at pc 0: local 1 used before assignment", "(I)V", 1, 2,
        LOAD(1), OP_POP, OP_RETURN);
    BAD("iinc on a bool", "local 0: expected int, found bool (iinc)", "(Z)V", 0, 1,
        IINC(0, 1), OP_RETURN);
    BAD("call with too few arguments", "stack underflow (invokestatic needs 2, stack has 1)",
        "()V", 2, 0, ICONST(1), INVOKE(C_F), OP_POP, OP_RETURN);
    BAD("call argument of the wrong type", "argument 2 of (IZ)I: expected bool, found int",
        "()V", 2, 0, ICONST(1), ICONST(2), INVOKE(C_F), OP_POP, OP_RETURN);
    BAD("int where String is expected", "argument 1 of (Lstd.core.String;)V: expected "
        "std.core.String, found int", "()V", 1, 0, ICONST(1), INVOKE(C_G), OP_RETURN);
    BAD("String where t.Mod is expected", "expected t.Mod, found std.core.String", "()V", 1, 0,
        LDC(C_STR), INVOKE(C_K), OP_RETURN);
    BAD("array types are named", "return value: expected int, found t.Mod[]", "([I)I", 1, 1,
        LOAD(0), INVOKE(C_A), OP_RETVAL);
    BAD("return in an int method", "return in a method that returns int", "()I", 0, 0, OP_RETURN);
    BAD("retval in a void method", "retval in a void method", "()V", 1, 0, ICONST(1), OP_RETVAL);
    BAD("retval of the wrong type", "return value: expected int, found bool", "()I", 1, 0,
        BCONST(1), OP_RETVAL);
    BAD("retval of a String for t.Mod", "return value: expected t.Mod, found std.core.String",
        "()Lt.Mod;", 1, 0, LDC(C_STR), OP_RETVAL);
    BAD("retval on an empty stack", "stack underflow (retval needs 1", "()I", 1, 0, OP_RETVAL);
}

static void bad_flow(void) {
    /* 0 bconst 1; 2 iftrue ->13; 7 iconst 1; 12 pop... no: 12 is reached with depth 1 from
    ** the fall-through and 0 from the branch. */
    BAD("stack depth mismatch", "at pc 7: stack depth mismatch at join with pc 12 (1 here, 0 there)",
        "()V", 1, 0, BCONST(1), BR(IFTRUE, 10), ICONST(1), OP_RETURN);
    /* 0 bconst; 2 iffalse ->17; 7 iconst 1; 12 goto ->19; 17 bconst 0; 19 pop; 20 return */
    BAD("stack type mismatch", "stack type mismatch at join with pc 19: slot 0 is",
        "()V", 1, 0, BCONST(1), BR(IFFALSE, 15), ICONST(1), BR(GOTO, 7), BCONST(0), OP_POP,
        OP_RETURN);
    /* 0 iconst 1; 5 nop; 6 goto ->5 */
    BAD("stack not empty at a loop header", "at pc 6: stack not empty at loop header 5 (depth 1)",
        "()V", 1, 0, ICONST(1), OP_NOP, BR(GOTO, -1));
    /* 0 bconst; 2 iffalse ->20; 7 iconst; 12 store 0; 15 goto ->25; 20 bconst; 22 store 0;
    ** 25 load 0; 28 pop; 29 return */
    BAD("local with conflicting types", "at pc 25: local 0 is unusable: its types differ at a join",
        "()V", 1, 1, BCONST(1), BR(IFFALSE, 18), ICONST(1), STORE(0), BR(GOTO, 10), BCONST(1),
        STORE(0), LOAD(0), OP_POP, OP_RETURN);
    /* 0 bconst; 2 iffalse ->15; 7 iconst; 12 store 0; 15 load 0; 18 pop; 19 return */
    BAD("local assigned on one path only", "at pc 15: local 0 used before assignment", "()V", 1, 1,
        BCONST(1), BR(IFFALSE, 13), ICONST(1), STORE(0), LOAD(0), OP_POP, OP_RETURN);
    /* A loop whose body changes a local's type: found on the second pass. 0 iconst 0;
    ** 5 store 0; 8 load 0; 11 pop; 12 bconst 1; 14 store 0; 17 goto ->8 */
    BAD("loop changes a local's type", "at pc 8: local 0 is unusable", "()V", 1, 1,
        ICONST(0), STORE(0), LOAD(0), OP_POP, BCONST(1), STORE(0), BR(GOTO, -9));
}

static void bad_headers(void) {
    static const uint8_t ret[] = { OP_RETURN };
    static const uint8_t three[] = { OP_NOP, OP_NOP, OP_RETURN };
    static const uint8_t iconst_ret[] = { ICONST(1), OP_NOP, OP_RETURN };
    KMethod m;

    m = mk("()V", KACC_STATIC | KACC_NATIVE, 0, 0, ret, 1);
    run_m("native method with code", &m, "at pc 0: native method has 1 bytes of code");
    m = mk("()V", KACC_ABSTRACT, 0, 1, ret, 1);
    run_m("abstract method with code", &m, "abstract method has 1 bytes of code");
    m = mk("()V", KACC_STATIC, 0, 0, ret, 0);
    run_m("method without code", &m, "method has no code");
    m = mk("(I", KACC_STATIC, 0, 1, ret, 1);
    m.nargs = 1; m.ret = 'V';
    run_m("unterminated descriptor", &m, "malformed method descriptor");
    m = mk("(B)V", KACC_STATIC, 0, 1, ret, 1);
    m.nargs = 1;
    run_m("byte parameter", &m, "malformed method descriptor");
    m = mk("(V)V", KACC_STATIC, 0, 1, ret, 1);
    m.nargs = 1;
    run_m("void parameter", &m, "malformed method descriptor");
    m = mk("(L;)V", KACC_STATIC, 0, 1, ret, 1);
    m.nargs = 1;
    run_m("empty class name", &m, "malformed method descriptor");
    m = mk("()VV", KACC_STATIC, 0, 1, ret, 1);
    run_m("trailing garbage in descriptor", &m, "malformed method descriptor");
    m = mk("(II)V", KACC_STATIC, 0, 1, ret, 1);
    run_m("arguments beyond max_locals", &m, "max_locals 1 is less than the 2 argument slots");
    m = mk("(I)V", 0, 0, 1, ret, 1);
    run_m("receiver counts as an argument", &m, "max_locals 1 is less than the 2 argument slots");
    m = mk("(I)V", KACC_STATIC, 0, 1, ret, 1);
    m.nargs = 3;
    run_m("nargs disagrees with the descriptor", &m, "nargs 3 does not match the descriptor");
    m = mk("()I", KACC_STATIC, 0, 1, ret, 1);
    m.ret = 'L';
    run_m("ret disagrees with the descriptor", &m, "result kind 'L' does not match the descriptor ('I')");

    KLine unsorted[] = { { 0, 1 }, { 2, 2 }, { 1, 3 } };
    m = mk("()V", KACC_STATIC, 0, 0, three, 3);
    m.lines = unsorted; m.nlines = 3;
    run_m("unsorted line table", &m, "at pc 1: line table is not sorted by pc");
    KLine past[] = { { 0, 1 }, { 3, 2 } };
    m = mk("()V", KACC_STATIC, 0, 0, three, 3);
    m.lines = past; m.nlines = 2;
    run_m("line past the end", &m, "at pc 3: line table entry 1 is past the end of the code");

    KHandler h;
    m = mk("()V", KACC_STATIC, 1, 0, three, 3);
    h = (KHandler){ 1, 1, 2, 0 };
    m.handlers = &h; m.nhandlers = 1;
    run_m("empty handler range", &m, "handler 0: bad range 1..1");
    h = (KHandler){ 0, 4, 2, 0 };
    run_m("handler range past the end", &m, "handler 0: bad range 0..4 (code length 3)");
    m = mk("()V", KACC_STATIC, 1, 0, iconst_ret, 7);
    m.handlers = &h; m.nhandlers = 1;
    h = (KHandler){ 0, 2, 5, 0 };
    run_m("handler end inside an instruction", &m, "handler 0: end 2 is not an instruction");
    h = (KHandler){ 1, 6, 5, 0 };
    run_m("handler start inside an instruction", &m, "handler 0: start 1 is not an instruction");
    h = (KHandler){ 0, 5, 3, 0 };
    run_m("handler pc inside an instruction", &m, "handler 0: handler pc 3 is not an instruction");
    h = (KHandler){ 0, 5, 6, C_INT };
    run_m("catch class is an int", &m, "handler 0: catch class 2 is int, expected class");
    h = (KHandler){ 0, 5, 6, C_BAD_CLASS };
    run_m("catch class with a bad name", &m, "handler 0: catch class 30 has a bad name");
    h = (KHandler){ 0, 5, 6, 500 };
    run_m("catch class out of range", &m, "catch class 500 is out of range");
    m.max_stack = 0;
    m.code = (uint8_t *)(uintptr_t)three; m.code_len = 3;
    h = (KHandler){ 0, 1, 2, 0 };
    run_m("handler with max_stack 0", &m, "max_stack 0 cannot hold a caught error");

    /* The handler pc is also reached by falling through with an empty stack. */
    m = mk("()V", KACC_STATIC, 1, 0, three, 3);
    h = (KHandler){ 0, 1, 1, 0 };
    m.handlers = &h; m.nhandlers = 1;
    run_m("handler entry reached with another depth", &m, "stack depth mismatch at join with pc 1");

    /* 0 iconst 1; 5 store 0; 8 bconst 1; 10 store 0; 13 return | 14 load 0; 17 pop; 18 return
    ** Covering 8..13 the handler sees int only (the locals before 8 and 10); covering 8..14
** it also sees the bool stored at 10 (the locals before 13). */
    static const uint8_t conflict[] = { ICONST(1), STORE(0), BCONST(1), STORE(0), OP_RETURN,
                                        LOAD(0), OP_POP, OP_RETURN };
    m = mk("()V", KACC_STATIC, 2, 1, conflict, sizeof conflict);
    h = (KHandler){ 8, 13, 14, 0 };
    m.handlers = &h; m.nhandlers = 1;
    run_m("handler range ends before the second store's successor", &m, NULL);
    m.verified = 0;
    h = (KHandler){ 8, 14, 14, 0 };
    m.handlers = &h; m.nhandlers = 1;
    run_m("handler sees a local's every type", &m, "at pc 14: local 0 is unusable");

    /* The caught error is not a String. 0 return | 1 invokestatic g(String)V; 4 return */
    static const uint8_t wrongcatch[] = { OP_NOP, OP_RETURN, INVOKE(C_G), OP_RETURN };
    m = mk("()V", KACC_STATIC, 1, 0, wrongcatch, sizeof wrongcatch);
    h = (KHandler){ 0, 1, 2, C_ARITH };
    m.handlers = &h; m.nhandlers = 1;
    run_m("caught error passed as a String", &m,
          "expected std.core.String, found std.core.ArithmeticError");

    /* Frames per leader are budgeted: 201 leaders x 131070 slots. */
    static uint8_t gotos[201 * 5];
    for (int i = 0; i < 200; i++) {
        gotos[i * 5] = OP_GOTO;
        gotos[i * 5 + 1] = 5;
    }
    gotos[1000] = OP_RETURN;
    m = mk("()V", KACC_STATIC, 65535, 65535, gotos, 1001);
    run_m("frame budget", &m, "method too large to verify (201 blocks of 131070 slots)");
    m = mk("()V", KACC_STATIC, 0, 0, gotos, KCF_MAX_CODE + 1);
    run_m("code over 16 MiB", &m, "code length 16777217 exceeds 16777216");
}

/* The first message names class, method, descriptor and pc exactly. */
static void message_format(void) {
    static const uint8_t code[] = { OP_NOP, OP_IADD, OP_RETURN };
    KMethod m = mk("(I)V", KACC_STATIC, 2, 1, code, sizeof code);
    m.name = "main";
    KClass c = mkclass(&m, 1);
    char err[256];
    int r = vf_verify_class(NULL, &c, err, sizeof err);
    check("message format", r == -1 && strcmp(err, "verify error: t.Mod.main (I)V at pc 1: "
          "stack underflow (iadd needs 2, stack has 0)") == 0, err);
    char tiny[8];
    r = vf_verify_class(NULL, &c, tiny, sizeof tiny);
    check("message truncated to errlen", r == -1 && strlen(tiny) == 7, "bad truncation");
    r = vf_verify_class(NULL, &c, NULL, 0);
    check("no message buffer", r == -1, "accepted");
}

/* A bad method anywhere rejects the class and leaves every method unverified. */
static void class_level(void) {
    static const uint8_t good[] = { OP_RETURN };
    static const uint8_t bad[] = { OP_POP, OP_RETURN };
    KMethod ms[3];
    ms[0] = mk("()V", KACC_STATIC, 0, 0, good, 1);
    ms[1] = mk("()V", KACC_STATIC, 0, 0, bad, 2);
    ms[1].name = "second";
    ms[2] = mk("()V", KACC_STATIC, 0, 0, good, 1);
    KClass c = mkclass(ms, 3);
    run_class("second method bad", &c, "t.Mod.second ()V at pc 0: stack underflow");
}

/* ---- accepted methods ------------------------------------------------------------ */

static void good_methods(void) {
    GOOD("just return", "()V", 0, 0, OP_RETURN);
    GOOD("constants of each kind", "()V", 1, 0, LDC(C_INT), OP_POP, LDC(C_FLOAT), OP_POP,
         LDC(C_STR), OP_POP, OP_ACONST_NULL, OP_POP, BCONST(0), OP_POP, OP_RETURN);
    /* Dead code after a return is decoded but not type-checked, and may fall off. */
    GOOD("dead code", "()V", 0, 0, OP_RETURN, OP_IADD, OP_IADD, OP_DUP, OP_POP);
    /* A dead back-edge with a non-empty stack is not a loop header. */
    GOOD("dead back-edge", "()V", 1, 0, OP_RETURN, ICONST(1), BR(GOTO, -5));
    /* 0 bconst; 2 iffalse ->15; 7 ldc str; 10 goto ->16; 15 aconst_null; 16 invoke g; 19 return */
    GOOD("join of String and null", "()V", 1, 0, BCONST(1), BR(IFFALSE, 13), LDC(C_STR),
         BR(GOTO, 6), OP_ACONST_NULL, INVOKE(C_G), OP_RETURN);
    /* 0 bconst; 2 iffalse ->15; 7 ldc str; 10 goto ->19; 15 aconst_null; 16 invoke h;
    ** 19 invoke h(Object): String and t.Mod join to Object; 22 pop; 23 return */
    GOOD("join of two classes to Object", "()V", 1, 0, BCONST(1), BR(IFFALSE, 13), LDC(C_STR),
         BR(GOTO, 9), OP_ACONST_NULL, INVOKE(C_H), INVOKE(C_H), OP_POP, OP_RETURN);
    /* Locals that disagree at a join are fine while unused. */
    GOOD("unused conflicting local", "()V", 1, 1, BCONST(1), BR(IFFALSE, 18), ICONST(1),
         STORE(0), BR(GOTO, 10), BCONST(1), STORE(0), OP_RETURN);
    /* A null local joined with a String local is a String. 0 aconst_null; 1 store 0;
    ** 4 bconst; 6 iffalse ->17; 11 ldc; 14 store 0; 17 load 0; 20 invoke g; 23 return */
    GOOD("local null joined with String", "()V", 1, 1, OP_ACONST_NULL, STORE(0), BCONST(1),
         BR(IFFALSE, 11), LDC(C_STR), STORE(0), LOAD(0), INVOKE(C_G), OP_RETURN);
    /* Values on the stack across a forward join. 0 bconst; 2 iffalse ->17; 7 iconst 1;
    ** 12 goto ->22; 17 iconst 2; 22 retval */
    GOOD("stack value across a join", "()I", 1, 0, BCONST(1), BR(IFFALSE, 15), ICONST(1),
         BR(GOTO, 10), ICONST(2), OP_RETVAL);
    GOOD("call with arguments", "(Z)I", 2, 1, ICONST(7), LOAD(0), INVOKE(C_F), OP_RETVAL);
    GOOD("arrays as values", "([I)Lstd.core.Object;", 1, 1, LOAD(0), INVOKE(C_A), OP_RETVAL);
    GOOD("null returned as a reference", "()Lt.Mod;", 1, 0, OP_ACONST_NULL, OP_RETVAL);
    GOOD("dup and scmpne", "(Lstd.core.String;)Z", 2, 1, LOAD(0), OP_DUP, OP_SCMPNE, OP_RETVAL);
    /* A branch to itself: 0 bconst 1; 2 iftrue ->0; 7 return */
    GOOD("conditional branch to the start", "()V", 1, 0, BCONST(1), BR(IFTRUE, -2), OP_RETURN);
    /* Jump forward then back into the middle: 0 goto ->6; 5 return; 6 goto ->5 */
    GOOD("backward jump to a return", "()V", 0, 0, BR(GOTO, 6), OP_RETURN, BR(GOTO, -1));
    /* An irreducible loop: two entries. 0 load 0; 3 iftrue ->15; 8 iinc 1 1; 13 nop;
    ** 14 nop; 15 iinc 1 2; 20 load 1; 23 iconst 9; 28 if_icmplt ->8; 33 return */
    GOOD("irreducible loop", "(ZI)V", 2, 2, LOAD(0), BR(IFTRUE, 12), IINC(1, 1), OP_NOP,
         OP_NOP, IINC(1, 2), LOAD(1), ICONST(9), BR(IF_ICMPLT, -20), OP_RETURN);

    KMethod m;
    static const uint8_t self[] = { LOAD(1), OP_POP, LOAD(0), OP_RETVAL };
    m = mk("(I)Lt.Mod;", 0, 1, 2, self, sizeof self);
    run_m("instance method returning this", &m, NULL);
    /* A counting loop: the header is marked, nothing else.
    ** 0 iconst 0; 5 store 0; 8 load 0; 11 iconst 10; 16 if_icmpge ->31; 21 iinc 0 1;
    ** 26 goto ->8; 31 return */
    static const uint8_t loop[] = { ICONST(0), STORE(0), LOAD(0), ICONST(10),
                                    BR(IF_ICMPGE, 15), IINC(0, 1), BR(GOTO, -18), OP_RETURN };
    m = mk("()V", KACC_STATIC, 2, 1, loop, sizeof loop);
    if (run_m("counting loop", &m, NULL)) {
        int ok = m.loop_header != NULL;
        for (uint32_t pc = 0; ok && pc < sizeof loop; pc++) ok = m.loop_header[pc] == (pc == 8);
        check("loop header recorded at pc 8 only", ok, "wrong loop_header");
    }
    static const uint8_t dead_back[] = { OP_RETURN, BR(GOTO, -1) };
    m = mk("()V", KACC_STATIC, 0, 0, dead_back, sizeof dead_back);
    if (run_m("dead goto to the start", &m, NULL))
        check("dead back-edge records no loop header", m.loop_header && !m.loop_header[0],
              "loop header from dead code");

    /* A handler over a call: catches ArithmeticError, keeps it in local 1, returns
    ** local 0 which was set before the range. 0 iconst 1; 5 store 0; 8 invoke n;
    ** 11 pop; 12 load 0; 15 retval | 16 store 1; 19 load 0; 22 retval */
    static const uint8_t handler[] = { ICONST(1), STORE(0), INVOKE(C_N), OP_POP, LOAD(0),
                                       OP_RETVAL, STORE(1), LOAD(0), OP_RETVAL };
    KHandler h = { 8, 12, 16, C_ARITH };
    m = mk("()I", KACC_STATIC, 1, 2, handler, sizeof handler);
    m.handlers = &h; m.nhandlers = 1;
    run_m("typed handler", &m, NULL);
    /* Catch-all (std.core.Error) passed as an Object; range up to code_len; two handlers
    ** share a target; lines with a repeated pc. 0 nop; 1 invoke n; 4 pop; 5 return |
    ** 6 invoke h; 9 pop; 10 return */
    static const uint8_t catchall[] = { OP_NOP, INVOKE(C_N), OP_POP, OP_RETURN,
                                        INVOKE(C_H), OP_POP, OP_RETURN };
    KHandler hs[2] = { { 1, 11, 6, 0 }, { 0, 4, 6, C_ARITH } };
    KLine lines[] = { { 0, 1 }, { 1, 2 }, { 1, 3 }, { 10, 4 } };
    m = mk("()V", KACC_STATIC, 1, 0, catchall, sizeof catchall);
    m.handlers = hs; m.nhandlers = 2;
    m.lines = lines; m.nlines = 4;
    run_m("catch-all handler, shared target, range to the end", &m, NULL);
    /* A handler over dead code only is never entered, so its body is not checked. */
    static const uint8_t deadh[] = { OP_RETURN, OP_NOP, OP_RETURN, OP_IADD, OP_RETURN };
    h = (KHandler){ 1, 2, 3, 0 };
    m = mk("()V", KACC_STATIC, 1, 0, deadh, sizeof deadh);
    m.handlers = &h; m.nhandlers = 1;
    run_m("handler over dead code", &m, NULL);

    /* Native and abstract methods beside code in one class; all marked verified. */
    static const uint8_t ret[] = { OP_RETURN };
    KMethod ms[3];
    ms[0] = mk("(Lstd.core.String;)V", KACC_STATIC | KACC_NATIVE, 0, 0, NULL, 0);
    ms[1] = mk("()I", KACC_ABSTRACT, 0, 0, NULL, 0);
    ms[2] = mk("()V", KACC_STATIC, 0, 0, ret, 1);
    KClass c = mkclass(ms, 3);
    if (run_class("native, abstract and code together", &c, NULL))
        check("no loop headers for native", ms[0].loop_header == NULL, "loop_header set");

    /* A big method: a long straight line of iinc within one loop. */
    size_t n = 200000 * 5 + 5 + 1;
    uint8_t *big = malloc(n);
    for (size_t i = 0; i < 200000; i++) {
        uint8_t ins[] = { IINC(0, 1) };
        memcpy(big + i * 5, ins, 5);
    }
    uint8_t tail[] = { BR(GOTO, -(int32_t)(200000 * 5)), OP_RETURN };
    memcpy(big + 200000 * 5, tail, 6);
    m = mk("(I)V", KACC_STATIC, 0, 1, big, (uint32_t)n);
    run_m("a million bytes of code", &m, NULL);
    free(big);
}

/* ---- robustness ------------------------------------------------------------------ */

#ifndef FUZZ_ITERS
#define FUZZ_ITERS 60000
#endif

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

/* Random bytes, random mutations of a valid method, random handlers and lines: the
** verifier must always answer, and an accepted method must have loop_header set. */
static void fuzz(void) {
    static const uint8_t seed[] = { ICONST(0), STORE(0), LOAD(0), ICONST(10),
                                    BR(IF_ICMPGE, 21), IINC(0, 1), LDC(C_STR), INVOKE(C_G),
                                    OP_ACONST_NULL, OP_POP, BR(GOTO, -24), BCONST(1),
                                    OP_RETURN };
    uint8_t code[64];
    int accepted = 0, bad = 0;
    for (long iter = 0; iter < FUZZ_ITERS; iter++) {
        uint32_t len;
        if (iter % 2) {
            len = sizeof seed;
            memcpy(code, seed, len);
            for (int k = (int)(rnd() % 3); k >= 0; k--) code[rnd() % len] = (uint8_t)rnd();
        } else {
            len = 1 + rnd() % sizeof code;
            for (uint32_t i = 0; i < len; i++)
                code[i] = (uint8_t)(rnd() % 8 ? rnd() % (OP__COUNT + 2) : rnd());
        }
        KHandler hs[3];
        KLine ls[3];
        KMethod m = mk("(I)V", KACC_STATIC, (uint16_t)(rnd() % 4), (uint16_t)(1 + rnd() % 3),
                       code, len);
        m.nhandlers = (uint16_t)(rnd() % 4 == 0 ? rnd() % 3 : 0);
        for (int i = 0; i < m.nhandlers; i++)
            hs[i] = (KHandler){ rnd() % (len + 2), rnd() % (len + 2), rnd() % (len + 2),
                                (uint16_t)(rnd() % 4 ? 0 : rnd() % (NCP + 2)) };
        m.handlers = hs;
        m.nlines = (uint16_t)(rnd() % 4);
        for (int i = 0; i < (int)m.nlines; i++) ls[i] = (KLine){ rnd() % (len + 1), 1 };
        m.lines = ls;
        KClass c = mkclass(&m, 1);
        char err[256];
        err[0] = 0;
        if (vf_verify_class(NULL, &c, err, sizeof err) == 0) {
            accepted++;
            if (!m.verified || !m.loop_header) bad++;
        } else if (strncmp(err, "verify error: t.Mod.f (I)V at pc ", 33) != 0) {
            if (bad++ < 3) printf("fuzz: odd message \"%s\"\n", err);
        }
    }
    check("fuzz: every answer well formed", bad == 0, "bad answers");
    check("fuzz: some mutants accepted", accepted > 0, "nothing accepted");
}

int main(void) {
    gc_init();
    init_pool();
    bad_decoding();
    bad_constants();
    bad_types();
    bad_flow();
    bad_headers();
    message_format();
    class_level();
    good_methods();
    fuzz();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
