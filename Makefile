# Mentornet: `make demo` to try it, `make test` to check it. Everything installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export MENTORNET_INSTANCE_PATH ?= $(CURDIR)/instance

.PHONY: install demo serve test lint format translations translations-compile clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed translations-compile

## Compile the catalogues (translations/*/LC_MESSAGES/messages.mo) the app reads.
translations-compile: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d translations -D messages

## After changing user-facing strings: extract, merge into every catalogue, compile.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output \
		--project Mentornet --copyright-holder Mentornet -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -D messages \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d translations -D messages

demo: install
	$(BIN)/mentornet db upgrade
	$(BIN)/mentornet tenants load tenants
	$(BIN)/mentornet demo seed
	@echo "Mentornet demo: http://127.0.0.1:$(PORT)/  (logins in README.md)"
	FLASK_DEBUG=1 $(BIN)/mentornet run --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check platform tests benchmarks
	$(BIN)/ruff format --check platform tests benchmarks

format: $(VENV)/.installed
	$(BIN)/ruff format platform tests benchmarks
	$(BIN)/ruff check --fix platform tests benchmarks

clean:
	rm -rf $(VENV) instance build dist *.egg-info .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
