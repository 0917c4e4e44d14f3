# Kiln — one hand-written Makefile. `make` builds bin/kiln and build/libkiln.a;
# `make run` builds and runs the sample; `make test` builds and runs every test.
# SAN=1 builds with AddressSanitizer + UBSan (and sljit's argument checks) into build-san/.

CC      ?= cc
SAN     ?= 0
WARN    := -Wall -Wextra -Wshadow -Wundef -Wwrite-strings -Wmissing-prototypes \
           -Wstrict-prototypes -Wold-style-definition -Werror
SLJIT_REL := -DSLJIT_CONFIG_AUTO=1 -DSLJIT_DEBUG=0 -DSLJIT_VERBOSE=0
SLJIT_DBG := -DSLJIT_CONFIG_AUTO=1 -DSLJIT_DEBUG=1 -DSLJIT_VERBOSE=1 -DSLJIT_ARGUMENT_CHECKS=1

ifeq ($(SAN),1)
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

CFLAGS  := -std=gnu11 $(OPT) $(WARN) -fvisibility=hidden -fPIC -D_GNU_SOURCE -MMD -MP
LIBS    := -lgc -lzip -lm -lpthread -ldl
SLJIT   := third_party/sljit
DEPS_OK := $(SLJIT)/.vendored-from

LIB_DIRS := gc vm loader verifier interp jit compiler stdlib
LIB_SRC  := $(filter-out vm/main.c,$(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/sljit/sljitLir.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)

.PHONY: all run test test-unit test-lang deps clean bench fuzz
all: $(BIN)

# Dependencies are installed by tools/deps.sh (idempotent; ~0.1 s when done).
$(DEPS_OK):
	@tools/deps.sh
deps:
	@tools/deps.sh

$(BUILD)/sljit/sljitLir.o: $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(OPT) -fPIC $(SLJIT_FLAGS) -c $(SLJIT)/sljitLir.c -o $@

$(BUILD)/jit/%.o: jit/%.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(SLJIT) $(SLJIT_FLAGS) -c $< -o $@

$(BUILD)/%.o: %.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libkiln.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/vm/main.o $(BUILD)/libkiln.a
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(LDSAN) -o $@ $^ $(LIBS)

$(BUILD)/unit/%: tests/unit/%.c $(BUILD)/libkiln.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(LDSAN) -o $@ $< $(BUILD)/libkiln.a $(LIBS)

run: $(BIN)
	$(BIN) samples/hello.kl

test: $(BIN) $(UNIT_BIN)
	@tools/runtests.sh $(BIN) $(UNIT_BIN)

test-unit: $(UNIT_BIN)
	@tools/runtests.sh --unit-only $(BIN) $(UNIT_BIN)

clean:
	rm -rf build build-san bin

-include $(LIB_OBJ:.o=.d) $(BUILD)/vm/main.d
