/*
** tests/unit/test_verifier_obj.c — the verifier's object model: the class
** hierarchy, fields, methods, arrays, closures, errors and stack shuffles.
**
** A VM holds hand-built fixture classes (added with vm_add_class, so they are found
** by name without a class path):
**
**   m.Shape      abstract; fields sides:I, count:I static, secret:I private,
**                id:I let; methods init()V, area()F abstract, describe()String,
**                helper()V private, make()m.Shape static
**   m.Circle     extends m.Shape implements m.Comparable; r:F; init(F)V, area()F
**   m.Square     extends m.Shape implements m.Comparable; init()V
**   m.Leaf       final, extends Object; init()V
**   m.I          interface: run()V;  m.J interface extends m.I
**   m.Runner     implements m.J
**   m.Comparable interface: compareTo(Object)I
**   m.MyError    extends std.core.Error; init()V
**   m.Util       module: static f(I)I, g(m.Shape)V, add(II)I, inst()V (instance)
**   m.Consts     K:I static let, V:m.Shape static
**
** Each case verifies one method of a class m.T (extends m.Shape; fields x:I let,
** p:I private, k:I static let; a private method priv()V) against a shared constant pool, and
** checks acceptance or a distinctive part of the message. Ends with
** "N passed, N failed".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../vm/vm.h"
#include "../../loader/loader.h"
#include "../../verifier/verifier.h"

#define U16(x) (uint8_t)((x) & 0xff), (uint8_t)(((x) >> 8) & 0xff)
#define I32(x) (uint8_t)((uint32_t)(x) & 0xff), (uint8_t)(((uint32_t)(x) >> 8) & 0xff), \
               (uint8_t)(((uint32_t)(x) >> 16) & 0xff), (uint8_t)(((uint32_t)(x) >> 24) & 0xff)

#define ICONST(v)   OP_ICONST, I32(v)
#define BCONST(v)   OP_BCONST, (uint8_t)(v)
#define LDC(i)      OP_LDC, U16(i)
#define LOAD(i)     OP_LOAD, U16(i)
#define STORE(i)    OP_STORE, U16(i)
#define BR(op, off) OP_##op, I32(off)
#define CP(op, i)   OP_##op, U16(i)
#define CPU8(op, i, n) OP_##op, U16(i), (uint8_t)(n)

static int passed, failed;
static KVM *vm;

/* ---- the constant pool ------------------------------------------------------------ */

static KConst pool[512];
static int npool = 1;

static int utf(const char *s) {
    pool[npool].tag = KCP_UTF8;
    pool[npool].v.utf8.s = s;
    pool[npool].v.utf8.len = (uint32_t)strlen(s);
    return npool++;
}
static int ent(uint8_t tag, int a, int b) {
    pool[npool].tag = tag;
    pool[npool].a = (uint16_t)a;
    pool[npool].b = (uint16_t)b;
    return npool++;
}
static int cls(const char *name) { return ent(KCP_CLASS, utf(name), 0); }
static int member(uint8_t tag, int c, const char *name, const char *desc) {
    return ent(tag, c, ent(KCP_NAMETYPE, utf(name), utf(desc)));
}

static int C_OBJECT, C_STRING, C_ERROR, C_SHAPE, C_CIRCLE, C_SQUARE, C_LEAF, C_I, C_J,
    C_RUNNER, C_COMP, C_MYERR, C_UTIL, C_CONSTS, C_NOPE, C_T, C_FUNCTION, C_ARR_I, C_ARR_B,
    C_ARR_SHAPE, C_ARR_CIRCLE, C_ARR_II, C_ARR_STR, C_BADARR, C_INDEXERR;
static int F_SIDES, F_COUNT, F_SECRET, F_ID, F_R, F_CIRCLE_SIDES, F_NOPE, F_K, F_V, F_T_X,
    F_T_P, F_SIDES_WRONG_DESC;
static int M_AREA, M_DESCRIBE, M_SHAPE_INIT, M_CIRCLE_INIT, M_SQUARE_INIT, M_LEAF_INIT,
    M_HELPER, M_MAKE, M_F, M_G, M_ADD, M_INST, M_NOPE, M_CIRCLE_AREA, M_T_PRIV, M_I_RUN_VIRT,
    M_MYERR_INIT, M_CIRCLE_DESCRIBE, M_CLINIT, M_SHAPE_INIT_STATIC;
static int IM_RUN, IM_J_RUN, IM_COMPARE, IM_SHAPE_AREA;
static int U_II, U_V, U_BAD, S_HELLO, K_INT;

