/* A formula wider than its line scrolls sideways (site-fixes.css). So that a keyboard reader can
   scroll it too, each formula that overflows becomes a tab stop, and only those: the others are
   not tab stops (MathJax's inTabOrder is off, _config.yml). Checked again when the fonts have loaded,
   the width changes or a solution opens.
   Added to every page by _ext/site_fixes.py; tests/test_site_readers.py checks it. */
(() => {
  "use strict";
  const SELECTOR = "span.math, div.math mjx-container";
  const mark = () => {
    document.querySelectorAll(SELECTOR).forEach((el) => {
      const scrolls = el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(el).overflowX);
      if (scrolls) {
        el.tabIndex = 0;
        el.dataset.scrolls = "true";
      } else if (el.dataset.scrolls) {
        el.removeAttribute("tabindex");
        delete el.dataset.scrolls;
      }
    });
  };
  const typeset = () =>
    window.MathJax && MathJax.startup && MathJax.startup.promise
      ? MathJax.startup.promise
      : new Promise((resolve) => setTimeout(() => resolve(typeset()), 50));
  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(mark, 150);
  });
  if (document.querySelector(".math")) {
    // again once MathJax's fonts have loaded (they change the widths), and when a solution opens
    typeset().then(() => document.fonts.ready).then(mark, mark);
    window.addEventListener("load", () => typeset().then(() => document.fonts.ready).then(mark, mark));
    document.addEventListener("toggle", mark, true);
  }
})();
