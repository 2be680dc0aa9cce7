# dmswap-trace: BPF objects -> skeleton -> loader.
#   make            build/dmswap-trace (dynamically linked against Debian's libbpf)
#   make static     build/dmswap-trace-static (what the lab guest runs)
#   make test       unit tests on the host, then the lab suites on 6.1, 6.12, latest
#   make test-quick unit, host and style, then the lab's core checks on 6.12 (minutes)
#   make fuzz       libFuzzer targets (tests/fuzz/), FUZZ_SECONDS each, after their regression inputs
#   make demo       boot the lab on the newest kernel and trace a scripted workload
#   make install    PREFIX=/usr/local DESTDIR=
#   make deb        build/dmswap-trace_*.deb (scripts/build-deb; sources in build/deb-src)

CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= gcc
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
UNITDIR ?= $(PREFIX)/lib/systemd/system
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
# The log's rotation goes with the unit's absolute log path, not PREFIX.
SYSCONFDIR ?= /etc

BUILD := build
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -DDMSWAP_VERSION='"$(VERSION)"' \
	  -Ibpf -I$(BUILD) -Iuser
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -Ivmlinux -Ibpf
LDLIBS := -lbpf -lelf -lz
STATIC_LDLIBS := -static -lbpf -lelf -lz -lzstd

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_HDRS := $(wildcard bpf/*.h bpf/*.def) vmlinux/vmlinux.h
SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

# "report" (user/report/): reads logs, needs no BPF, so its objects do not
# wait for the skeletons.  Its page (page.html with page.css and page.js)
# becomes C arrays at build time (gen-page.sh).  The user/ headers it uses:
REPORT_SRCS := $(wildcard user/report/*.c)
REPORT_PAGE := user/report/page.html user/report/page.css user/report/page.js
REPORT_PAGE_C := $(BUILD)/report_page.c
REPORT_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(REPORT_SRCS)) $(BUILD)/user/report/page.o
REPORT_HDRS := $(wildcard user/report/*.h) user/escape.h user/exitcode.h user/json.h user/outfile.h

# The loader, minus main(): also linked into the unit tests.
LIB_SRCS := $(filter-out user/main.c,$(wildcard user/*.c))
LIB_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(LIB_SRCS)) $(REPORT_OBJS)
MAIN_OBJ := $(BUILD)/user/main.o
USER_HDRS := $(wildcard user/*.h) $(REPORT_HDRS) bpf/dmswap.h bpf/invariants.def

TEST_SRCS := $(wildcard tests/unit/*.c)

# libFuzzer targets: tests/fuzz/fuzz_NAME.c, linked with the user/ sources
# each needs, every one instrumented (clang's libFuzzer: libclang-rt-14-dev).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -g -O1 -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	       -DDMSWAP_VERSION='"$(VERSION)"' -Iuser -Ibpf \
	       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_jsonparse_SRCS := user/report/jsonparse.c user/escape.c
FUZZ_report_line_SRCS := $(REPORT_SRCS) $(REPORT_PAGE_C) user/json.c user/outfile.c user/escape.c
# Rotated logs are read through zlib.
FUZZ_report_line_LIBS := -lz
FUZZ_cli_SRCS := user/cli.c user/devices.c user/escape.c
# The log and what its JSON lines are made with; probe.c's offer needs libbpf.
FUZZ_log_reopen_SRCS := user/sink_log.c user/sink_json.c user/sink.c user/json.c user/escape.c \
	user/outfile.c user/clock.c user/event.c user/fields.c user/flight.c user/hooks.c \
	user/invariants.c user/ksyms.c user/probe.c user/offer.c user/offer_priv.c user/strset.c \
	user/caps.c user/env.c
FUZZ_log_reopen_LIBS := -lbpf -lelf -lz
# The seeds: every line of these logs, and (for the report) the whole files.
FUZZ_LOGS := $(wildcard tests/data/logs/*.jsonl)
TEST_OBJS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.o,$(TEST_SRCS))

.PHONY: all static test test-quick unit lab-test demo install deb clean deps format check-format fuzz fuzz-build
.DELETE_ON_ERROR:
# Keep the BPF object and skeleton: they are intermediate, but worth keeping.
.SECONDARY:

all: $(BUILD)/dmswap-trace

static: $(BUILD)/dmswap-trace-static

deps:
	scripts/install-deps

$(BUILD)/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $*_bpf > $@

$(BUILD)/user/%.o: user/%.c $(USER_HDRS) $(SKELS) | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/user/report/%.o: user/report/%.c $(REPORT_HDRS) | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(REPORT_PAGE_C): user/report/gen-page.sh $(REPORT_PAGE) | $(BUILD)
	user/report/gen-page.sh user/report/page.html > $@

$(BUILD)/user/report/page.o: $(REPORT_PAGE_C) user/report/report_page.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/dmswap-trace: $(MAIN_OBJ) $(LIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/dmswap-trace-static: $(MAIN_OBJ) $(LIB_OBJS)
	$(CC) $(CFLAGS) $^ -o $@ $(STATIC_LDLIBS)

$(BUILD)/tests/%.o: tests/unit/%.c $(USER_HDRS) tests/unit/unit.h $(SKELS) | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Iuser -Itests/unit -c $< -o $@

$(BUILD)/unit-tests: $(TEST_OBJS) $(LIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# FUZZ_NAME_SRCS: the user/ sources target NAME links.
.SECONDEXPANSION:
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(FUZZ_$$*_SRCS) $(USER_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_$*_SRCS) -o $@ $(FUZZ_$*_LIBS)

# Generated, not committed: build/fuzz/seed-NAME/.
$(BUILD)/fuzz/seeds.stamp: tests/fuzz/seeds.sh $(FUZZ_LOGS)
	@mkdir -p $(@D)
	tests/fuzz/seeds.sh $(@D) $(FUZZ_LOGS)
	@touch $@

$(BUILD):
	@mkdir -p $(BUILD)

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests tests/data

fuzz-build: $(FUZZ_BINS) $(BUILD)/fuzz/seeds.stamp

# Each target: its regression inputs once (tests/data/fuzz-regress/NAME/),
# then FUZZ_SECONDS of fuzzing; crashes are kept in tests/out/fuzz/.
fuzz: fuzz-build
	@rc=0; for t in $(FUZZ_NAMES); do tests/fuzz/run $$t $(FUZZ_SECONDS) || rc=1; done; exit $$rc

# Everything: host unit tests, then the lab suites; ends "N passed, N failed".
test: deps
	$(MAKE) all static $(BUILD)/unit-tests fuzz-build deb
	tests/run

# A developer's tier: minutes, not the whole suite (tests/run, TEST_TIER).
test-quick: deps
	$(MAKE) all static $(BUILD)/unit-tests deb
	TEST_TIER=quick tests/run

demo: deps
	$(MAKE) static
	scripts/lab run latest scripts/demo-workload.sh

install: $(BUILD)/dmswap-trace
	install -D -m 0755 $(BUILD)/dmswap-trace $(DESTDIR)$(SBINDIR)/dmswap-trace
	@mkdir -p $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' dist/dmswap-trace.service.in > $(DESTDIR)$(UNITDIR)/dmswap-trace.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/dmswap-trace.service
	@mkdir -p $(DESTDIR)$(MANDIR)/man8
	sed -e 's|^\.ds dmswap-sbindir .*|.ds dmswap-sbindir $(SBINDIR)|' \
	    -e 's|^\.ds dmswap-unitdir .*|.ds dmswap-unitdir $(UNITDIR)|' \
	    -e 's|^\.ds dmswap-datadir .*|.ds dmswap-datadir $(DATADIR)|' \
	    -e 's|^\.ds dmswap-sysconfdir .*|.ds dmswap-sysconfdir $(SYSCONFDIR)|' \
	    man/dmswap-trace.8 > $(DESTDIR)$(MANDIR)/man8/dmswap-trace.8
	chmod 0644 $(DESTDIR)$(MANDIR)/man8/dmswap-trace.8
	install -D -m 0644 dist/dmswap-trace.bash-completion \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/dmswap-trace
	install -D -m 0644 dist/dmswap-trace.logrotate $(DESTDIR)$(SYSCONFDIR)/logrotate.d/dmswap-trace
	install -D -m 0644 dist/dmswap-trace.rules.yml $(DESTDIR)$(DATADIR)/dmswap-trace/dmswap-trace.rules.yml

# The Debian package, built from a copy of the sources in $(BUILD)/deb-src
# (dpkg-buildpackage writes beside the source tree); the .deb lands in $(BUILD).
deb:
	scripts/build-deb $(BUILD)

format:
	clang-format -i bpf/*.c bpf/*.h user/*.c user/*.h user/report/*.c user/report/*.h \
		tests/unit/*.c tests/unit/*.h \
		tests/fuzz/*.c

check-format:
	clang-format --dry-run --Werror bpf/*.c bpf/*.h user/*.c user/*.h user/report/*.c \
		user/report/*.h tests/unit/*.c tests/unit/*.h \
		tests/fuzz/*.c

clean:
	rm -rf $(BUILD)

# The overhead benchmark in the lab (6.12 and latest): markdown on stdout,
# JSON and bench.md in bench/out/ (scripts/bench; BENCH_* variables).
.PHONY: bench
bench:
	scripts/bench $(BENCH_KERNELS)
