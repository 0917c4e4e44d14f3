/*
** bench/api/call_cost.c — what a host pays to call a trivial script function:
** Kiln's kiln_call by name against the same call through Lua 5.4's C API
** (lua_getglobal + lua_pushinteger + lua_pcall). Both functions add 1 to their
** argument; each loop checks the sum so nothing is optimised away.
** Build and run: make bench-api. Prints ns per call, median of 7 rounds.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kiln.h>
#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>

#define CALLS  200000
#define ROUNDS 7

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double kiln_round(KilnVM *vm, int tier)
{
    (void)tier;
    long long sum = 0;
    double t0 = now_ns();
    for (int i = 0; i < CALLS; i++) {
        KilnValue arg = kiln_int(i), r;
        if (kiln_call(vm, "callee", "inc", &arg, 1, &r) != KILN_OK) {
            fprintf(stderr, "kiln_call failed: %s\n", kiln_error_message(vm));
            exit(1);
        }
        sum += r.as.i;
    }
    double t = (now_ns() - t0) / CALLS;
    if (sum != (long long)CALLS * (CALLS - 1) / 2 + CALLS) { fprintf(stderr, "wrong sum\n"); exit(1); }
    return t;
}

static double lua_round(lua_State *L)
{
    long long sum = 0;
    double t0 = now_ns();
    for (int i = 0; i < CALLS; i++) {
        lua_getglobal(L, "inc");
        lua_pushinteger(L, i);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) { fprintf(stderr, "lua: %s\n", lua_tostring(L, -1)); exit(1); }
        sum += lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    double t = (now_ns() - t0) / CALLS;
    if (sum != (long long)CALLS * (CALLS - 1) / 2 + CALLS) { fprintf(stderr, "wrong sum\n"); exit(1); }
    return t;
}

int main(void)
{
    static const char src[] = "module callee\nfun inc(x: int): int { return x + 1 }\n";
    const int tiers[] = { KILN_TIER_INTERP, KILN_TIER_1 };
    const char *names[] = { "kiln_call (tier 0)", "kiln_call (tier 1)" };
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_dostring(L, "function inc(x) return x + 1 end") != LUA_OK) return 1;
    KilnVM *vms[2];
    for (int k = 0; k < 2; k++) {
        KilnConfig cfg;
        kiln_config_init(&cfg);
        cfg.tier = tiers[k];
        vms[k] = kiln_new(&cfg);
        if (!vms[k] || kiln_load_source(vms[k], "callee.kl", src, sizeof src - 1) != KILN_OK) {
            fprintf(stderr, "setup failed\n");
            return 1;
        }
        kiln_round(vms[k], tiers[k]);          /* warm up: resolve, compile */
    }
    lua_round(L);
    double t[3][ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {          /* interleaved rounds */
        t[0][r] = kiln_round(vms[0], tiers[0]);
        t[1][r] = kiln_round(vms[1], tiers[1]);
        t[2][r] = lua_round(L);
    }
    printf("%-22s %10s %10s\n", "call", "median ns", "min ns");
    for (int k = 0; k < 3; k++) {
        qsort(t[k], ROUNDS, sizeof(double), cmp);
        printf("%-22s %10.1f %10.1f\n", k < 2 ? names[k] : "lua_pcall (Lua 5.4)", t[k][ROUNDS / 2], t[k][0]);
    }
    for (int k = 0; k < 2; k++) kiln_free(vms[k]);
    lua_close(L);
    return 0;
}
