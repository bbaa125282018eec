# Two commands for readers and CI:
#   make book   build the HTML book into _build/html (open _build/html/index.html)
#   make test   run the whole test suite (library, notebooks, book build)
# Both create and reuse a local virtual environment in .venv from requirements.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.requirements-installed
# Live Code's thebe, unpacked from npm (see live-code below).
THEBE  := _ext/thebe/dist/.unpacked
# Notebooks are re-executed whenever rlbits or the pinned requirements change.
LIB_HASH = $(shell cat requirements.txt $$(find lib -name '*.py' | LC_ALL=C sort) | sha256sum | cut -c1-16)

.PHONY: book test notebooks clean browser-deps live-code instructor instructor-pdf pdf slides site

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(STAMP)

book: $(STAMP) $(THEBE)
	@mkdir -p _build
	@if [ "$$(cat _build/.lib-hash 2>/dev/null)" != "$(LIB_HASH)" ]; then \
		echo "rlbits or requirements changed: clearing the execution cache"; \
		rm -rf _build/.jupyter_cache; fi
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "$(LIB_HASH)" > _build/.lib-hash
	@echo "The book is in _build/html: open _build/html/index.html in a browser."

test: $(STAMP) $(THEBE)
	$(BIN)/python -m pytest

# Live Code (Thebe) is served from the site itself: the npm tarballs named in _ext/thebe/SHA512SUMS
# (thebe's prebuilt bundle and require.js), checked against those hashes and unpacked into
# _ext/thebe/dist/, which _ext/live_code.py copies into the build. Needs npm (`npm pack` only: no
# node_modules, none of thebe's 960 build dependencies).
live-code: $(THEBE)

$(THEBE): _ext/thebe/SHA512SUMS
	@command -v npm >/dev/null || { echo "Live Code needs npm to fetch thebe (Debian: apt-get install npm)"; exit 1; }
	rm -rf _ext/thebe/dist && mkdir -p _ext/thebe/dist
	cd _ext/thebe/dist && for tgz in $$(awk '{print $$2}' ../SHA512SUMS); do \
		npm pack --silent "$$(echo $$tgz | sed -E 's/-([0-9][^-]*)\.tgz$$/@\1/')" >/dev/null || exit 1; done \
	&& sha512sum -c ../SHA512SUMS \
	&& for tgz in *.tgz; do mkdir -p "$${tgz%.tgz}" && tar xzf "$$tgz" -C "$${tgz%.tgz}" --strip-components=1 || exit 1; done
	touch $(THEBE)

# What the browser tests (tests/test_browser.py) need besides .venv: Debian's Chromium and axe-core
# (npm, pinned in tests/browser/package-lock.json). Run as root (CI does, in .ci/run); each step is
# skipped when already done. Without Chromium, `make test` skips the browser tests (fails if CI=true).
AXE := tests/browser/node_modules/axe-core/axe.min.js

# reveal.js for the slides (make slides), from npm, pinned in book/course/slides/package-lock.json.
REVEAL := book/course/slides/node_modules/reveal.js/dist/reveal.js

browser-deps: $(AXE) $(REVEAL)
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	else apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; fi

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y npm; }
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
	RLBITS_EXPLORER_STATES=$(CURDIR)/_build/.explorer_states \
	$(BIN)/jupyter-book build . --toc book/course/instructor/_toc.yml --config _build/instructor/_config.yml \
		--path-output _build/instructor -W -n --keep-going
	@echo "The instructor edition is in _build/instructor/_build/html (do not publish it)."

# The after-class formula card as PDFs (A4, US Letter), printed from the instructor edition with Chromium.
instructor-pdf: instructor
	$(BIN)/python -m book.course.build.pdf _build/instructor/_build/html --only formula_card

# Printable PDFs made by Debian's Chromium (make browser-deps) from the built site, into _build/html/pdf:
# the worksheet (two pages) and the whole book, each for A4 and US Letter. The formula card, which answers
# the class exercises, is printed from the instructor edition (make instructor-pdf).
pdf: book
	$(BIN)/python -m book.course.build.pdf _build/html

# The session's slides (book/course/slides/slides.ipynb, reveal.js from npm, pinned in its package-lock.json)
# into _build/html/slides: served with the site, no CDN.
$(REVEAL): book/course/slides/package.json book/course/slides/package-lock.json
	@command -v npm >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y npm; }
	cd book/course/slides && npm ci --no-audit --no-fund
	@touch $(REVEAL)

slides: book $(REVEAL)
	$(BIN)/python -m book.course.build.slides _build/html

# Everything the published site serves: the book, its PDFs and the session's slides.
site: book pdf slides

clean:
	rm -rf _build

# The reader edition (readers/, committed): every notebook page of the book as a plain Jupyter notebook
# for Colab and Binder, with glued numbers, exercise numbers, links and macros filled in from the
# committed notebooks (tools/readers.py). Run it after `make notebooks`, then commit readers/.
.PHONY: readers
readers: $(STAMP)
	$(BIN)/python tools/readers.py