static void init_pool(void) {
    C_OBJECT = cls("std.core.Object");
    C_STRING = cls("std.core.String");
    C_ERROR = cls("std.core.Error");
    C_INDEXERR = cls("std.core.IndexError");
    C_FUNCTION = cls("std.core.Function");
    C_SHAPE = cls("m.Shape");
    C_CIRCLE = cls("m.Circle");
    C_SQUARE = cls("m.Square");
    C_LEAF = cls("m.Leaf");
    C_I = cls("m.I");
    C_J = cls("m.J");
    C_RUNNER = cls("m.Runner");
    C_COMP = cls("m.Comparable");
    C_MYERR = cls("m.MyError");
    C_UTIL = cls("m.Util");
    C_CONSTS = cls("m.Consts");
    C_NOPE = cls("m.Nope");
    C_T = cls("m.T");
    C_ARR_I = cls("[I");
    C_ARR_B = cls("[B");
    C_ARR_SHAPE = cls("[Lm.Shape;");
    C_ARR_CIRCLE = cls("[Lm.Circle;");
    C_ARR_II = cls("[[I");
    C_ARR_STR = cls("[Lstd.core.String;");
    C_BADARR = cls("[Q");

    F_SIDES = member(KCP_FIELD, C_SHAPE, "sides", "I");
    F_COUNT = member(KCP_FIELD, C_SHAPE, "count", "I");
    F_SECRET = member(KCP_FIELD, C_SHAPE, "secret", "I");
    F_ID = member(KCP_FIELD, C_SHAPE, "id", "I");
    F_R = member(KCP_FIELD, C_CIRCLE, "r", "F");
    F_CIRCLE_SIDES = member(KCP_FIELD, C_CIRCLE, "sides", "I");
    F_NOPE = member(KCP_FIELD, C_SHAPE, "nope", "I");
    F_K = member(KCP_FIELD, C_CONSTS, "K", "I");
    F_V = member(KCP_FIELD, C_CONSTS, "V", "Lm.Shape;");
    F_T_X = member(KCP_FIELD, C_T, "x", "I");
    F_T_P = member(KCP_FIELD, C_T, "p", "I");
    F_SIDES_WRONG_DESC = member(KCP_FIELD, C_SHAPE, "sides", "F");

    M_AREA = member(KCP_METHOD, C_SHAPE, "area", "()F");
    M_DESCRIBE = member(KCP_METHOD, C_SHAPE, "describe", "()Lstd.core.String;");
    M_CIRCLE_DESCRIBE = member(KCP_METHOD, C_CIRCLE, "describe", "()Lstd.core.String;");
    M_SHAPE_INIT = member(KCP_METHOD, C_SHAPE, "init", "()V");
    M_SHAPE_INIT_STATIC = member(KCP_METHOD, C_SHAPE, "init", "()V");
    M_CIRCLE_INIT = member(KCP_METHOD, C_CIRCLE, "init", "(F)V");
    M_SQUARE_INIT = member(KCP_METHOD, C_SQUARE, "init", "()V");
    M_LEAF_INIT = member(KCP_METHOD, C_LEAF, "init", "()V");
    M_MYERR_INIT = member(KCP_METHOD, C_MYERR, "init", "()V");
    M_HELPER = member(KCP_METHOD, C_SHAPE, "helper", "()V");
    M_MAKE = member(KCP_METHOD, C_SHAPE, "make", "()Lm.Shape;");
    M_F = member(KCP_METHOD, C_UTIL, "f", "(I)I");
    M_G = member(KCP_METHOD, C_UTIL, "g", "(Lm.Shape;)V");
    M_ADD = member(KCP_METHOD, C_UTIL, "add", "(II)I");
    M_INST = member(KCP_METHOD, C_UTIL, "inst", "()V");
    M_NOPE = member(KCP_METHOD, C_SHAPE, "nope", "()V");
    M_CIRCLE_AREA = member(KCP_METHOD, C_CIRCLE, "area", "()F");
    M_T_PRIV = member(KCP_METHOD, C_T, "priv", "()V");
    M_I_RUN_VIRT = member(KCP_METHOD, C_I, "run", "()V");
    M_CLINIT = member(KCP_METHOD, C_SHAPE, "<clinit>", "()V");
    IM_RUN = member(KCP_IMETHOD, C_I, "run", "()V");
    IM_J_RUN = member(KCP_IMETHOD, C_J, "run", "()V");
    IM_COMPARE = member(KCP_IMETHOD, C_COMP, "compareTo", "(Lstd.core.Object;)I");
    IM_SHAPE_AREA = member(KCP_IMETHOD, C_SHAPE, "area", "()F");

    U_II = utf("(I)I");
    U_V = utf("()V");
    U_BAD = utf("(I");
    S_HELLO = ent(KCP_STRING, utf("hello"), 0);
    K_INT = npool;
    pool[npool].tag = KCP_INT;
    pool[npool++].v.i = 7;
}

/* ---- fixture classes ------------------------------------------------------------- */

static KClass *fixture(const char *name, const char *super, uint16_t flags, const char *iface) {
    KClass *c = gc_alloc(sizeof *c);
    c->name = name;
    c->flags = flags;
    c->super_name = super;
    c->super = super ? vm_find_class(vm, super) : NULL;
    c->source_file = "fixture";
    c->fields = gc_alloc(8 * sizeof(KField));
    c->methods = gc_alloc(8 * sizeof(KMethod));
    if (iface) {
        c->ninterfaces = 1;
        c->interface_names = gc_alloc(sizeof(char *));
        c->interface_names[0] = iface;
    }
    c->linked = 1;
    vm_add_class(vm, c);
    return c;
}
static void field(KClass *c, const char *name, const char *desc, uint16_t flags) {
    KField *f = &c->fields[c->nfields++];
    f->name = name;
    f->desc = desc;
    f->flags = flags;
    f->owner = c;
}
static void method(KClass *c, const char *name, const char *desc, uint16_t flags) {
    KMethod *m = &c->methods[c->nmethods++];
    m->cls = c;
    m->name = name;
    m->desc = desc;
    m->flags = flags | ((flags & KACC_ABSTRACT) ? 0 : KACC_NATIVE);
    m->nargs = (uint16_t)(vm_desc_nargs(desc) + ((flags & KACC_STATIC) ? 0 : 1));
    m->ret = vm_desc_ret(desc);
    m->verified = 1;
}

static void init_classes(void) {
    KClass *c;
    c = fixture("m.Comparable", "std.core.Object", KACC_INTERFACE | KACC_ABSTRACT, NULL);
    method(c, "compareTo", "(Lstd.core.Object;)I", KACC_ABSTRACT);
    c = fixture("m.I", "std.core.Object", KACC_INTERFACE | KACC_ABSTRACT, NULL);
    method(c, "run", "()V", KACC_ABSTRACT);
    fixture("m.J", "std.core.Object", KACC_INTERFACE | KACC_ABSTRACT, "m.I");
    c = fixture("m.Runner", "std.core.Object", 0, "m.J");
    method(c, "run", "()V", 0);
    c = fixture("m.Shape", "std.core.Object", KACC_ABSTRACT, NULL);
    field(c, "sides", "I", 0);
    field(c, "count", "I", KACC_STATIC);
    field(c, "secret", "I", KACC_PRIVATE);
    field(c, "id", "I", KACC_LET);
    method(c, "init", "()V", 0);
    method(c, "area", "()F", KACC_ABSTRACT);
    method(c, "describe", "()Lstd.core.String;", 0);
    method(c, "helper", "()V", KACC_PRIVATE);
    method(c, "make", "()Lm.Shape;", KACC_STATIC);
    method(c, "<clinit>", "()V", KACC_STATIC);
    c = fixture("m.Circle", "m.Shape", 0, "m.Comparable");
    field(c, "r", "F", 0);
    method(c, "init", "(F)V", 0);
    method(c, "area", "()F", 0);
    method(c, "compareTo", "(Lstd.core.Object;)I", 0);
    c = fixture("m.Square", "m.Shape", 0, "m.Comparable");
    method(c, "init", "()V", 0);
    method(c, "area", "()F", 0);
    method(c, "compareTo", "(Lstd.core.Object;)I", 0);
    c = fixture("m.Leaf", "std.core.Object", KACC_FINAL, NULL);
    method(c, "init", "()V", 0);
    c = fixture("m.MyError", "std.core.Error", 0, NULL);
    method(c, "init", "()V", 0);
    c = fixture("m.Util", NULL, KACC_MODULE, NULL);
    method(c, "f", "(I)I", KACC_STATIC);
    method(c, "g", "(Lm.Shape;)V", KACC_STATIC);
    method(c, "add", "(II)I", KACC_STATIC);
    method(c, "inst", "()V", 0);
    c = fixture("m.Consts", NULL, KACC_MODULE, NULL);
    field(c, "K", "I", KACC_STATIC | KACC_LET);
    field(c, "V", "Lm.Shape;", KACC_STATIC);
}

/* ---- running one case --------------------------------------------------------------- */

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

static const char *mname = "f";         /* name of the method under test */
static KHandler *handlers;              /* handlers of the method under test */
static uint16_t nhandlers;

