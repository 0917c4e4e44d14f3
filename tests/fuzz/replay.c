/*
** tests/fuzz/replay.c — runs a fuzz target's entry point over files, without
** libFuzzer: `make test` uses it (with gcc, and under SAN=1) to replay the
** regression inputs and the seed corpus. Arguments are files or directories;
** with none, the directories compiled in (REPLAY_DIRS, ':'-separated).
** Exits 0 when every input ran (a finding aborts or trips a sanitizer).
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return -1; }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb) { free(buf); buf = NULL; break; }
        buf = nb;
        cap *= 2;
    }
    fclose(f);
    if (!buf) return -1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    count++;
    return 0;
}

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return 0;            /* a missing directory holds nothing */
    if (!S_ISDIR(st.st_mode)) return run_file(path);
    DIR *d = opendir(path);
    if (!d) { perror(path); return -1; }
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) && rc == 0) {
        if (e->d_name[0] == '.') continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        rc = run_path(sub);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;
    if (argc > 1) {
        for (int i = 1; i < argc && rc == 0; i++) rc = run_path(argv[i]);
    } else {
        char dirs[] = REPLAY_DIRS;
        for (char *p = strtok(dirs, ":"); p && rc == 0; p = strtok(NULL, ":")) rc = run_path(p);
    }
    printf("%d inputs replayed\n", count);
    return rc ? 1 : 0;
}
