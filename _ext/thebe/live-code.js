/**
 * "Live Code": run the page's code cells, explorers included, in a Jupyter kernel, with thebe 0.9.
 *
 * Replaces sphinx-thebe's loader, which was written for thebe 0.8 (an ipywidgets 7 widget manager).
 * thebe 0.9 bundles the ipywidgets 8 manager (@jupyter-widgets/base 6, controls 5, output 6), so
 * the explorers' sliders and figures render. Everything is served by the site (see _ext/live_code.py):
 *
 * - thebe's bundle, its lazily loaded chunks and its stylesheet (with live-code.css, a few fixes)
 *   come from THEBE_JS_URL's folder (_static/thebe/, written by _ext/live_code.py);
 * - thebe fetches require.js from a CDN before it builds the first widget: that one request is
 *   answered with the same file (requirejs 2.3.6) from the site;
 * - LaTeX in cell outputs is not typeset (thebe would load MathJax 2 from a CDN); the page's own
 *   math is MathJax 3, already typeset.
 *
 * The kernel comes from Binder (the page's `binderOptions`, written by sphinx-thebe) unless a page
 * configuration says `useBinder: false` and gives `serverSettings: {baseUrl, token}`, as the browser
 * test does for a Jupyter server on 127.0.0.1 (tests/test_livecode.py).
 */
(() => {
  "use strict";

  const REQUIREJS_CDN = "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js";

  const thebeUrl = () => new URL(THEBE_JS_URL, document.baseURI);
  const assetUrl = (name) => new URL(name, thebeUrl()).href;

  const setButton = (text) =>
    document.querySelectorAll(".thebe-launch-button").forEach((button) => {
      button.textContent = text;
    });

  const load = (tag, attributes) =>
    new Promise((resolve, reject) => {
      const el = Object.assign(document.createElement(tag), attributes);
      el.addEventListener("load", resolve);
      el.addEventListener("error", () => reject(new Error(`could not load ${el.src || el.href}`)));
      document.head.appendChild(el);
    });

  const serveRequireJsFromSite = () => {
    const fetchFromNetwork = window.fetch.bind(window);
    const local = assetUrl("require.js");
    window.fetch = (input, init) => fetchFromNetwork(input === REQUIREJS_CDN ? local : input, init);
  };

  /** Mark each code cell's source as executable and give every one an output placeholder:
   *  thebe 0.9 pairs sources with outputs in page order, so a cell without output (an explorer
   *  tagged remove-output) would otherwise take the next cell's. */
  const prepareCells = (language) => {
    document.querySelectorAll(thebe_selector).forEach((cell, index) => {
      // In a notebook cell the source is the <pre> of .cell_input; a <pre> in .cell_output is output.
      const source = cell.classList.contains("cell")
        ? cell.querySelector(`.cell_input ${thebe_selector_input}`)
        : cell.querySelector(thebe_selector_input);
      if (!source) return; // remove-input cells: output only, nothing to run
      cell.id = cell.id || `codecell${index}`;
      source.setAttribute("data-executable", "true");
      source.setAttribute("data-language", language);
      let output = cell.querySelector(thebe_selector_output);
      if (!output) {
        output = document.createElement("div");
        output.className = "cell_output";
      }
      output.setAttribute("data-output", "");
      source.insertAdjacentElement("afterend", output);
      cell.querySelectorAll("button.copybtn").forEach((button) => button.remove());
    });
  };

  const start = async () => {
    setButton("Loading Live Code…");
    serveRequireJsFromSite();
    await Promise.all([
      load("link", { rel: "stylesheet", href: assetUrl("thebe.css") }),
      load("link", { rel: "stylesheet", href: assetUrl("live-code.css") }),
      window.thebe && window.thebe.bootstrap ? null : load("script", { src: thebeUrl().href }),
    ]);
    const page = window.thebe.getPageConfig();
    const kernel = page.kernelOptions || {};
    const kernelName = kernel.kernelName || kernel.name || window.kernelName || "python3";
    const options = {
      ...page,
      useBinder: page.useBinder !== false,
      mathjaxUrl: "",
      // sphinx-thebe writes `name`; thebe 0.9 reads `kernelName`
      kernelOptions: { ...kernel, kernelName },
    };
    prepareCells(kernelName.includes("python") ? "python" : kernelName);
    const where = options.useBinder ? "Binder" : "a Jupyter server";
    // thebe reports the session ready before it attaches the cells to it: the button says "ready"
    // only once bootstrap has returned, when a cell's run button does run it.
    let attached = false;
    window.thebe.on("status", (_event, data) => {
      if (data.subject === "session" && (data.status === "shutdown" || data.status === "dead")) {
        attached = false;
        setButton("Live Code: the kernel has stopped; reload the page to start another");
      } else if (!attached) {
        setButton(`Live Code: starting a kernel on ${where} (${data.status})`);
      }
    });
    window.thebe.on("error", (_event, data) => setButton(`Live Code: ${data.message}`));
    const { session } = await window.thebe.bootstrap(options);
    if (!session) throw new Error(`no kernel from ${where}`);
    attached = true;
    setButton("Live Code is ready: run a cell with its “run” button");
  };

  let started = null;
  window.initThebe = () => {
    if (!started) {
      started = start().catch((error) => {
        const message = (error && error.message) || String(error);  // thebe may reject with a string
        console.error("[live-code]", message);
        setButton(`Live Code could not start: ${message}`);
        started = null;
      });
    }
    return started;
  };
})();