/* Builds m.T with the method under test and verifies it: 0 or -1 with err. */
static int verify_t(const char *desc, uint16_t flags, uint16_t ms, uint16_t ml,
                    const uint8_t *code, uint32_t len, char *err, size_t errlen) {
    static const uint8_t ret[] = { OP_RETURN };
    KClass c;
    KField fs[3];
    KMethod m[2];
    memset(&c, 0, sizeof c);
    memset(m, 0, sizeof m);
    memset(fs, 0, sizeof fs);
    fs[0] = (KField){ .name = "x", .desc = "I", .flags = KACC_LET };
    fs[1] = (KField){ .name = "p", .desc = "I", .flags = KACC_PRIVATE };
    fs[2] = (KField){ .name = "k", .desc = "I", .flags = KACC_STATIC | KACC_LET };
    m[0].name = mname;
    m[0].desc = desc;
    m[0].flags = flags;
    m[0].max_stack = ms;
    m[0].max_locals = ml;
    desc_info(desc, (flags & KACC_STATIC) != 0, &m[0].nargs, &m[0].ret);
    m[0].code = (uint8_t *)(uintptr_t)code;
    m[0].code_len = len;
    m[0].handlers = handlers;
    m[0].nhandlers = nhandlers;
    m[1].name = "priv";
    m[1].desc = "()V";
    m[1].flags = KACC_PRIVATE;
    m[1].max_locals = 1;
    m[1].nargs = 1;
    m[1].ret = 'V';
    m[1].code = (uint8_t *)(uintptr_t)ret;
    m[1].code_len = 1;
    c.name = "m.T";
    c.super_name = "m.Shape";
    c.super = vm_find_class(vm, "m.Shape");
    c.cp = pool;
    c.ncp = (uint16_t)npool;
    c.fields = fs;
    c.nfields = 3;
    c.methods = m;
    c.nmethods = 2;

    err[0] = 0;
    return vf_verify_class(vm, &c, err, errlen);
}

/* Verifies m.T with the method under test; expect NULL = must pass, else a
** substring of the message. */
static void run(const char *name, const char *expect, const char *desc, uint16_t flags,
                uint16_t ms, uint16_t ml, const uint8_t *code, uint32_t len) {
    char err[512];
    int r = verify_t(desc, flags, ms, ml, code, len, err, sizeof err);
    if (getenv("VF_VERBOSE")) printf("%-55s %s\n", name, r ? err : "ok");
    if (!expect && r) {
        printf("FAIL %s: rejected: %s\n", name, err);
        failed++;
    } else if (expect && !r) {
        printf("FAIL %s: accepted, expected \"%s\"\n", name, expect);
        failed++;
    } else if (expect && (!strstr(err, expect) || strncmp(err, "verify error: m.T.", 18) != 0)) {
        printf("FAIL %s: got \"%s\", expected \"%s\"\n", name, err, expect);
        failed++;
    } else {
        passed++;
    }
}

#define CASE(name, expect, desc, flags, ms, ml, ...) do {                          \
        const uint8_t code_[] = { __VA_ARGS__ };                                     \
        run(name, expect, desc, flags, ms, ml, code_, sizeof code_);               \
    } while (0)
/* static method f */
#define BAD(name, expect, desc, ms, ml, ...) CASE(name, expect, desc, KACC_STATIC, ms, ml, __VA_ARGS__)
#define GOOD(name, desc, ms, ml, ...)        CASE(name, NULL, desc, KACC_STATIC, ms, ml, __VA_ARGS__)
/* instance method of m.T (local 0 is this) */
#define IBAD(name, expect, desc, ms, ml, ...) CASE(name, expect, desc, 0, ms, ml, __VA_ARGS__)
#define IGOOD(name, desc, ms, ml, ...)        CASE(name, NULL, desc, 0, ms, ml, __VA_ARGS__)

/* ---- rejected ------------------------------------------------------------------------- */

static void bad_values(void) {
    BAD("fadd of an int", "expected float, found int (operand 2 of fadd)", "(F)F", 2, 1,
        LOAD(0), ICONST(1), OP_FADD, OP_RETVAL);
    BAD("i2f of a float", "expected int, found float (operand 1 of i2f)", "(F)F", 1, 1,
        LOAD(0), OP_I2F, OP_RETVAL);
    BAD("fcmplt result is bool", "return value: expected float, found bool", "(FF)F", 2, 2,
        LOAD(0), LOAD(1), OP_FCMPLT, OP_RETVAL);
    BAD("acmpeq of an int", "expected a reference, found int (operand 2 of acmpeq)", "()Z", 2, 0,
        OP_ACONST_NULL, ICONST(1), OP_ACMPEQ, OP_RETVAL);
    BAD("ifnull of a bool", "expected a reference, found bool (operand 1 of ifnull)", "()V", 1, 0,
        BCONST(1), BR(IFNULL, 5), OP_RETURN);
    BAD("checkcast of an int", "expected a reference, found int (operand 1 of checkcast)", "()V",
        1, 0, ICONST(1), CP(CHECKCAST, C_SHAPE), OP_POP, OP_RETURN);
    char msg[64];
    snprintf(msg, sizeof msg, "constant %d is field, expected class", F_SIDES);
    BAD("checkcast of a field constant", msg, "()V", 1, 0,
        OP_ACONST_NULL, CP(CHECKCAST, F_SIDES), OP_POP, OP_RETURN);
    BAD("checkcast to a bad array name", "has a bad name", "()V", 1, 0,
        OP_ACONST_NULL, CP(CHECKCAST, C_BADARR), OP_POP, OP_RETURN);
    BAD("instanceof result is bool", "return value: expected int, found bool", "()I", 1, 0,
        OP_ACONST_NULL, CP(INSTANCEOF, C_SHAPE), OP_RETVAL);
    BAD("checkcast narrows but the result is used as another class",
        "expected m.Circle, found m.Square", "(Lstd.core.Object;)V", 1, 1,
        LOAD(0), CP(CHECKCAST, C_SQUARE), CP(GETFIELD, F_R), OP_POP, OP_RETURN);
}

static void bad_new(void) {
    BAD("new of an interface", "cannot instantiate interface m.I", "()V", 1, 0,
        CP(NEW, C_I), OP_POP, OP_RETURN);
    BAD("new of an abstract class", "cannot instantiate abstract class m.Shape", "()V", 1, 0,
        CP(NEW, C_SHAPE), OP_POP, OP_RETURN);
    BAD("new of an array type", "new of array type int[] (use newarray)", "()V", 1, 0,
        CP(NEW, C_ARR_I), OP_POP, OP_RETURN);
    BAD("new of String", "cannot instantiate std.core.String", "()V", 1, 0,
        CP(NEW, C_STRING), OP_POP, OP_RETURN);
    BAD("new of Function", "cannot instantiate std.core.Function", "()V", 1, 0,
        CP(NEW, C_FUNCTION), OP_POP, OP_RETURN);
    BAD("new of a module class", "cannot instantiate module class m.Util", "()V", 1, 0,
        CP(NEW, C_UTIL), OP_POP, OP_RETURN);
    BAD("new of a missing class", "class m.Nope not found", "()V", 1, 0,
        CP(NEW, C_NOPE), OP_POP, OP_RETURN);
}

