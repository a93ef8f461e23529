# benchtriage — plain GNU Make.
#
#   make            build ./benchtriage
#   make run        install missing packages, build, start the main job
#   make test       install missing packages, build, run every test
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each
#   make bench      benchmarks with ratios against a reference (docs/PERFORMANCE.md)
#
# Every knob is ?= so a caller can override it. Feature macros live here only.

PROG      ?= benchtriage
CC        ?= cc
FUZZ_CC   ?= clang
PKG_CONFIG ?= pkg-config
BUILD     ?= build
FUZZ_SECONDS ?= 60
FUZZ_BRIEF_SECONDS ?= 8

# Debian 12 packages needed to build, test and run. `make deps` installs the missing ones.
DEB_PKGS := pkg-config make gcc libncurses-dev libimobiledevice-dev libirecovery-1.0-dev \
            libserialport-dev libcmocka-dev libinih-dev libjansson-dev libsqlite3-dev \
            tmux socat clang libclang-rt-14-dev valgrind python3 ncurses-base procps \
            libusb-1.0-0-dev

PKGS      := libimobiledevice-1.0 libirecovery-1.0 libusb-1.0 libserialport ncursesw jansson inih sqlite3

# Feature macros: the same pair ncursesw's pkg-config asks for, applied to every file, so no
# source file defines its own (a second definition would collide).
FEATURES  := -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600
# RTLD_NEXT (dlfcn.h) for the one file that works around libirecovery 1.0.0's open.
$(BUILD)/probes/recovery/backend_irecv.o: FEATURES += -D_GNU_SOURCE
PKG_CFLAGS = $(filter-out -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600,$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARN      := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes \
             -Wmissing-prototypes -Wformat=2 -Wundef -Wnull-dereference -fno-common
OPT       ?= -O2 -g
CFLAGS    ?= $(OPT)
ifeq ($(CI),true)
WERROR    ?= 1
endif
ifeq ($(SAN),1)
WERROR    := 0
endif
ifeq ($(WERROR),1)
WARN      += -Werror
endif
ifeq ($(SAN),1)
BUILD     := build-san
PROG      := build-san/benchtriage
CC        := clang
CFLAGS    := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS   += -fsanitize=address,undefined
endif

ALL_CFLAGS = -std=c11 $(FEATURES) $(WARN) $(CFLAGS) -I. -Isrc -Iprobes $(PKG_CFLAGS) -MMD -MP
LIBS       = $(PKG_LIBS) -lpthread -lm

LIB_SRC   := $(sort $(filter-out src/main.c,$(shell find src probes -name '*.c' 2>/dev/null)))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB_A     := $(BUILD)/libbenchtriage.a

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HELP := $(sort $(wildcard tests/unit/helpers/*.c))
UNIT_HELP_OBJ := $(UNIT_HELP:%.c=$(BUILD)/%.o)

FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)

.PHONY: build run test deps unit e2e fuzz fuzz-brief san-test valgrind-test bench clean lint check-boards
.DEFAULT_GOAL := build

build: $(PROG)

$(PROG): $(BUILD)/src/main.o $(LIB_A)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_A) $(UNIT_HELP_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(UNIT_HELP_OBJ) $(LIB_A) \
	  $$(cat tests/unit/$*.ldflags 2>/dev/null) $(LIBS) $(shell $(PKG_CONFIG) --libs cmocka)

# Install what is missing, with sudo when not root; say clearly when neither works.
deps:
	@missing=""; \
	for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "benchtriage: installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	  elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; \
	  else echo "benchtriage: missing packages:$$missing; run as root or install sudo" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing \
	    || { echo "benchtriage: could not install:$$missing" >&2; exit 1; }; \
	fi

run: deps
	@$(MAKE) --no-print-directory build
	./$(PROG) $(RUN_ARGS)

test: deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory unit-bins
	@sh tests/run-all.sh

unit-bins: $(UNIT_BIN)

unit: unit-bins
	@sh tests/run-all.sh unit

e2e: build
	@sh tests/run-all.sh e2e

san-test:
	@$(MAKE) --no-print-directory SAN=1 build unit-bins
	@sh tests/run-all.sh san

valgrind-test: build
	@sh tests/run-all.sh valgrind

# libFuzzer targets: every parser. The library is compiled once with fuzzer instrumentation
# (fuzzer-no-link) and each target links against that archive.
FUZZ_FLAGS := -std=c11 $(FEATURES) -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
              -I. -Isrc -Iprobes
FUZZ_OBJ   := $(LIB_SRC:%.c=build-fuzz/obj/%.o)

build-fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build-fuzz/libbt-fuzz.a: $(FUZZ_OBJ)
	@rm -f $@
	@ar rcs $@ $^

build-fuzz/%: tests/fuzz/%.c build-fuzz/libbt-fuzz.a
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< build-fuzz/libbt-fuzz.a $(LIBS)

fuzz-bins: $(FUZZ_BIN)

fuzz: fuzz-bins
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_BIN)

fuzz-brief: fuzz-bins
	@FUZZ_SECONDS=$(FUZZ_BRIEF_SECONDS) sh tests/fuzz/run.sh $(FUZZ_BIN)

$(BUILD)/bench/%: tests/bench/%.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

bench: deps
	@$(MAKE) --no-print-directory build $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/*.c))
	@BUILD=$(BUILD) sh tests/bench/run.sh

check-boards: build
	./$(PROG) boards check boards/*.ini

# Include boundaries and banned functions, made mechanical.
lint:
	@sh tests/lint.sh

clean:
	rm -rf build build-san build-fuzz $(PROG)

-include $(shell find $(BUILD) build-fuzz/obj -name "*.d" 2>/dev/null)
