# dnshunt build. Plain make with pkg-config; `make deps` installs what a
# fresh Debian or Ubuntu machine lacks, and the other targets call it
# when pkg-config cannot find a library.

PROG      := dnshunt
VERSION   := 0.1.0
PREFIX    ?= /usr/local
CC        ?= cc
PKGS      := ncursesw sqlite3 jansson libpsl zlib nettle libisal libmaxminddb \
             snappy libzstd
TEST_PKGS := cmocka

# Debian packages: the libraries above, the test and benchmark tools.
DEB_BUILD := build-essential pkg-config libncurses-dev libsqlite3-dev \
             libjansson-dev libpsl-dev zlib1g-dev libreadline-dev nettle-dev \
             libisal-dev libmaxminddb-dev libsnappy-dev libzstd-dev \
             publicsuffix
DEB_TEST  := libcmocka-dev sqlite3 gzip tmux python3 python3-yaml
DEB_BENCH := jq time python3-sklearn wamerican

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wcast-qual -Wwrite-strings -Wundef -Wpointer-arith \
        -Wvla -Wno-format-nonliteral
OPT      ?= -O2 -g
CFLAGS   ?= $(OPT)
ifeq ($(WERROR),1)
CFLAGS   += -Werror
endif
CPPFLAGS += -D_GNU_SOURCE -DDNSHUNT_VERSION='"$(VERSION)"' -I.
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS)

# A fresh machine lacks the libraries: install them before anything is
# resolved, so a plain `make` or `make test` needs no manual step.
ifeq ($(filter clean deps,$(MAKECMDGOALS)),)
ifneq ($(shell pkg-config --exists $(PKGS) $(TEST_PKGS) && \
	command -v sqlite3 >/dev/null && command -v tmux >/dev/null && \
	test -f /usr/share/publicsuffix/public_suffix_list.dat && \
	/usr/bin/python3 -c 'import yaml' 2>/dev/null && \
	echo yes),yes)
$(info dnshunt: installing missing packages)
DEPS_RC := $(shell sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST) >&2; echo $$?)
endif
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lreadline -lm \
              -pthread

