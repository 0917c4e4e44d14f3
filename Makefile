# Kiln — one hand-written Makefile. `make` builds bin/kiln and build/libkiln.a;
# `make run` builds and runs the sample; `make test` builds and runs every test.
# SAN=1 builds with AddressSanitizer + UBSan (and sljit's argument checks) into build-san/.
# FUZZ=1 builds the library with clang for libFuzzer (ASan + UBSan) into build-fuzz/;
# `make fuzz FUZZ_SECONDS=N` builds the fuzz targets and runs each for N seconds.

CC      ?= cc
SAN     ?= 0
WARN    := -Wall -Wextra -Wshadow -Wundef -Wwrite-strings -Wmissing-prototypes \
           -Wstrict-prototypes -Wold-style-definition -Werror
SLJIT_REL := -DSLJIT_CONFIG_AUTO=1 -DSLJIT_DEBUG=0 -DSLJIT_VERBOSE=0
SLJIT_DBG := -DSLJIT_CONFIG_AUTO=1 -DSLJIT_DEBUG=1 -DSLJIT_VERBOSE=1 -DSLJIT_ARGUMENT_CHECKS=1

FUZZ    ?= 0
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := classfile archive asm
HAVE_CLANG := $(shell command -v clang >/dev/null 2>&1 && echo 1)

ifeq ($(FUZZ),1)
  CC      := clang
  BUILD   := build-fuzz
  OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
             -fno-sanitize-recover=undefined -fsanitize-address-use-after-return=never
  LDSAN   := -fsanitize=fuzzer,address,undefined
  SLJIT_FLAGS := $(SLJIT_REL)
  BIN     := $(BUILD)/kiln
else ifeq ($(SAN),1)
  BUILD   := build-san
  OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  OPT     += $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null)),,--param=asan-use-after-return=0)
  LDSAN   := -fsanitize=address,undefined
  SLJIT_FLAGS := $(SLJIT_DBG)
  BIN     := $(BUILD)/kiln
else
  BUILD   := build
  OPT     := -O2 -g
  LDSAN   :=
  SLJIT_FLAGS := $(SLJIT_REL)
  BIN     := bin/kiln
endif

comma   := ,
CFLAGS  := -std=gnu11 $(OPT) $(WARN) -fvisibility=hidden -fPIC -D_GNU_SOURCE -MMD -MP
LIBS    := -lgc -lzip -lm -lpthread -ldl
SLJIT   := third_party/sljit
DEPS_OK := $(SLJIT)/.vendored-from