static void bad_fields(void) {
    BAD("getfield of a missing field", "field m.Shape.nope not found", "(Lm.Shape;)I", 1, 1,
        LOAD(0), CP(GETFIELD, F_NOPE), OP_RETVAL);
    BAD("getfield with the wrong descriptor", "field m.Shape.sides not found", "(Lm.Shape;)F", 1,
        1, LOAD(0), CP(GETFIELD, F_SIDES_WRONG_DESC), OP_RETVAL);
    BAD("getfield on an unrelated object", "getfield m.Circle.r: expected m.Circle, found m.Square",
        "(Lm.Square;)F", 1, 1, LOAD(0), CP(GETFIELD, F_R), OP_RETVAL);
    BAD("getfield on a superclass value", "expected m.Circle, found m.Shape", "(Lm.Shape;)F", 1, 1,
        LOAD(0), CP(GETFIELD, F_R), OP_RETVAL);
    BAD("getfield of an int", "expected a reference, found int (operand 1 of getfield)", "(I)I",
        1, 1, LOAD(0), CP(GETFIELD, F_SIDES), OP_RETVAL);
    BAD("getfield of a static field", "getfield of static field m.Shape.count", "(Lm.Shape;)I", 1,
        1, LOAD(0), CP(GETFIELD, F_COUNT), OP_RETVAL);
    BAD("getstatic of an instance field", "getstatic of instance field m.Shape.sides", "()I", 1, 0,
        CP(GETSTATIC, F_SIDES), OP_RETVAL);
    BAD("getfield result type", "return value: expected int, found float", "(Lm.Circle;)I", 1, 1,
        LOAD(0), CP(GETFIELD, F_R), OP_RETVAL);
    BAD("putfield of a bool into an int", "putfield m.Shape.sides: expected int, found bool",
        "(Lm.Shape;)V", 2, 1, LOAD(0), BCONST(1), CP(PUTFIELD, F_SIDES), OP_RETURN);
    BAD("putfield of a let field outside init", "putfield of let field m.Shape.id outside init",
        "(Lm.Shape;)V", 2, 1, LOAD(0), ICONST(1), CP(PUTFIELD, F_ID), OP_RETURN);
    mname = "init";
    IBAD("putfield of the superclass's let field in init",
         "putfield of let field m.Shape.id outside init", "()V", 2, 1,
         LOAD(0), ICONST(1), CP(PUTFIELD, F_ID), OP_RETURN);
    mname = "f";
    IBAD("putfield of own let field outside init", "putfield of let field m.T.x outside init",
         "()V", 2, 1, LOAD(0), ICONST(1), CP(PUTFIELD, F_T_X), OP_RETURN);
    BAD("putstatic of a let field from another class", "putstatic of let field m.Consts.K outside init",
        "()V", 1, 0, ICONST(1), CP(PUTSTATIC, F_K), OP_RETURN);
    BAD("private field of another class", "private field m.Shape.secret is not accessible from m.T",
        "(Lm.Shape;)I", 1, 1, LOAD(0), CP(GETFIELD, F_SECRET), OP_RETVAL);
    BAD("putstatic of a String into a Shape field", "putstatic m.Consts.V: expected m.Shape, found "
        "std.core.String", "()V", 1, 0, LDC(S_HELLO), CP(PUTSTATIC, F_V), OP_RETURN);
    BAD("getfield of a method constant", "is method, expected field", "(Lm.Shape;)I", 1, 1,
        LOAD(0), CP(GETFIELD, M_AREA), OP_RETVAL);
    BAD("getfield on an empty stack", "stack underflow (getfield needs 1, stack has 0)", "()I", 1,
        0, CP(GETFIELD, F_SIDES), OP_RETVAL);
}

static void bad_calls(void) {
    BAD("invokevirtual on the wrong receiver",
        "receiver of m.Circle.area()F: expected m.Circle, found m.Square", "(Lm.Square;)F", 1, 1,
        LOAD(0), CP(INVOKEVIRTUAL, M_CIRCLE_AREA), OP_RETVAL);
    BAD("invokevirtual of a static method", "invokevirtual of static method m.Shape.make()Lm.Shape;",
        "(Lm.Shape;)V", 1, 1, LOAD(0), CP(INVOKEVIRTUAL, M_MAKE), OP_POP, OP_RETURN);
    BAD("invokestatic of an instance method", "invokestatic of instance method m.Util.inst()V",
        "()V", 0, 0, CP(INVOKESTATIC, M_INST), OP_RETURN);
    BAD("invokevirtual of a missing method", "method m.Shape.nope()V not found", "(Lm.Shape;)V", 1,
        1, LOAD(0), CP(INVOKEVIRTUAL, M_NOPE), OP_RETURN);
    BAD("invokevirtual of init", "init must be called with invokespecial", "(Lm.Circle;)V", 2, 1,
        LOAD(0), LDC(K_INT), OP_I2F, CP(INVOKEVIRTUAL, M_CIRCLE_INIT), OP_RETURN);
    BAD("invokevirtual argument type", "argument 1 of m.Circle.init(F)V: expected float, found int",
        "()V", 2, 0, CP(NEW, C_CIRCLE), ICONST(1), CP(INVOKESPECIAL, M_CIRCLE_INIT), OP_RETURN);
    BAD("invokespecial init on another class",
        "invokespecial of m.Shape.init()V on a m.Circle: init needs exactly m.Shape", "()V", 1, 0,
        CP(NEW, C_CIRCLE), CP(INVOKESPECIAL, M_SHAPE_INIT), OP_RETURN);
    IBAD("super init outside init", "invokespecial of m.Shape.init()V on a m.T", "()V", 1, 1,
         LOAD(0), CP(INVOKESPECIAL, M_SHAPE_INIT), OP_RETURN);
    BAD("private method of another class", "private method m.Shape.helper()V is not accessible "
        "from m.T", "(Lm.Shape;)V", 1, 1, LOAD(0), CP(INVOKESPECIAL, M_HELPER), OP_RETURN);
    IBAD("invokevirtual of a private method", "invokevirtual of private method m.T.priv()V (use "
         "invokespecial)", "()V", 1, 1, LOAD(0), CP(INVOKEVIRTUAL, M_T_PRIV), OP_RETURN);
    BAD("invokespecial of an abstract method", "invokespecial of abstract method m.Shape.area()F",
        "(Lm.Shape;)F", 1, 1, LOAD(0), CP(INVOKESPECIAL, M_AREA), OP_RETVAL);
    BAD("invokeinterface on a final class that does not implement it",
        "receiver of m.I.run()V: expected m.I, found m.Leaf", "(Lm.Leaf;)V", 1, 1,
        LOAD(0), CP(INVOKEINTERFACE, IM_RUN), OP_RETURN);
    BAD("invokeinterface on a String", "expected m.Comparable, found std.core.String", "()I", 2, 0,
        LDC(S_HELLO), OP_ACONST_NULL, CP(INVOKEINTERFACE, IM_COMPARE), OP_RETVAL);
    BAD("invokeinterface of a class method", "invokeinterface of m.Shape.area()F: m.Shape is not "
        "an interface", "(Lm.Shape;)F", 1, 1, LOAD(0), CP(INVOKEINTERFACE, IM_SHAPE_AREA),
        OP_RETVAL);
    BAD("invokevirtual of an interface method", "invokevirtual of m.I.run()V: m.I is an interface "
        "(use invokeinterface)", "(Lm.I;)V", 1, 1, LOAD(0), CP(INVOKEVIRTUAL, M_I_RUN_VIRT),
        OP_RETURN);
    BAD("invokeinterface with a method constant", "is method, expected imethod", "(Lm.I;)V", 1, 1,
        LOAD(0), CP(INVOKEINTERFACE, M_I_RUN_VIRT), OP_RETURN);
    BAD("calling <clinit>", "m.Shape.<clinit>()V cannot be called", "()V", 0, 0,
        CP(INVOKESTATIC, M_CLINIT), OP_RETURN);
    BAD("invokevirtual result type", "return value: expected int, found std.core.String",
        "(Lm.Shape;)I", 1, 1, LOAD(0), CP(INVOKEVIRTUAL, M_DESCRIBE), OP_RETVAL);
    BAD("invokevirtual with too few values", "stack underflow (invokevirtual needs 1, stack has 0)",
        "()F", 1, 0, CP(INVOKEVIRTUAL, M_AREA), OP_RETVAL);
    BAD("superclass value passed as subclass", "argument 1 of (Lm.Shape;)V", "(Lstd.core.Object;)V",
        1, 1, LOAD(0), CP(INVOKESTATIC, M_G), OP_RETURN);
    BAD("class of a value not found", "class m.Nope not found", "(Lm.Nope;)V", 1, 1,
        LOAD(0), CP(INVOKESTATIC, M_G), OP_RETURN);
}