SRC_CORE    := $(wildcard core/*.c)
SRC_STORAGE := $(wildcard storage/*.c)
SRC_MODEL   := $(wildcard model/*.c)
SRC_TUI     := $(wildcard tui/*.c)
LIB_SRC     := $(filter-out core/main.c,$(SRC_CORE)) $(SRC_STORAGE) \
               $(SRC_MODEL) $(SRC_TUI)

# The default model is linked into the program (core/model_blob.S); a
# tree without it still builds, and classify then needs --model FILE.
MODEL_FILE  := model/dnshunt.model
MODEL_BLOB   = $(or $(wildcard $(MODEL_FILE)),$(BUILD)/no.model)

BUILD ?= build
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/core/model_blob.o
MAIN_OBJ := $(BUILD)/core/main.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Fuzz targets: libFuzzer programs for `make fuzz`, and the same targets
# with a plain driver that `make test` runs over their corpora.
FUZZ_SRC    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/%)
FUZZ_BIN    := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 60

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all deps check-deps test check unit asan bench clean install \
        model bench-model bench-score demo retrain test-real fuzz

# Where the training corpora are (not shipped: see docs/model.md).
DATA ?= ../shared/data

all: check-deps $(PROG)

# Install missing Debian packages (through sudo when not root).
deps:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

check-deps:
	@pkg-config --exists $(PKGS) $(TEST_PKGS) || \
	  { echo "dnshunt: missing libraries; run 'make deps'" >&2; exit 1; }

$(PROG): $(LIB_OBJ) $(MAIN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/no.model:
	@mkdir -p $(dir $@)
	@touch $@

$(BUILD)/core/model_blob.o: core/model_blob.S $(MODEL_BLOB)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) -c -DDNSHUNT_MODEL_FILE='"$(MODEL_BLOB)"' -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $^ \
	  $(PKG_LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ \
	  $(PKG_LIBS)

$(BUILD)/tests/bench_classify: tests/bench/classify.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS)

unit: $(UNIT_BIN) $(FUZZ_REPLAY)

# Each fuzz target for FUZZ_SECONDS (60) with libFuzzer, AddressSanitizer
# and UBSan (clang), from the corpora in tests/fuzz/corpus; prints the
# runs and seconds of each, and keeps any crash in build-fuzz/crashes.
fuzz: check-deps
	@sh tests/deps.sh clang
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	  OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	  -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	  -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION" \
	  build-fuzz/fuzz-built
	@sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

build-fuzz/fuzz-built: $(FUZZ_BIN)
	@touch $@

# The main job on a simulated day (seed 1, 200 hosts, every attack):
# import, score, then the console on a terminal, else the ranked hosts
# and the alerts. The store is kept for exploring afterwards.
DEMO := $(BUILD)/demo
demo: all
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@echo "dnshunt demo: simulating a day of 200 hosts in $(DEMO)/day"
	@./$(PROG) simulate --out $(DEMO)/day >/dev/null
	@./$(PROG) --db $(DEMO)/demo.db import $(DEMO)/day/AWSLogs
	@./$(PROG) --db $(DEMO)/demo.db score
	@if [ -t 0 ] && [ -t 1 ]; then ./$(PROG) --db $(DEMO)/demo.db console; \
	else ./$(PROG) --db $(DEMO)/demo.db hosts --limit 10 && echo && \
	  ./$(PROG) --db $(DEMO)/demo.db alerts; fi
	@echo "dnshunt demo: the store is $(CURDIR)/$(DEMO)/demo.db;" \
	  "explore it with ./$(PROG) --db $(DEMO)/demo.db (or hosts, explain HOST)"

# npm (for the Athena grammar check) only when missing: a Node.js from
# elsewhere carries its own npm, which Debian's package would fight.
test check: all unit
	@command -v npm >/dev/null || sh tests/deps.sh nodejs npm
	@sh tests/run.sh $(BUILD) ./$(PROG)

# Every test again under AddressSanitizer and UBSan, in a separate tree.
asan: check-deps
	@$(MAKE) --no-print-directory BUILD=build-asan PROG=dnshunt-asan \
	  OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=undefined" LDFLAGS="-fsanitize=address,undefined" \
	  dnshunt-asan build-asan/tests-built
	@command -v npm >/dev/null || sh tests/deps.sh nodejs npm
	@ASAN_OPTIONS=detect_leaks=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  sh tests/run.sh build-asan ./dnshunt-asan

build-asan/tests-built: $(UNIT_BIN) $(FUZZ_REPLAY)
	@touch $@

bench: all $(BUILD)/tests/bench_classify
	@sh tests/deps.sh $(DEB_BENCH)
	@command -v npm >/dev/null || sh tests/deps.sh nodejs npm
	@sh tests/bench/run.sh ./$(PROG)
	@sh tests/bench/model.sh ./$(PROG) $(BUILD)/tests/bench_classify $(DATA)
	@sh tests/bench/simulate.sh ./$(PROG)
	@sh tests/bench/score.sh ./$(PROG)
	@sh tests/bench/console.sh ./$(PROG)

# The scoring part of the benchmark alone.
bench-score: all
	@sh tests/deps.sh time
	@sh tests/bench/score.sh ./$(PROG)

# The model part of the benchmark alone.
bench-model: all $(BUILD)/tests/bench_classify
	@sh tests/deps.sh $(DEB_BENCH)
	@sh tests/bench/model.sh ./$(PROG) $(BUILD)/tests/bench_classify $(DATA)

# Rebuild the default model from the corpora (needs the English word
# list), then relink so the program carries the new model.
model: all
	@sh tests/deps.sh wamerican
	@sh model/train.sh ./$(PROG) $(DATA) $(MODEL_FILE)
	@$(MAKE) --no-print-directory all

# Real tunnel tools (iodine, dns2tcp) between network namespaces, their
# DNS captured and turned into AWS logs: each must alert on its first
# minute. Needs root; skipped with a message when it cannot run.
test-real: all
	@sh tests/deps.sh iodine dns2tcp tshark sqlite3 || true
	@sh tests/real/run.sh ./$(PROG) | tee build/test-real.out
	@echo "$$(grep -c '^ok' build/test-real.out) passed, $$(grep -c '^not ok' build/test-real.out) failed"
	@! grep -q '^not ok' build/test-real.out

# A model retrained from the verdicts in the store $(DB) on the same
# corpora, kept in that store (see `dnshunt retrain`).
DB ?= dnshunt.db
retrain: all
	@sh tests/deps.sh wamerican
	@DNSHUNT_DB=$(DB) sh model/train.sh --retrain ./$(PROG) $(DATA)

# The program (with the default model linked in), the man page, and the
# model file itself for `--model` and `eval`.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/dnshunt
	install -m 755 $(PROG) $(DESTDIR)$(PREFIX)/bin/$(PROG)
	install -m 644 docs/dnshunt.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(MODEL_FILE) $(MODEL_FILE).txt \
	    $(DESTDIR)$(PREFIX)/share/dnshunt/

clean:
	rm -rf build build-asan build-fuzz $(PROG) dnshunt-asan

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
