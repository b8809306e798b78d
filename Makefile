# salesbot — every workflow is one make target. Needs only python3 (3.11+) on Debian.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The openai-whisper engine is optional and needs PyTorch (CPU build); WHISPER=0 skips it.
WHISPER ?= 1
comma := ,
EXTRAS := asr,test$(if $(filter 1,$(WHISPER)),$(comma)whisper,)
STAMP := $(VENV)/.installed-$(WHISPER)
CONFIG ?= config.yaml
PYTEST_ARGS ?=

.PHONY: venv test demo lint format fonts system-deps postgres migrate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(if $(filter 1,$(WHISPER)),$(BIN)/python -m pip install -q 'torch==2.13.0',)
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

# A Chinese font draws the stats charts (and makes browser screenshots readable).
fonts:
	@if ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  echo "installing a Chinese font (fonts-wqy-microhei) for charts and browser screenshots"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-wqy-microhei >/dev/null; \
	fi

# What the tests run besides Python, all Debian packages: Chromium for the browser tests (no
# browser download), nginx, systemd-analyze, envsubst and openssl for the deployment files,
# sqlite3 for the backup script.
system-deps: fonts
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  echo "installing Debian's nginx-light for the two-replica deployment test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx-light >/dev/null; \
	fi
	@missing=""; \
	command -v systemd-analyze >/dev/null 2>&1 || missing="$$missing systemd"; \
	command -v envsubst >/dev/null 2>&1 || missing="$$missing gettext-base"; \
	command -v sqlite3 >/dev/null 2>&1 || missing="$$missing sqlite3"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing for the deployment tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The suite runs every database test on SQLite and on the local PostgreSQL.
postgres:
	@if ! $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
	  echo "starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	fi

test: venv system-deps postgres
	SALESBOT_REQUIRE_POSTGRES=1 SALESBOT_REQUIRE_BROWSER=1 SALESBOT_REQUIRE_SYSTEM_TOOLS=1 \
	  $(BIN)/python -m pytest $(PYTEST_ARGS)

# The demo's sample voice notes were chosen under CTranslate2's AVX kernels (AVX2's int8 rounding
# mishears one of them), so the demo pins them on x86-64 to show what the samples say.
DEMO_ISA := $(if $(filter x86_64,$(shell uname -m)),CT2_FORCE_CPU_ISA=AVX)

demo: venv fonts
	$(DEMO_ISA) $(BIN)/salesbot demo --config $(CONFIG)

migrate: venv
	$(BIN)/salesbot migrate --config $(CONFIG)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot cards handlers nlp scheduler storage

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var test-output .pytest_cache .mypy_cache .ruff_cache
