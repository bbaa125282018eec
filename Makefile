# For readers, authors and CI (each creates and reuses a virtual environment in .venv from requirements.txt):
#   make book        build the HTML book into _build/html (open _build/html/index.html)
#   make check       the quick tier: library, exercises, static notebook checks (no build, no browser)
#   make test        check + strict nbval + one book build + the site in Chromium + Live Code + PDFs and slides
#   make test-envs   the readers' environments: Colab floors, Binder, nbval with SIMD dispatch off (noxfile.py)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.requirements-installed
# From npm, each pinned: Live Code's thebe (see live-code below), axe-core for the browser tests
# (tests/browser/package-lock.json) and reveal.js for the slides (book/course/slides/package-lock.json).
THEBE  := _ext/thebe/dist/.unpacked
AXE    := tests/browser/node_modules/axe-core/axe.min.js
REVEAL := book/course/slides/node_modules/reveal.js/dist/reveal.js
# Notebooks are re-executed whenever rlbits or the pinned requirements change.
LIB_HASH = $(shell cat requirements.txt $$(find lib -name '*.py' | LC_ALL=C sort) | sha256sum | cut -c1-16)

.PHONY: book check test test-envs notebooks clean browser-deps live-code instructor instructor-pdf pdf slides site

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(STAMP)

# Without thebe (make live-code, needs npm) the book builds with Live Code off, and says so once.
book: $(STAMP)
	@mkdir -p _build
	@if [ "$$(cat _build/.lib-hash 2>/dev/null)" != "$(LIB_HASH)" ]; then \
		echo "rlbits or requirements changed: clearing the execution cache"; \
		rm -rf _build/.jupyter_cache; fi
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "$(LIB_HASH)" > _build/.lib-hash
	@echo "The book is in _build/html: open _build/html/index.html in a browser."

# The test tiers (markers in pyproject.toml, fixtures in tests/conftest.py). Tests not marked build run on
# one pytest-xdist worker per core (a notebook's cells, or a module's tests, on one worker); those marked
# build run in one process, which builds the book once into pytest's temporary folder. The browser tests
# skip where Chromium is missing (and fail if CI=true).
PYTEST := $(BIN)/python -m pytest

check: $(STAMP)
	$(PYTEST) -n auto --dist loadscope -m "not build and not docs and not slow" tests

test: $(STAMP) $(THEBE) $(AXE) $(REVEAL)
	$(PYTEST) -n auto --dist loadscope -m "not build" --nbval --nbval-current-env tests book
	$(PYTEST) -m build tests

test-envs: $(STAMP)
	$(BIN)/nox

# Live Code (Thebe) is served from the site itself: the npm tarballs named in _ext/thebe/SHA512SUMS
# (thebe's prebuilt bundle and require.js), checked against those hashes and unpacked into
# _ext/thebe/dist/, which _ext/live_code.py copies into the build. Needs npm (`npm pack` only: no
# node_modules, none of thebe's 960 build dependencies).
live-code: $(THEBE)

NEED_NPM = command -v npm >/dev/null || { echo "$@ needs npm (make browser-deps installs it on Debian, as root)"; exit 1; }

$(THEBE): _ext/thebe/SHA512SUMS
	@$(NEED_NPM)
	rm -rf _ext/thebe/dist && mkdir -p _ext/thebe/dist
	cd _ext/thebe/dist && for tgz in $$(awk '{print $$2}' ../SHA512SUMS); do \
		npm pack --silent "$$(echo $$tgz | sed -E 's/-([0-9][^-]*)\.tgz$$/@\1/')" >/dev/null || exit 1; done \
	&& sha512sum -c ../SHA512SUMS \
	&& for tgz in *.tgz; do mkdir -p "$${tgz%.tgz}" && tar xzf "$$tgz" -C "$${tgz%.tgz}" --strip-components=1 || exit 1; done
	touch $(THEBE)