LIB_DIRS := gc vm loader verifier interp jit compiler stdlib
LIB_SRC  := $(filter-out vm/main.c vm/cli_%.c,$(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/sljit/sljitLir.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
# Embedding API tests: C hosts (tests/embed/*.c, each with its .kl scripts) linked
# against libkiln.a, plus one linked against libkiln.so through an installed kiln.pc.
API_SRC  := $(wildcard tests/embed/*.c)
API_BIN  := $(API_SRC:tests/embed/%.c=$(BUILD)/embed/%) $(BUILD)/embed/shared_host
PREFIX  ?= /usr/local
# Replays of the fuzz targets over their regression inputs and seed corpus (gcc or SAN
# builds, no libFuzzer needed); the libFuzzer binaries themselves (FUZZ=1 only).
REPLAY_BIN := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
FUZZ_BIN   := $(FUZZ_TARGETS:%=build-fuzz/fuzz_%)

.PHONY: all run test test-unit test-lang test-embed deps clean bench bench-collections fuzz fuzz-build install
all: $(BIN) $(BUILD)/libkiln.so $(BUILD)/kiln.pc

# Dependencies are installed by tools/deps.sh (idempotent; ~0.1 s when done).
$(DEPS_OK):
	@tools/deps.sh
deps:
	@tools/deps.sh

$(BUILD)/sljit/sljitLir.o: $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(OPT) -fPIC -fvisibility=hidden $(SLJIT_FLAGS) -c $(SLJIT)/sljitLir.c -o $@

$(BUILD)/jit/%.o: jit/%.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(SLJIT) $(SLJIT_FLAGS) -c $< -o $@

$(BUILD)/%.o: %.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libkiln.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The shared library exports only the kiln_* API (everything else is built with
# -fvisibility=hidden; include/kiln.h marks the API with KILN_API).
$(BUILD)/libkiln.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libkiln.so -Wl,-z,defs $(LDSAN) -o $@ $^ $(LIBS)

KILN_VER := $(shell sed -n 's/^\#define KILN_VERSION "\(.*\)"/\1/p' include/kiln.h)
PC_SUBST  = sed -e 's\#@PREFIX@\#$(PREFIX)\#' -e 's\#@VERSION@\#$(KILN_VER)\#' tools/kiln.pc.in
$(BUILD)/kiln.pc: tools/kiln.pc.in include/kiln.h
	@mkdir -p $(dir $@)
	$(PC_SUBST) > $@

# make install PREFIX=/opt/kiln: the header, both libraries and kiln.pc (for PREFIX).
install: $(BUILD)/libkiln.a $(BUILD)/libkiln.so
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/kiln.h $(DESTDIR)$(PREFIX)/include/kiln.h
	install -m 644 $(BUILD)/libkiln.a $(DESTDIR)$(PREFIX)/lib/libkiln.a
	install -m 755 $(BUILD)/libkiln.so $(DESTDIR)$(PREFIX)/lib/libkiln.so
	$(PC_SUBST) > $(DESTDIR)$(PREFIX)/lib/pkgconfig/kiln.pc

$(BUILD)/embed/%: tests/embed/%.c tests/embed/host.h $(BUILD)/libkiln.a $(BUILD)/embed/data/geom.kar
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Iinclude -Wno-missing-prototypes '-DAPI_DATA="$(BUILD)/embed/data"' $(LDSAN) \
	    -o $@ $< $(BUILD)/libkiln.a $(LIBS)

# Compiled classes for the loading tests: a class directory and an archive.
$(BUILD)/embed/data/geom.kar: tests/embed/lib/geom.kl $(BIN)
	@rm -rf $(BUILD)/embed/data && mkdir -p $(BUILD)/embed/data/dir
	$(BIN) build -d $(BUILD)/embed/data/dir $<
	$(BIN) build -o $@ $<

# The same kind of host, built as a user would: install into a staging prefix and
# ask pkg-config for the flags; it runs against the staged libkiln.so.
$(BUILD)/embed/shared_host: tests/embed/shared/shared_host.c $(BUILD)/libkiln.so tools/kiln.pc.in
	@rm -rf $(BUILD)/stage
	@$(MAKE) --no-print-directory install PREFIX=$(CURDIR)/$(BUILD)/stage BUILD=$(BUILD) >/dev/null
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDSAN) -o $@ $< $$(PKG_CONFIG_PATH=$(BUILD)/stage/lib/pkgconfig pkg-config --cflags --libs kiln) \
	    -Wl,-rpath,$(CURDIR)/$(BUILD)/stage/lib

$(BIN): $(BUILD)/vm/main.o $(BUILD)/vm/cli_compare.o $(BUILD)/libkiln.a
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(LDSAN) -o $@ $^ $(LIBS)

$(BUILD)/unit/%: tests/unit/%.c $(BUILD)/libkiln.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(LDSAN) -o $@ $< $(BUILD)/libkiln.a $(LIBS)

$(BUILD)/fuzz/replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c $(BUILD)/libkiln.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDSAN) '-DREPLAY_DIRS="tests/fuzz/regressions/$*:tests/fuzz/corpus_$*"' \
	    -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_$*.c $(BUILD)/libkiln.a $(LIBS)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/libkiln.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDSAN) -o $@ $< build-fuzz/libkiln.a $(LIBS)

run: $(BIN)
	$(BIN) samples/hello.kl

# The suite; then, in the plain build, the same suite under SAN=1, and each fuzz
# target for FUZZ_SMOKE seconds when clang is there (README: "Testing").
FUZZ_SMOKE ?= 30
test: $(BIN) $(UNIT_BIN) $(REPLAY_BIN) $(API_BIN)
	@tools/runtests.sh $(BIN) $(UNIT_BIN) $(REPLAY_BIN) $(API_BIN)
ifeq ($(SAN)$(FUZZ),00)
ifneq ($(CI_QUICK),1)
	@$(MAKE) --no-print-directory SAN=1 test
	@if [ -n "$(HAVE_CLANG)" ]; then \
	    $(MAKE) --no-print-directory FUZZ=1 fuzz-build >/dev/null && \
	    tools/fuzz.sh $(FUZZ_SMOKE) $(FUZZ_TARGETS); \
	else echo "note: clang not found; the fuzz targets were not run"; fi
endif
endif

fuzz-build: $(FUZZ_BIN)

fuzz:
	@if [ -z "$(HAVE_CLANG)" ]; then echo "make fuzz needs clang (libFuzzer)"; exit 1; fi
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-build
	@tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

test-embed: $(API_BIN)
	@tools/runtests.sh --unit-only $(BIN) $(API_BIN)

# `make bench`: Kiln's tiers against C, Java, Lua and LuaJIT on the AWFY and Benchmarks
# Game ports in bench/ (bench/README.md); writes bench/RESULTS.md and bench/results.svg.
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--quick --bench Richards --systems kiln-t1,java".
BENCH_ARGS ?=
bench: $(BIN)
	@command -v python3 >/dev/null 2>&1 || EXTRA_PKGS=python3 tools/deps.sh
	@python3 bench/bench.py $(BENCH_ARGS)

test-unit: $(UNIT_BIN)
	@tools/runtests.sh --unit-only $(BIN) $(UNIT_BIN)

clean:
	rm -rf build build-san build-fuzz bin

-include $(LIB_OBJ:.o=.d) $(BUILD)/vm/main.d $(REPLAY_BIN:=.d) $(FUZZ_BIN:=.d) $(API_BIN:=.d)
$(BUILD)/compiler/prelude.o: stdlib/std/core.kl

# std.core compiled at build time (stdlib/core_image.c): tools/mkcoreimage, linked
# with the library's objects but an empty image, compiles it, checks that a VM
# loads and verifies it, and writes the image the library embeds.
CORE_IMAGE := $(BUILD)/core.klimg
GEN_OBJ    := $(filter-out $(BUILD)/stdlib/core_image.o,$(LIB_OBJ)) $(BUILD)/tools/core_image_none.o
GEN_LDSAN  := $(subst fuzzer$(comma),,$(LDSAN))
$(BUILD)/tools/core_image_none.o: stdlib/core_image.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/tools/mkcoreimage: tools/mkcoreimage.c $(GEN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Iinclude -Wno-missing-prototypes $(GEN_LDSAN) -o $@ $^ $(LIBS)
$(CORE_IMAGE): $(BUILD)/tools/mkcoreimage
	$(BUILD)/tools/mkcoreimage $@
$(BUILD)/stdlib/core_image.o: stdlib/core_image.c $(CORE_IMAGE) $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) '-DKILN_CORE_IMAGE="$(CORE_IMAGE)"' -c $< -o $@
$(BUILD)/stdlib/embed.o: stdlib/std/math.kl stdlib/std/sys.kl stdlib/std/io.kl stdlib/std/text.kl

# `make bench-api`: the cost of one host-to-script call, Kiln's kiln_call against Lua
# 5.4's C API (needs Debian's liblua5.4-dev, installed when missing). Not a test.
bench-api: $(BUILD)/libkiln.a
	@dpkg -s liblua5.4-dev >/dev/null 2>&1 || apt-get install -y -qq liblua5.4-dev >/dev/null
	$(CC) -std=gnu11 -O2 -Iinclude -o $(BUILD)/call_cost bench/api/call_cost.c $(BUILD)/libkiln.a $(LIBS) -llua5.4
	@$(BUILD)/call_cost

# `make bench-collections`: List<int>.get and Map<String, int>.get in Kiln's tiers
# against Java 17, Lua 5.4 and LuaJIT (bench/collections/README.md). Not a test.
# BENCH_COLL_ARGS passes options, e.g. "-n 3 -- 100000 20 10000 20".
BENCH_COLL_ARGS ?=
bench-collections: $(BIN)
	@bench/collections/run.sh $(BENCH_COLL_ARGS)

# `make samples`: the embedding samples (samples/embed/*.c), linked with libkiln.a.
SAMPLE_SRC := $(wildcard samples/embed/*.c)
SAMPLE_BIN := $(SAMPLE_SRC:samples/embed/%.c=$(BUILD)/samples/%)
samples: $(SAMPLE_BIN)
$(BUILD)/samples/%: samples/embed/%.c $(BUILD)/libkiln.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Iinclude -Wno-missing-prototypes $(LDSAN) -o $@ $< $(BUILD)/libkiln.a $(LIBS)