static void bad_arrays(void) {
    BAD("newarray of a class", "newarray of m.Shape: not an array type", "()V", 1, 0,
        ICONST(3), CP(NEWARRAY, C_SHAPE), OP_POP, OP_RETURN);
    BAD("newarray with a float size", "expected int, found float (operand 1 of newarray)", "(F)V",
        1, 1, LOAD(0), CP(NEWARRAY, C_ARR_I), OP_POP, OP_RETURN);
    BAD("multinewarray of 0 dimensions", "multinewarray with 0 dimensions", "()V", 1, 0,
        ICONST(3), CPU8(MULTINEWARRAY, C_ARR_II, 0), OP_POP, OP_RETURN);
    BAD("multinewarray beyond the type", "multinewarray of 3 dimensions for int[][]", "()V", 3, 0,
        ICONST(1), ICONST(1), ICONST(1), CPU8(MULTINEWARRAY, C_ARR_II, 3), OP_POP, OP_RETURN);
    BAD("multinewarray with a bool size", "expected int, found bool (operand 2 of multinewarray)",
        "()V", 2, 0, ICONST(1), BCONST(1), CPU8(MULTINEWARRAY, C_ARR_II, 2), OP_POP, OP_RETURN);
    BAD("arraylength of a String", "arraylength of std.core.String: expected an array", "()I", 1,
        0, LDC(S_HELLO), OP_ARRAYLENGTH, OP_RETVAL);
    BAD("aget on byte[]", "aget on byte[] (use bget)", "([B)I", 2, 1,
        LOAD(0), ICONST(0), OP_AGET, OP_RETVAL);
    BAD("aget with a float index", "expected int, found float (operand 2 of aget)", "([IF)I", 2, 2,
        LOAD(0), LOAD(1), OP_AGET, OP_RETVAL);
    BAD("aget element type", "return value: expected int, found m.Shape", "([Lm.Shape;)I", 2, 1,
        LOAD(0), ICONST(0), OP_AGET, OP_RETVAL);
    BAD("aput of a String into int[]", "aput of std.core.String into int[]", "([I)V", 3, 1,
        LOAD(0), ICONST(0), LDC(S_HELLO), OP_APUT, OP_RETURN);
    BAD("aput of a Shape into Circle[]", "aput of m.Shape into m.Circle[]", "([Lm.Circle;Lm.Shape;)V",
        3, 2, LOAD(0), ICONST(0), LOAD(1), OP_APUT, OP_RETURN);
    BAD("arrays are invariant", "expected m.Shape[], found m.Circle[]", "([Lm.Circle;)[Lm.Shape;",
        1, 1, LOAD(0), OP_RETVAL);
    BAD("bget on int[]", "bget on int[] (expected byte[])", "([I)I", 2, 1,
        LOAD(0), ICONST(0), OP_BGET, OP_RETVAL);
    BAD("bput of a bool", "expected int, found bool (operand 3 of bput)", "([B)V", 3, 1,
        LOAD(0), ICONST(0), BCONST(1), OP_BPUT, OP_RETURN);
    BAD("aput on byte[]", "aput on byte[] (use bput)", "([B)V", 3, 1,
        LOAD(0), ICONST(0), ICONST(1), OP_APUT, OP_RETURN);
    BAD("aget on an int", "aget of int: expected an array", "(I)I", 2, 1,
        LOAD(0), ICONST(0), OP_AGET, OP_RETVAL);
}