# What `make test` needs besides .venv: Chromium (found as `chromium` on the PATH, or named by the
# environment variable CHROMIUM) and npm, which fetches axe-core, reveal.js and thebe. The only target
# that uses apt (Debian, as root; CI runs it in .ci/run): it installs Chromium and npm where missing.
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v npm >/dev/null; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium npm; fi
	$(MAKE) $(AXE) $(REVEAL) $(THEBE)

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@$(NEED_NPM)
	cd tests/browser && npm ci --no-audit --no-fund
	@touch $(AXE)

# Re-execute notebooks in place to refresh their committed outputs (all, or NB=01_entropy.ipynb;
# paths are relative to book/, e.g. NB=course/handout.ipynb). Each runs in its own folder, as in the
# book build. Widget state is dropped: it changes at every run and the static site does not use it.
NOTEBOOKS := intro.ipynb [0-9]*.ipynb course/*.ipynb course/instructor/*.ipynb performance.ipynb
notebooks: $(STAMP)
	cd book && for nb in $${NB:-$(NOTEBOOKS)}; do echo "executing $$nb"; \
	../$(BIN)/python -c "import os, sys, nbformat, nbclient; p = sys.argv[1]; nb = nbformat.read(p, 4); \
	nbclient.NotebookClient(nb, timeout=600, kernel_name='python3', record_timing=False, \
	resources={'metadata': {'path': os.path.dirname(os.path.abspath(p))}}).execute(); \
	nb.metadata.pop('widgets', None); nbformat.write(nb, p)" $$nb || exit 1; done

# The instructor edition: the public book plus the worked answers, the exit-ticket key and the discussion
# guide (book/course/instructor/). Built from the committed notebook outputs into _build/instructor; never
# published (the public _toc.yml does not list these pages, so the public site neither builds nor indexes them).
instructor: $(STAMP)
	@mkdir -p _build/instructor
	$(BIN)/python book/course/instructor/config.py _build/instructor/_config.yml
	RLBITS_EXPLORER_STATES=$(CURDIR)/_build/.explorer_states RLBITS_PHONE_FIGURES=$(CURDIR)/_build/phone_figures \
	$(BIN)/jupyter-book build . --toc book/course/instructor/_toc.yml --config _build/instructor/_config.yml \
		--path-output _build/instructor -W -n --keep-going
	@echo "The instructor edition is in _build/instructor/_build/html (do not publish it)."

# The after-class formula card as PDFs (A4, US Letter), printed from the instructor edition with Chromium.
instructor-pdf: instructor
	$(BIN)/python -m book.course.build.pdf _build/instructor/_build/html --only formula_card

# Printable PDFs made by Chromium (see browser-deps) from the built site, into _build/html/pdf:
# the worksheet (two pages) and the whole book, each for A4 and US Letter. The formula card, which answers
# the class exercises, is printed from the instructor edition (make instructor-pdf).
pdf: book
	$(BIN)/python -m book.course.build.pdf _build/html

# The session's slides (book/course/slides/slides.ipynb, reveal.js from npm)
# into _build/html/slides: served with the site, no CDN.
$(REVEAL): book/course/slides/package.json book/course/slides/package-lock.json
	@$(NEED_NPM)
	cd book/course/slides && npm ci --no-audit --no-fund
	@touch $(REVEAL)

slides: book $(REVEAL)
	$(BIN)/python -m book.course.build.slides _build/html

# Everything the published site serves: the book (with Live Code, so thebe first), its PDFs and the slides.
site: $(THEBE) book pdf slides

clean:
	rm -rf _build

# The reader edition (readers/, committed): every notebook page of the book as a plain Jupyter notebook
# for Colab and Binder, with glued numbers, exercise numbers, links and macros filled in from the
# committed notebooks (tools/readers.py). Run it after `make notebooks`, then commit readers/.
.PHONY: readers
readers: $(STAMP)
	$(BIN)/python tools/readers.py
