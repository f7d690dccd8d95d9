# dlmath: `make book` builds the HTML book, `make test` runs the whole test suite.
# Both create the virtual environment .venv from requirements.txt first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Offline data: DLMATH_DATA, if set, is used as it is. Otherwise a mirror beside the clone
# (../shared/data) is used when there is one, else the official files are downloaded.
ifeq ($(strip $(DLMATH_DATA)),)
  ifneq ($(wildcard ../shared/data/README.md),)
    DLMATH_DATA := $(abspath ../shared/data)
  endif
endif
export DLMATH_DATA

.PHONY: book test sync results lint clean check-platforms

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

book: $(STAMP)
	@echo "DLMATH_DATA=$(or $(DLMATH_DATA),unset: official downloads)  DLMATH_PROFILE=$(or $(DLMATH_PROFILE),unset: quick for chapters without a current reference run)"
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book: $(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

# Copy tools/setup_cell.py into every chapter and re-pair book/*.md with notebooks/*.ipynb.
sync: $(STAMP)
	$(BIN)/python tools/sync.py

# The reference runs: every model chapter (or CHAPTERS) in the full profile, each writing
# results/<chapter>.json by its own code and results/<chapter>.ipynb, the executed notebook
# the web book renders; tools/sync.py then copies the records into the chapters.
# To try the pipeline on a CPU, write elsewhere:
#   make results PROFILE=quick RESULTS_DIR=$$(mktemp -d) [CHAPTERS="activations ..."]
PROFILE := full
RESULTS_DIR := results
results: $(STAMP)
	$(BIN)/python tools/run_chapters.py --profile $(PROFILE) --results $(RESULTS_DIR) $(CHAPTERS)

lint: $(STAMP)
	$(BIN)/ruff check .

# Resolve requirements.txt for macOS on Apple silicon (needs PyPI, installs nothing);
# Linux x86_64 is what `make book` and CI install on.
check-platforms: $(STAMP)
	for py in 3.11.9 3.12.8; do \
	  echo "== Python $$py on macosx_12_0_arm64"; \
	  $(BIN)/pip install --quiet --dry-run --ignore-installed --target $(VENV)/.dry-run \
	    --platform macosx_12_0_arm64 --only-binary=:all: --python-version $$py \
	    -r requirements.txt || exit 1; done

clean:
	rm -rf _build