static void bad_closures_errors(void) {
    BAD("mkclosure of an instance method", "mkclosure of instance method m.Util.inst()V", "()V", 1,
        0, CPU8(MKCLOSURE, M_INST, 0), OP_POP, OP_RETURN);
    BAD("mkclosure capturing too many", "mkclosure captures 3 values, but m.Util.add(II)I has 2 "
        "parameters", "()V", 3, 0, ICONST(1), ICONST(2), ICONST(3), CPU8(MKCLOSURE, M_ADD, 3),
        OP_POP, OP_RETURN);
    BAD("mkclosure capturing the wrong type", "captured value 1 of m.Util.add(II)I: expected int, "
        "found bool", "()V", 1, 0, BCONST(1), CPU8(MKCLOSURE, M_ADD, 1), OP_POP, OP_RETURN);
    BAD("mkclosure of a missing class", "class m.Nope not found", "()V", 1, 0,
        CPU8(MKCLOSURE, member(KCP_METHOD, C_NOPE, "z", "()V"), 0), OP_POP, OP_RETURN);
    BAD("invokeclosure on a Shape", "expected std.core.Function, found m.Shape (operand 1 of "
        "invokeclosure)", "(Lm.Shape;)I", 2, 1, LOAD(0), ICONST(1), CP(INVOKECLOSURE, U_II),
        OP_RETVAL);
    BAD("invokeclosure argument", "argument 1 of closure (I)I: expected int, found float", "()I", 2,
        0, CPU8(MKCLOSURE, M_F, 0), LDC(K_INT), OP_I2F, CP(INVOKECLOSURE, U_II), OP_RETVAL);
    BAD("invokeclosure with a malformed descriptor", "invokeclosure has a malformed descriptor \"(I\"",
        "()V", 1, 0, OP_ACONST_NULL, CP(INVOKECLOSURE, U_BAD), OP_RETURN);
    BAD("invokeclosure with a class constant", "constant", "()V", 1, 0,
        OP_ACONST_NULL, CP(INVOKECLOSURE, C_SHAPE), OP_RETURN);
    BAD("throw of a String", "throw of std.core.String: expected std.core.Error", "()V", 1, 0,
        LDC(S_HELLO), OP_THROW);
    BAD("throw of an int", "throw of int: expected std.core.Error", "()V", 1, 0,
        ICONST(1), OP_THROW);
    BAD("dup2 with one value", "stack underflow (dup2 needs 2, stack has 1)", "()V", 4, 0,
        ICONST(1), OP_DUP2, OP_RETURN);
    BAD("dup2 past max_stack", "max_stack 3 exceeded", "()V", 3, 0,
        ICONST(1), ICONST(2), OP_DUP2, OP_RETURN);
    BAD("dup_x2 with two values", "stack underflow (dup_x2 needs 3, stack has 2)", "()V", 4, 0,
        ICONST(1), ICONST(2), OP_DUP_X2, OP_RETURN);
    BAD("swap changes the types", "expected int, found bool (operand 1 of iadd)", "()I", 3, 0,
        ICONST(1), BCONST(1), OP_SWAP, OP_IADD, OP_RETVAL);
    BAD("dup_x1 order", "return value: expected int, found bool", "()I", 3, 0,
        ICONST(1), BCONST(1), OP_DUP_X1, OP_POP, OP_POP, OP_RETVAL);

    /* A handler whose catch class is not an Error. 0 nop; 1 return | 2 pop; 3 return */
    KHandler h = { 0, 1, 2, (uint16_t)C_STRING };
    handlers = &h; nhandlers = 1;
    BAD("catch of a String", "handler 0: catch class std.core.String is not a subclass of "
        "std.core.Error", "()V", 1, 0, OP_NOP, OP_RETURN, OP_POP, OP_RETURN);
    h.catch_class = (uint16_t)C_NOPE;
    BAD("catch of a missing class", "handler 0: class m.Nope not found", "()V", 1, 0,
        OP_NOP, OP_RETURN, OP_POP, OP_RETURN);
    handlers = NULL; nhandlers = 0;
}

static void bad_joins(void) {
    /* 0 load 0; 3 iffalse ->16; 8 new Circle; 11 goto ->19; 16 new Square;
    ** 19 invokevirtual Circle.area: the join is m.Shape */
    BAD("join of Circle and Square is a Shape",
        "receiver of m.Circle.area()F: expected m.Circle, found m.Shape", "(Z)F", 1, 1,
        LOAD(0), BR(IFFALSE, 13), CP(NEW, C_CIRCLE), BR(GOTO, 8), CP(NEW, C_SQUARE),
        CP(INVOKEVIRTUAL, M_CIRCLE_AREA), OP_RETVAL);
    /* join of a Circle and a String is Object: 16 ldc */
    BAD("join of Circle and String is Object", "expected m.Shape, found std.core.Object", "(Z)V", 1,
        1, LOAD(0), BR(IFFALSE, 13), CP(NEW, C_CIRCLE), BR(GOTO, 8), LDC(S_HELLO),
        CP(INVOKESTATIC, M_G), OP_RETURN);
}

/* ---- accepted ---------------------------------------------------------------------- */

static void good(void) {
    GOOD("float arithmetic", "(FI)Z", 2, 2, LOAD(0), LOAD(1), OP_I2F, OP_FMUL, OP_FNEG, LOAD(0),
         OP_FREM, OP_F2I, OP_I2F, LOAD(0), OP_FCMPNE, OP_RETVAL);
    GOOD("subclass passed as superclass", "(Lm.Circle;)V", 1, 1, LOAD(0), CP(INVOKESTATIC, M_G),
         OP_RETURN);
    GOOD("subclass returned as Object", "(Lm.Circle;)Lstd.core.Object;", 1, 1, LOAD(0), OP_RETVAL);
    GOOD("class implementing an interface", "(Lm.Circle;)I", 2, 1, LOAD(0), OP_ACONST_NULL,
         CP(INVOKEINTERFACE, IM_COMPARE), OP_RETVAL);
    GOOD("interface through a superinterface", "(Lm.Runner;)V", 1, 1, LOAD(0),
         CP(INVOKEINTERFACE, IM_RUN), OP_RETURN);
    GOOD("interface method inherited by a subinterface", "(Lm.J;)V", 1, 1, LOAD(0),
         CP(INVOKEINTERFACE, IM_J_RUN), OP_RETURN);
    GOOD("subinterface returned as its superinterface", "(Lm.J;)Lm.I;", 1, 1, LOAD(0), OP_RETVAL);
    GOOD("inherited field through a subclass ref", "(Lm.Circle;)I", 1, 1, LOAD(0),
         CP(GETFIELD, F_CIRCLE_SIDES), OP_RETVAL);
    GOOD("inherited method through a subclass", "(Lm.Circle;)Lstd.core.String;", 1, 1, LOAD(0),
         CP(INVOKEVIRTUAL, M_CIRCLE_DESCRIBE), OP_RETVAL);
    GOOD("join of Circle and Square to Shape", "(Z)F", 1, 1,
         LOAD(0), BR(IFFALSE, 13), CP(NEW, C_CIRCLE), BR(GOTO, 8), CP(NEW, C_SQUARE),
         CP(INVOKEVIRTUAL, M_AREA), OP_RETVAL);
    /* the join is m.Shape, which does not implement m.Comparable: accepted as an interface
    ** (not final) and checked by invokeinterface at run time */
    GOOD("join used as an interface both implement", "(Z)I", 2, 1,
         LOAD(0), BR(IFFALSE, 13), CP(NEW, C_CIRCLE), BR(GOTO, 8), CP(NEW, C_SQUARE),
         OP_ACONST_NULL, CP(INVOKEINTERFACE, IM_COMPARE), OP_RETVAL);
    /* locals: 0 load; 3 iffalse ->19; 8 new Circle; 11 store 1; 14 goto ->25; 19 new Square;
    ** 22 store 1; 25 load 1; 28 invokestatic g(Shape) */
    GOOD("locals join to the common superclass", "(Z)V", 1, 2,
         LOAD(0), BR(IFFALSE, 16), CP(NEW, C_CIRCLE), STORE(1), BR(GOTO, 11), CP(NEW, C_SQUARE),
         STORE(1), LOAD(1), CP(INVOKESTATIC, M_G), OP_RETURN);
    GOOD("checkcast then a subclass field", "(Lstd.core.Object;)F", 1, 1, LOAD(0),
         CP(CHECKCAST, C_CIRCLE), CP(GETFIELD, F_R), OP_RETVAL);
    GOOD("checkcast to an unknown class is checked at run time", "(Lstd.core.Object;)V", 1, 1,
         LOAD(0), CP(CHECKCAST, C_NOPE), OP_POP, OP_RETURN);
    GOOD("instanceof, ifnull, ifnonnull, acmp, oeq", "(Lm.Shape;Lm.Circle;)Z", 2, 2,
         LOAD(0), BR(IFNULL, 5), LOAD(1), BR(IFNONNULL, 5), LOAD(0), LOAD(1), OP_ACMPNE, OP_POP,
         LOAD(0), LOAD(1), OP_OEQ, OP_POP, LOAD(0), CP(INSTANCEOF, C_CIRCLE), OP_RETVAL);
    GOOD("new, then a virtual call through the superclass", "()F", 1, 0, CP(NEW, C_CIRCLE),
         CP(INVOKEVIRTUAL, M_AREA), OP_RETVAL);
    GOOD("new Circle(f) with dup", "(F)Lm.Circle;", 3, 1, CP(NEW, C_CIRCLE), OP_DUP, LOAD(0),
         CP(INVOKESPECIAL, M_CIRCLE_INIT), OP_RETVAL);
    GOOD("new of Object and of an Error subclass", "()V", 2, 0, CP(NEW, C_OBJECT), OP_POP,
         CP(NEW, C_MYERR), OP_DUP, CP(INVOKESPECIAL, M_MYERR_INIT), OP_THROW);
    GOOD("static fields", "()Lm.Shape;", 2, 0, CP(GETSTATIC, F_COUNT), OP_POP,
         CP(GETSTATIC, F_K), OP_POP, CP(NEW, C_CIRCLE), CP(PUTSTATIC, F_V), CP(GETSTATIC, F_V),
         OP_RETVAL);
    GOOD("putfield and getfield", "(Lm.Circle;F)F", 2, 2, LOAD(0), LOAD(1), CP(PUTFIELD, F_R),
         LOAD(0), ICONST(4), CP(PUTFIELD, F_SIDES), LOAD(0), CP(GETFIELD, F_R), OP_RETVAL);
    GOOD("putfield of null into a reference", "()V", 1, 0, OP_ACONST_NULL, CP(PUTSTATIC, F_V),
         OP_RETURN);

    mname = "init";
    IGOOD("init sets its let field and calls super init", "()V", 2, 1,
          LOAD(0), CP(INVOKESPECIAL, M_SHAPE_INIT), LOAD(0), ICONST(1), CP(PUTFIELD, F_T_X),
          LOAD(0), CP(GETFIELD, F_T_P), OP_POP, OP_RETURN);
    mname = "<clinit>";
    GOOD("<clinit> of the owner sets a static let", "()V", 1, 0, ICONST(1),
         CP(PUTSTATIC, member(KCP_FIELD, C_T, "k", "I")), OP_RETURN);
    mname = "f";
    IGOOD("private method of the same class", "()V", 1, 1, LOAD(0), CP(INVOKESPECIAL, M_T_PRIV),
          OP_RETURN);
    IGOOD("super call to a concrete method", "()Lstd.core.String;", 1, 1, LOAD(0),
          CP(INVOKESPECIAL, M_DESCRIBE), OP_RETVAL);
    IGOOD("this is a subclass of the superclass", "()I", 1, 1, LOAD(0), CP(GETFIELD, F_SIDES),
          OP_RETVAL);
    GOOD("invokestatic of a static method", "()Lm.Shape;", 1, 0, CP(INVOKESTATIC, M_MAKE),
         OP_RETVAL);

    GOOD("arrays", "(I)I", 4, 2,
         LOAD(0), CP(NEWARRAY, C_ARR_I), STORE(1),
         LOAD(1), ICONST(0), ICONST(5), OP_APUT,
         LOAD(1), ICONST(0), OP_AGET, LOAD(1), OP_ARRAYLENGTH, OP_IADD, OP_RETVAL);
    GOOD("byte arrays", "()I", 3, 1, ICONST(4), CP(NEWARRAY, C_ARR_B), STORE(0),
         LOAD(0), ICONST(1), ICONST(300), OP_BPUT, LOAD(0), ICONST(1), OP_BGET, OP_RETVAL);
    GOOD("multinewarray and nested aget", "()[I", 2, 0, ICONST(2), ICONST(3),
         CPU8(MULTINEWARRAY, C_ARR_II, 2), ICONST(1), OP_AGET, OP_RETVAL);
    GOOD("multinewarray of fewer dimensions", "()[[I", 1, 0, ICONST(2),
         CPU8(MULTINEWARRAY, C_ARR_II, 1), OP_RETVAL);
    GOOD("aput of a subclass into a superclass array", "([Lm.Shape;)Lm.Shape;", 3, 1, LOAD(0),
         ICONST(0), CP(NEW, C_CIRCLE), OP_APUT, LOAD(0), ICONST(0), OP_AGET, OP_RETVAL);
    GOOD("array as an Object", "([Lstd.core.String;)Lstd.core.Object;", 1, 1, LOAD(0), OP_RETVAL);
    GOOD("aget on a null array always throws", "()I", 2, 0, OP_ACONST_NULL, ICONST(0), OP_AGET,
         OP_IADD, OP_RETVAL);

    GOOD("strings", "(Lstd.core.String;)I", 3, 1, LOAD(0), LOAD(0), OP_SCONCAT, OP_SLEN,
         LOAD(0), ICONST(0), OP_SGET, OP_IADD, OP_RETVAL);
    GOOD("closures", "()I", 2, 0, ICONST(1), CPU8(MKCLOSURE, M_ADD, 1), ICONST(2),
         CP(INVOKECLOSURE, U_II), OP_RETVAL);
    GOOD("closure with nothing captured, passed as Object", "()Lstd.core.Object;", 1, 0,
         CPU8(MKCLOSURE, M_F, 0), OP_RETVAL);
    GOOD("invokeclosure of a void closure", "(Lstd.core.Function;)V", 1, 1, LOAD(0),
         CP(INVOKECLOSURE, U_V), OP_RETURN);
    GOOD("stack shuffles", "()I", 5, 0, ICONST(1), ICONST(2), OP_DUP2, OP_IADD, OP_IADD, OP_IADD,
         ICONST(3), OP_SWAP, OP_ISUB, BCONST(1), ICONST(4), OP_DUP_X1, OP_POP, OP_POP, OP_IADD,
         ICONST(5), ICONST(6), ICONST(7), OP_DUP_X2, OP_POP, OP_POP, OP_POP, OP_IADD, OP_RETVAL);
    GOOD("throw of null", "()V", 1, 0, OP_ACONST_NULL, OP_THROW);

    /* A handler catching a user subclass of Error, whose value is thrown again, and one
    ** catching IndexError passed as an Error. 0 nop; 1 return | 2 throw | 3 throw */
    KHandler hs[2] = { { 0, 1, 2, (uint16_t)C_MYERR }, { 0, 1, 3, (uint16_t)C_INDEXERR } };
    handlers = hs; nhandlers = 2;
    GOOD("handlers catching subclasses of Error", "()V", 1, 0, OP_NOP, OP_RETURN, OP_THROW,
         OP_THROW);
    handlers = NULL; nhandlers = 0;
}

/* The real path: ld_define_class links the superclass and verifies, then the class
** is found by later look-ups. */
static void through_the_loader(void) {
    static const uint8_t code[] = { OP_NEW, 0, 0, OP_RETVAL };
    uint8_t *c1 = gc_alloc_atomic(sizeof code);   /* held by the class, like loaded code */
    memcpy(c1, code, sizeof code);
    c1[1] = (uint8_t)(C_CIRCLE & 0xff);
    c1[2] = (uint8_t)(C_CIRCLE >> 8);
    KClass *c = gc_alloc(sizeof *c);
    KMethod *m = gc_alloc(sizeof *m);
    m->name = "mk";
    m->desc = "()Lm.Shape;";
    m->flags = KACC_STATIC;
    m->max_stack = 1;
    m->nargs = 0;
    m->ret = 'L';
    m->code = c1;
    m->code_len = sizeof code;
    c->name = "m.Made";
    c->super_name = "m.Shape";
    c->cp = pool;
    c->ncp = (uint16_t)npool;
    c->methods = m;
    c->nmethods = 1;
    char err[512] = "";
    int r = ld_define_class(vm, c, err, sizeof err);
    if (r == 0 && m->verified && vm_find_class(vm, "m.Made")) passed++;
    else { printf("FAIL ld_define_class: %s\n", err); failed++; }

    /* a class whose code names a class that is nowhere */
    KClass *d = gc_alloc(sizeof *d);
    KMethod *dm = gc_alloc(sizeof *dm);
    *dm = *m;
    dm->verified = 0;
    uint8_t *c2 = gc_alloc_atomic(sizeof code);
    memcpy(c2, code, sizeof code);
    c2[1] = (uint8_t)(C_NOPE & 0xff);
    c2[2] = (uint8_t)(C_NOPE >> 8);
    dm->code = c2;
    d->name = "m.Broken";
    d->super_name = "std.core.Object";
    d->cp = pool;
    d->ncp = (uint16_t)npool;
    d->methods = dm;
    d->nmethods = 1;
    r = ld_define_class(vm, d, err, sizeof err);
    if (r != 0 && strstr(err, "verify error: m.Broken.mk ()Lm.Shape; at pc 0: class m.Nope not found")
        && !vm_find_class(vm, "m.Broken"))
        passed++;
    else { printf("FAIL ld_define_class of a broken class: %d %s\n", r, err); failed++; }
}

/* ---- robustness ------------------------------------------------------------------ */

#ifndef FUZZ_ITERS
#define FUZZ_ITERS 40000
#endif

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint32_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

/* Mutants of a method that uses the object opcodes, and random code: every answer
** is "ok" or a well-formed message (run under ASan/UBSan to make that mean more). */
static void fuzz(void) {
    const uint8_t seed[] = { CP(NEW, C_CIRCLE), OP_DUP, LDC(K_INT), OP_I2F,
                             CP(INVOKESPECIAL, M_CIRCLE_INIT), STORE(1), LOAD(1),
                             CP(GETFIELD, F_R), OP_POP, ICONST(3), CP(NEWARRAY, C_ARR_SHAPE),
                             OP_DUP, ICONST(0), LOAD(1), OP_APUT, ICONST(0), OP_AGET,
                             CP(INVOKEVIRTUAL, M_AREA), OP_POP, CPU8(MKCLOSURE, M_ADD, 1),
                             ICONST(2), OP_SWAP, OP_POP, OP_POP, LOAD(0),
                             CP(INVOKEINTERFACE, IM_COMPARE), OP_RETURN };
    uint8_t code[96];
    int accepted = 0, bad = 0;
    for (long iter = 0; iter < FUZZ_ITERS; iter++) {
        uint32_t len;
        if (iter % 2) {
            len = sizeof seed;
            memcpy(code, seed, len);
            for (int k = (int)(rnd() % 3); k >= 0; k--) {
                uint32_t at = rnd() % len;
                code[at] = (uint8_t)(rnd() % 3 ? rnd() % (uint32_t)npool : rnd() % OP__COUNT);
            }
        } else {
            len = 1 + rnd() % sizeof code;
            for (uint32_t i = 0; i < len; i++)
                code[i] = (uint8_t)(rnd() % 3 ? rnd() % (OP__COUNT + 2) : rnd() % (uint32_t)npool);
        }
        KHandler h = { rnd() % (len + 1), rnd() % (len + 2), rnd() % (len + 1),
                       (uint16_t)(rnd() % (uint32_t)npool) };
        handlers = rnd() % 4 ? NULL : &h;
        nhandlers = handlers ? 1 : 0;
        char err[512];
        if (verify_t("(Lm.Circle;)V", KACC_STATIC, (uint16_t)(rnd() % 6), 2, code, len, err,
                     sizeof err) == 0)
            accepted++;
        else if (strncmp(err, "verify error: m.T.f (Lm.Circle;)V at pc ", 40) != 0 &&
                 strncmp(err, "verify error: m.T.priv ()V at pc ", 33) != 0 && bad++ < 3)
            printf("fuzz: odd message \"%s\"\n", err);
    }
    handlers = NULL;
    nhandlers = 0;
    if (bad == 0) passed++;
    else { printf("FAIL fuzz: %d odd messages\n", bad); failed++; }
    if (accepted > 0) passed++;
    else { printf("FAIL fuzz: nothing accepted\n"); failed++; }
}

int main(void) {
    vm = kiln_new(NULL);
    if (!vm) { printf("no VM\n"); return 1; }
    init_pool();
    init_classes();
    bad_values();
    bad_new();
    bad_fields();
    bad_calls();
    bad_arrays();
    bad_closures_errors();
    bad_joins();
    good();
    through_the_loader();
    fuzz();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
